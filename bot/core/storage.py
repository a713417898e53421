"""The store, per area: what the engine reads and writes, and `Store`, their union.

The store is declared per area (subscriptions, rounds, answers, boards, state, the outbox here;
learning, spaces, history, suggestions, repairs, missed questions, recaps and home views in
`bot.core.storage_people`); `Store` is their union, what the engine is given. Every store
implementation (SQLite and PostgreSQL in bot/store) passes the contract suite in
tests/contract/. Times go in and come out as aware datetimes; a store keeps them to the second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Literal, Protocol, Self

from bot.core.models import (
    ChannelRef,
    Leaderboard,
    Round,
    RoundStatus,
    StreakView,
    Subscription,
    Window,
)
from bot.core.ownership import EVERYTHING, Ownership
from bot.core.records import (
    Answerer,
    ChangeOutcome,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    DueClaim,
    DuePlan,
    MessageOutcome,
)
from bot.core.schedule import Schedule
from bot.core.storage_installs import InstallationStore
from bot.core.storage_people import (
    HistoryStore,
    HomeStore,
    LearningStore,
    MissedStore,
    RecapStore,
    RepairStore,
    SpaceStore,
    SuggestionStore,
)


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

    async def claim_next_round(
        self, subscription_id: int, due: DueClaim
    ) -> tuple[Round, Delivery | None]:
        """Claim `due.local_date` for the channel's next question, in one transaction.

        The question is `rules.next_pick(due.choice, the channel's cycle state)`. A day is held
        by its own round, or by a round that went out on that local day before the channel's
        timezone changed (`schedule.day_is_free`). Returns (the claimed round, its post
        delivery: claimed by the caller until `due.now + due.lease` when `due.lease` is set,
        else pending), or (the round that holds the day, None).
        """
        ...

    async def claim_due_round(
        self, subscription_id: int, plan: DuePlan
    ) -> tuple[Subscription | None, Round | None, Delivery | None]:
        """A scheduled post's database side, in one transaction: read the subscription, then
        claim what `rules.due_claim(subscription, plan)` says is due, as `claim_next_round`.

        Returns the subscription (None: there is none), the round (claimed now, or already
        holding the date; None when nothing was due) and, when claimed now, its post delivery
        (leased to the caller when `plan.lease` is set).
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

    async def rounds_revealed_since(self, since: datetime) -> list[Round]:
        """Revealed rounds whose reveal happened at or after `since`, in (revealed_at, id)
        order (catch-up reads their threads for answers written before the reveal)."""
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
        written_at: datetime | None = None,
    ) -> tuple[Round | None, MessageOutcome | None]:
        """A message in some thread: find the round it answers and record it, in one unit.

        (None, None) when the thread is no round's; (round, None) when the round is only
        claimed (not posted yet); else the round and the outcome. Returns only once durable.

        `written_at` (a message read back from the thread's history; at most `now`): the
        message counts from then, and is late only when written at or after the reveal time
        or the reveal (`rules.is_late` with `revealed_at`). An in-time answer to a revealed
        round counts for its streak (the channel's streaks are derived again, as a repair
        does); a message stored late whose written time says it was in time becomes an answer.
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
    post delivery (leased to the claimer when its plan has a lease), due at once and of no use after `DueClaim.deliver_until` (else the round's
    reveal time); `reveal_round` writes the round's reveal delivery, due at once and kept until
    delivered; `release_claim` removes a claim's deliveries with it. At most one post and one
    reveal per round. The worker claims what is due, sends it, and records the result.

    Beyond those (migration 0010): `claim_due_round` writes a week's recap, `reveal_round` each
    opted-in answerer's feedback, `report_problem` the admin's notice (`records.DeliveryKind`).
    """

    async def add_notice(
        self, subscription_id: int, text: str, now: datetime
    ) -> Delivery:
        """A notice for the channel's admin, due at once (body: the problem it tells; the
        worker drops it once the channel no longer has that problem). `report_problem` writes
        one with the problem itself."""
        ...

    async def report_problem(
        self, subscription_id: int, problem: str, *, pause: bool, now: datetime
    ) -> Delivery | None:
        """Record the channel's problem (and pause it, if asked) and, when the problem is new,
        write a notice for its admin (body: the problem), in one transaction: the notice, or
        None when the channel already had this problem."""
        ...

    async def drop_delivery(self, delivery_id: int, reason: str, now: datetime) -> bool:
        """Give up a pending or claimed delivery of no use any more; True when it was."""
        ...

    async def claim_deliveries(
        self,
        now: datetime,
        lease: timedelta,
        limit: int,
        subscription_id: int | None = None,
        owned: Ownership = EVERYTHING,
        *,
        claimed_by: str | None = None,
    ) -> list[Delivery]:
        """Take up to `limit` deliveries to send (of one channel, or all), in (due, id) order:
        pending ones due by `now`, and claimed ones whose lease has expired (returned with
        `in_doubt`). Each is claimed until `now + lease` by `claimed_by` (a process name), its
        attempts counted, its first claim time kept. Only deliveries of channels `owned.owns`
        are taken (a shard's process leaves the other shards' spaces alone)."""
        ...

    async def mark_delivered(
        self, delivery_id: int, message_id: str, thread_id: str | None, now: datetime
    ) -> tuple[Delivery, Round | None] | None:
        """Record where a delivery went. A post's round becomes posted in the same transaction
        (its reveal time moved on by the delay since the claim). Returns the delivery and, for
        a post, its round as it is now; None when the delivery is gone (its claim was
        released); a delivered one is returned unchanged."""
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


class Store(
    SubscriptionStore, RoundStore, AnswerStore, BoardStore, LearningStore, StateStore,
    SpaceStore, HistoryStore, SuggestionStore,
    RepairStore, MissedStore, RecapStore, HomeStore, DeliveryStore, InstallationStore, Protocol,
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
    "AnswerStore",
    "BoardStore",
    "DeliveryStore",
    "HistoryStore",
    "HomeStore",
    "InstallationStore",
    "LearningStore",
    "MissedStore",
    "RecapStore",
    "RepairStore",
    "RoundStore",
    "SpaceStore",
    "StateStore",
    "Store",
    "StoreOpener",
    "SubscriptionStore",
    "SuggestionStore",
]
