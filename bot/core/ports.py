"""What the core needs from the outside, as small protocols: adapters, the scheduler and the
store fill them.

The store is declared per area (subscriptions, rounds, answers, boards, learning, state,
spaces, history, suggestions);
`Store` is their union, what the engine is given. Every store implementation (SQLite in
bot/store today) passes the contract suite in tests/contract/. Times go in and come out as
aware datetimes; a store keeps them to the second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Literal, Protocol, Self, runtime_checkable

from bot.bank.models import Question
from bot.core.history import RoundAttendance, WeekCounts
from bot.core.models import (
    ChannelRef,
    Leaderboard,
    LeaderboardEntry,
    Round,
    RoundStatus,
    StreakView,
    Subscription,
    Window,
)
from bot.core.records import (
    Answerer,
    ChangeOutcome,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    DueClaim,
    DuePlan,
    LatestRating,
    MessageOutcome,
    MissedQuestion,
    QuizRecord,
    RoundTally,
    StreakRepair,
    SuggestionFields,
    SuggestionRecord,
    SuggestionStatus,
)
from bot.core.schedule import Schedule
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
    # Private feedback for answerers who opted in (user id → feedback): send it to them alone.
    feedback: Mapping[str, Feedback] = field(default_factory=dict)
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


@runtime_checkable
class RecapPublisher(Protocol):
    """A publisher that can post the weekly recap (an extra outbound message; the delivery
    outbox can adopt it as a delivery kind of its own)."""

    async def post_recap(self, recap: RecapPost) -> None: ...


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


# -- the store, per area ---------------------------------------------------------------------


class SubscriptionStore(Protocol):
    """Which channels take part, on what schedule."""

    async def save_subscription(
        self,
        channel: ChannelRef,
        schedule: Schedule,
        packs: Sequence[str] | None,
        subscribed_by: str | None,
        now: datetime,
    ) -> Subscription:
        """Create or replace a channel's subscription; it becomes active with no problem."""
        ...

    async def subscription(self, channel: ChannelRef) -> Subscription | None: ...

    async def subscription_by_id(self, subscription_id: int) -> Subscription | None: ...

    async def subscriptions(self, *, active_only: bool = True) -> list[Subscription]:
        """In id order."""
        ...

    async def set_subscription_state(
        self, subscription_id: int, *, active: bool, problem: str | None, now: datetime
    ) -> None: ...


class RoundStore(Protocol):
    """Rounds: one per channel per local day, claimed, then posted, then revealed."""

    async def claim_round(
        self,
        subscription_id: int,
        local_date: date,
        question_id: str,
        cycle: int,
        kind: Literal["scheduled", "manual"],
        now: datetime,
        reveal_at: datetime,
    ) -> Round | None:
        """Take a channel's local date for a given question; None when the date is taken."""
        ...

    async def claim_next_round(self, subscription_id: int, due: DueClaim) -> tuple[Round, bool]:
        """Claim `due.local_date` for the channel's next question, in one transaction.

        The question is `rules.next_pick(due.choice, the channel's cycle state)`. A day is held
        by its own round, or by a round that went out on that local day before the channel's
        timezone changed (`schedule.day_is_free`). Returns (the claimed round, True), or (the
        round that holds the day, False).
        """
        ...

    async def claim_due_round(
        self, subscription_id: int, plan: DuePlan
    ) -> tuple[Subscription | None, Round | None, bool]:
        """A scheduled post's database side, in one transaction: read the subscription, then
        claim what `rules.due_claim(subscription, plan)` says is due, as `claim_next_round`.

        Returns the subscription (None: there is none), the round (claimed now, or already
        holding the date; None when nothing was due) and whether it was claimed now.
        """
        ...

    async def mark_posted(
        self,
        round_id: int,
        message_id: str,
        thread_id: str,
        posted_at: datetime,
        reveal_at: datetime,
    ) -> Round:
        """A claimed round went out (its post delivery is delivered with it); a round no longer
        claimed is returned unchanged."""
        ...

    async def release_claim(self, round_id: int) -> None:
        """Give a date back after a failed post (only a claim: never a posted round)."""
        ...

    async def round(self, round_id: int) -> Round | None: ...

    async def round_marks(self, subscription_id: int) -> tuple[date | None, datetime | None]:
        """The date of the channel's latest round, and when its latest round went out."""
        ...

    async def rounds_with_status(
        self, status: RoundStatus, subscription_id: int | None = None
    ) -> list[Round]:
        """In (local date, id) order."""
        ...

    async def latest_round(self, subscription_id: int) -> Round | None:
        """The round of the channel's latest local date."""
        ...


