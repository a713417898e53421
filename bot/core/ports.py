"""What the core needs from the outside, as small protocols: adapters and the scheduler fill
the publisher side here (posts, reveals, recaps, delivery keys, schedule changes).

The store's protocols, per area, and `Store`, their union, live in `bot.core.storage` (and
`bot.core.storage_people`); they are re-exported here for older imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, runtime_checkable

from bot.bank.models import Question
from bot.core.models import LeaderboardEntry, Round, Subscription
from bot.core.records import Answerer
from bot.core.storage import (
    AnswerStore,
    BoardStore,
    DeliveryStore,
    HistoryStore,
    HomeStore,
    LearningStore,
    MissedStore,
    RecapStore,
    RepairStore,
    RoundStore,
    SpaceStore,
    StateStore,
    Store,
    StoreOpener,
    SubscriptionStore,
    SuggestionStore,
)
from bot.grading.base import Feedback


@dataclass(frozen=True)
class RoundPost:
    """A question to post in a channel, opening a thread for answers."""

    subscription: Subscription
    round: Round
    question: Question
    pack_title: str
    reveal_at: datetime
    suggested_by: str | None = None  # a community question's author: "suggested by …"
    # The outbox's delivery: its key on the platform (Slack metadata, Discord nonce).
    delivery_id: int | None = None


@dataclass(frozen=True)
class PostedRef:
    message_id: str
    thread_id: str  # where answers go; may equal message_id (Slack's thread_ts, Discord's thread)


@dataclass(frozen=True)
class RevealPost:
    subscription: Subscription
    round: Round
    question: Question
    answerers: tuple[Answerer, ...]
    delivery_id: int | None = None  # as RoundPost's


@dataclass(frozen=True)
class RecapPost:
    """The weekly recap, posted before the first scheduled question of a week (`core.recap`)."""

    subscription: Subscription
    week_start: date  # the Monday of the week it sums up
    rounds: int
    answers: int
    people: int  # who answered at least one of the week's rounds
    streaks: tuple[LeaderboardEntry, ...]  # the longest current streaks, longest first
    most_missed: Question | None  # the week's revealed question the most people missed
    missed_by: int  # of `people`, how many missed it
    delivery_id: int | None = None  # as RoundPost's


@dataclass(frozen=True)
class NoticePost:
    """The channel's problem, told to whoever subscribed it (a direct message where the
    platform has them): the bot lost access, or the channel is gone and paused."""

    subscription: Subscription
    admin_id: str
    problem: str
    paused: bool
    delivery_id: int | None = None


@dataclass(frozen=True)
class FeedbackPost:
    """One opted-in answerer's private feedback on a revealed daily round."""

    subscription: Subscription
    round: Round
    question: Question
    user_id: str
    name: str
    feedback: Feedback
    delivery_id: int | None = None


@runtime_checkable
class RecapPublisher(Protocol):
    """A publisher that can post the weekly recap (a message in the channel, keyed like a
    post: Slack metadata, a Discord nonce)."""

    async def post_recap(self, recap: RecapPost) -> PostedRef: ...


@runtime_checkable
class NoticePublisher(Protocol):
    """A publisher that can tell a channel's admin about its problem."""

    async def send_notice(self, notice: NoticePost) -> PostedRef: ...


@runtime_checkable
class FeedbackPublisher(Protocol):
    """A publisher that can send one person their private feedback (Slack: an ephemeral
    message in the round's thread; Discord: a direct message; the console: printed)."""

    async def send_feedback(self, post: FeedbackPost) -> PostedRef: ...


class Publisher(Protocol):
    """An adapter's outbound side. Raises PublishError when the platform refuses."""

    async def post_round(self, post: RoundPost) -> PostedRef: ...

    async def post_reveal(self, reveal: RevealPost) -> None: ...


DELIVERY_EVENT = "practicebot_delivery"  # Slack metadata event type: {"delivery_id": n}


def delivery_nonce(delivery_id: int) -> str:
    """A delivery's Discord nonce (at most 25 characters)."""
    return f"pb-{delivery_id}"


@runtime_checkable
class DeliveryFinder(Protocol):
    """A publisher that can look a delivery up on its platform: for one in doubt after a crash
    (sent, its result not stored), before sending it again. At most one platform call."""

    async def find_delivery(
        self,
        subscription: Subscription,
        delivery_id: int,
        thread_id: str | None,
        since: datetime,
    ) -> PostedRef | None:
        """The message the bot sent for `delivery_id` since `since`, in the channel (or in
        the thread `thread_id`), if any."""
        ...


class ScheduleListener(Protocol):
    """Told about changes so timed jobs follow the database."""

    def subscription_changed(self, subscription: Subscription) -> None: ...

    def round_posted(self, round: Round) -> None: ...

__all__ = [
    "DELIVERY_EVENT",
    "AnswerStore",
    "BoardStore",
    "DeliveryFinder",
    "DeliveryStore",
    "FeedbackPost",
    "FeedbackPublisher",
    "HistoryStore",
    "HomeStore",
    "LearningStore",
    "MissedStore",
    "NoticePost",
    "NoticePublisher",
    "PostedRef",
    "Publisher",
    "RecapPost",
    "RecapPublisher",
    "RecapStore",
    "RepairStore",
    "RevealPost",
    "RoundPost",
    "RoundStore",
    "ScheduleListener",
    "SpaceStore",
    "StateStore",
    "Store",
    "StoreOpener",
    "SubscriptionStore",
    "SuggestionStore",
    "delivery_nonce",
]