class AnswerStore(Protocol):
    """Messages in a round's thread, the answers they make, and the reveal that settles them.

    The rules: `rules.is_late` (late messages are kept and earn nothing), one answer per person
    per round however many messages, a redelivered event or message changes nothing, and a
    reveal moves streaks on as `streaks.apply_reveal`.
    """

    async def record_thread_message(
        self,
        *,
        platform: str,
        thread_id: str,
        message_id: str,
        event_id: str | None,
        user_id: str,
        user_name: str,
        text: str,
        truncated: bool,
        now: datetime,
    ) -> tuple[Round | None, MessageOutcome | None]:
        """A message in some thread: find the round it answers and record it, in one unit.

        (None, None) when the thread is no round's; (round, None) when the round is only
        claimed (not posted yet); else the round and the outcome. Returns only once durable.
        """
        ...

    async def edit_message(
        self,
        *,
        platform: str,
        message_id: str,
        event_id: str | None,
        text: str,
        truncated: bool,
        now: datetime,
    ) -> ChangeOutcome: ...

    async def delete_message(
        self, *, platform: str, message_id: str, event_id: str | None, now: datetime
    ) -> ChangeOutcome:
        """Forget a message's text; before the reveal, its author's last message takes the answer."""
        ...

    async def thread_messages(self, round_id: int, user_id: str) -> list[str]:
        """The ids of someone's messages in a round's thread (not deleted), oldest first."""
        ...

    async def answer_text(self, round_id: int, user_id: str) -> str:
        """Someone's answer: their messages in time and not deleted, oldest first, one a line."""
        ...

    async def answered(self, round_id: int, user_id: str) -> bool: ...

    async def round_answerers(self, round_id: int) -> list[Answerer]:
        """A round's answerers in answer order, with their names now (what a reveal shows)."""
        ...

    async def reveal_round(self, round_id: int, now: datetime) -> list[Answerer] | None:
        """Close a posted round and move streaks on, and write its reveal delivery; its
        answerers in answer order, or None when it was not open."""
        ...


class BoardStore(Protocol):
    """Leaderboards and streaks."""

    async def leaderboard(
        self,
        *,
        channel: ChannelRef,
        whole_space: bool,
        window: Window,
        since: datetime | None,
        ranked_by: Literal["streak", "answers"],
        caller_id: str | None,
        size: int = 10,
    ) -> Leaderboard:
        """The top `size` (ties share a rank, ordered by name) and the caller's row outside it.

        Ranked by (streak, answers) or (answers, streak); answers counted from `since` (None:
        all time); people with neither are left out; `whole_space` ranks a person by their
        best channel streak and all their answers in the space.
        """
        ...

    async def keep_standings(self, window_starts: Mapping[Window, datetime]) -> None:
        """Upkeep the scheduler runs every minute (a store may have nothing to do)."""
        ...

    async def rebuild_standings(self, window_starts: Mapping[Window, datetime]) -> None:
        """Derive whatever the boards keep again from the answers (after a bulk import)."""
        ...

    async def streak(self, subscription_id: int, user_id: str) -> StreakView: ...


class LearningStore(Protocol):
    """Spaced repetition (review cards and their log), private quizzes, feedback settings."""

    async def review_cards(self, platform: str, user_id: str) -> dict[str, tuple[str, datetime]]:
        """Every card of a person: question id → (card JSON, due)."""
        ...

    async def save_review(
        self,
        *,
        platform: str,
        user_id: str,
        question_id: str,
        card: str,
        due: datetime,
        rating: str,
        source: Literal["quiz", "daily"],
        quiz_id: int | None,
        round_id: int | None,
        log: str,
        now: datetime,
    ) -> bool:
        """Store a rating and the card it produced; False when that quiz or round was rated before."""
        ...

    async def review_count(self, platform: str, user_id: str) -> int: ...

    async def quiz_rated(self, quiz_id: int) -> bool: ...

    async def set_daily_feedback(self, platform: str, user_id: str, enabled: bool) -> None: ...

    async def daily_feedback_users(self, platform: str) -> set[str]: ...

    async def quiz_history(self, platform: str, user_id: str) -> dict[str, datetime]:
        """When the user was last quizzed on each question."""
        ...

    async def add_quiz(
        self, platform: str, user_id: str, question_id: str, now: datetime
    ) -> QuizRecord: ...

    async def quiz(self, quiz_id: int) -> QuizRecord | None: ...

    async def latest_quiz(self, platform: str, user_id: str) -> QuizRecord | None: ...

    async def set_quiz_answer(self, quiz_id: int, text: str) -> None:
        """Keep the written answer of a quiz not revealed yet."""
        ...

    async def quiz_answer(self, quiz_id: int) -> str | None: ...

    async def mark_quiz_revealed(self, quiz_id: int, now: datetime) -> None:
        """The first reveal time stays."""
        ...


class StateStore(Protocol):
    """Named values (e.g. the digest of the synced commands) and a health probe."""

    async def get_state(self, key: str) -> str | None: ...

    async def set_state(self, key: str, value: str, now: datetime) -> None: ...

    async def ping(self) -> bool:
        """True when the database answers a query."""
        ...


class DeliveryStore(Protocol):
    """The outbox (issue 18): outbound messages, written with the state change that causes them.

    A fresh claim (`claim_next_round`, `claim_due_round`, `claim_round`) writes its round's
    post delivery, due at once and of no use after `DueClaim.deliver_until` (else the round's
    reveal time); `reveal_round` writes the round's reveal delivery, due at once and kept until
    delivered; `release_claim` removes a claim's deliveries with it. At most one post and one
    reveal per round. The worker claims what is due, sends it, and records the result.
    """

    async def add_notice(
        self, subscription_id: int, text: str, now: datetime
    ) -> Delivery:
        """A sentence for the channel's admin, due at once."""
        ...

    async def claim_deliveries(
        self, now: datetime, lease: timedelta, limit: int, subscription_id: int | None = None
    ) -> list[Delivery]:
        """Take up to `limit` deliveries to send (of one channel, or all), in (due, id) order:
        pending ones due by `now`, and claimed ones whose lease has expired (returned with
        `in_doubt`). Each is claimed until `now + lease`, its attempts counted, its first
        claim time kept."""
        ...

    async def mark_delivered(
        self, delivery_id: int, message_id: str, thread_id: str | None, now: datetime
    ) -> Delivery | None:
        """Record where a delivery went. A post's round becomes posted in the same transaction
        (its reveal time moved on by the delay since the claim). None when the delivery is
        gone (its claim was released); a delivered one is returned unchanged."""
        ...

    async def retry_delivery(
        self, delivery_id: int, due_at: datetime, error: str, now: datetime
    ) -> None:
        """Back to pending, due again at `due_at` (a transient failure)."""
        ...

    async def park_delivery(self, delivery_id: int, error: str, now: datetime) -> bool:
        """Set aside after a permanent refusal; True when it was not parked before."""
        ...

    async def resume_deliveries(self, subscription_id: int, now: datetime) -> int:
        """Parked deliveries of a channel pending again, due now; how many."""
        ...

    async def deliveries(
        self, subscription_id: int, statuses: Sequence[DeliveryStatus] | None = None
    ) -> list[Delivery]:
        """A channel's deliveries (all, or in these statuses), in id order."""
        ...

    async def delivery(self, delivery_id: int) -> Delivery | None: ...

    async def round_delivery(self, round_id: int, kind: DeliveryKind) -> Delivery | None: ...


class SpaceStore(Protocol):
    """Per-space settings, stored as text; the declarations live in `bot.core.spaces`."""

    async def space_settings(self, platform: str, space_id: str) -> dict[str, str]:
        """The settings of a space that differ from their defaults."""
        ...

    async def set_space_setting(
        self, platform: str, space_id: str, key: str, value: str | None, by: str | None,
        now: datetime,
    ) -> None:  # fmt: skip
        """Store one setting's text; None removes it (the default applies again)."""
        ...


class HistoryStore(Protocol):
    """People and a channel's past: what the pictures draw, and names learned late."""

    async def weekly_answers(
        self, subscription_ids: Sequence[int], since: date
    ) -> list[WeekCounts]:
        """Per week (Monday first) with a round since `since`: rounds, answers, people."""
        ...

    async def rounds_of(
        self, subscription_id: int, user_id: str, since: date
    ) -> list[RoundAttendance]:
        """A channel's rounds dated `since` or later, oldest first, and whether `user_id`
        answered each on time."""
        ...

    async def user_name(self, platform: str, user_id: str) -> str | None:
        """The name a person was last seen with, if ever."""
        ...

    async def rename_user(self, platform: str, user_id: str, name: str) -> bool:
        """A person's display name learned after their answer was stored under a stand-in;
        the boards follow. False when the person is unknown or already has this name."""
        ...


class SuggestionStore(Protocol):
    """Members' question suggestions; the approved ones of a space are its community pack."""

    async def add_suggestion(
        self, platform: str, space_id: str, channel_id: str | None, author_id: str,
        author_name: str, fields: SuggestionFields, now: datetime, *,
        pending_limit: int | None = None,
        status: SuggestionStatus = SuggestionStatus.PENDING,
    ) -> SuggestionRecord | None:  # fmt: skip
        """Store a suggestion; None (nothing stored) when the author already has
        `pending_limit` pending ones in the space. The check and the insert: one transaction."""
        ...

    async def suggestion(self, suggestion_id: int) -> SuggestionRecord | None: ...

    async def suggestions(
        self,
        platform: str | None = None,
        space_id: str | None = None,
        status: SuggestionStatus | None = None,
    ) -> list[SuggestionRecord]:
        """In id order; None selects every value."""
        ...

    async def decide_suggestion(
        self, suggestion_id: int, status: SuggestionStatus, by: str, by_name: str,
        reason: str | None, now: datetime,
    ) -> tuple[SuggestionRecord | None, bool]:  # fmt: skip
        """Approve or reject a pending suggestion: (the record after, True); when it was
        decided before: (the record as it is, False); (None, False) when there is none."""
        ...

    async def edit_suggestion(
        self, suggestion_id: int, fields: SuggestionFields
    ) -> SuggestionRecord | None:
        """Replace a pending suggestion's fields; None when it is not pending."""
        ...

    async def set_suggestion_review_ref(self, suggestion_id: int, ref: str) -> None:
        """Where its queue message is (a platform's reference)."""
        ...

    async def mark_suggestion_posted(self, suggestion_id: int, now: datetime) -> bool:
        """True the first time an approved suggestion goes out as a round."""
        ...

    async def community_ids(self) -> list[tuple[str, str, int]]:
        """(platform, space id, suggestion id) of every approved suggestion, in id order."""
class RepairStore(Protocol):
    """Streak repairs: a repaired round breaks nobody's streak (`streaks.apply_reveal`)."""

    async def repair_round(
        self, subscription_id: int, local_date: date, by: str | None, now: datetime
    ) -> tuple[StreakRepair, bool] | None:
        """Repair the channel's round of that date and set its streaks as `streaks.recompute`
        says: the repair and whether it is new (a second repair keeps the first record), or
        None when the channel had no round that day."""
        ...

    async def streak_repairs(self, subscription_id: int) -> list[StreakRepair]:
        """The channel's repaired rounds, latest date first."""
        ...


class MissedStore(Protocol):
    """What someone should see again (`/quiz missed`, `/review export`)."""

    async def missed_questions(self, platform: str, user_id: str) -> list[MissedQuestion]:
        """Revealed daily rounds of the channels they answer in that they did not answer (until
        they rate that question above Again after the reveal), and questions whose latest
        rating is Again: latest first, each question once."""
        ...


class RecapStore(Protocol):
    """What the weekly recap reads."""

    async def round_tallies(
        self, subscription_id: int, since: date, until: date
    ) -> list[RoundTally]:
        """The channel's rounds dated in [since, until), oldest first, with their on-time
        answer counts."""
        ...


class HomeStore(Protocol):
    """What a person's home view (the Slack App Home) reads."""

    async def latest_rating(self, platform: str, user_id: str) -> LatestRating | None:
        """Their latest self-rating (a quiz's or a daily round's), if any."""
        ...


class Store(
    SubscriptionStore, RoundStore, AnswerStore, BoardStore, LearningStore, StateStore,
    SpaceStore, HistoryStore, SuggestionStore,
    RepairStore, MissedStore, RecapStore, HomeStore, DeliveryStore, Protocol,
):  # fmt: skip
    """The whole store: every area, and its lifetime (`close`, or `async with`)."""

    async def close(self) -> None:
        """Wait for the work handed in so far, then release the database."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class StoreOpener(Protocol):
    """Opens (and migrates) the store at a location: what the top-level wiring hands down."""

    async def __call__(self, path: Path) -> Store: ...


__all__ = [
    "DELIVERY_EVENT",
    "AnswerStore",
    "BoardStore",
    "DeliveryFinder",
    "DeliveryStore",
    "LearningStore",
    "PostedRef",
    "Publisher",
    "RevealPost",
    "RoundPost",
    "RoundStore",
    "ScheduleListener",
    "StateStore",
    "Store",
    "StoreOpener",
    "SubscriptionStore",
    "SuggestionStore",
]
