"""The records the core and a store exchange: plain data, owned by the core.

Every store (SQLite today, PostgreSQL next) takes and returns these; see `bot.core.ports` for
the store's interface and `bot.core.rules` for the rules a store applies or mirrors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal


class MessageOutcome(StrEnum):
    """What the store made of a message in a round's thread."""

    ANSWERED = "answered"  # the user's first answer in this round
    ADDED = "added"  # another message from someone who already answered: counts once
    LATE = "late"  # after the reveal: kept, earns nothing
    DUPLICATE = "duplicate"  # a redelivered event or message: nothing changed


class ChangeOutcome(StrEnum):
    """What the store made of an edit or a delete."""

    UPDATED = "updated"  # an edit was stored
    REMOVED = "removed"  # a delete took away the user's answer (and its streak credit)
    KEPT = "kept"  # a delete after which the user still has an answer, or after the reveal
    UNKNOWN = "unknown"  # not a message we stored
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Answerer:
    user_id: str
    name: str


@dataclass(frozen=True)
class CycleState:
    """Where a channel is in its cycle through the questions."""

    cycle: int
    used: frozenset[str]  # question ids used in `cycle`
    last_question: str | None  # the channel's latest question


@dataclass(frozen=True)
class QuizRecord:
    id: int
    platform: str
    user_id: str
    question_id: str
    asked_at: datetime
    revealed_at: datetime | None


@dataclass(frozen=True)
class QuestionChoice:
    """How a channel's next question is chosen: the store applies `rules.next_pick` to it."""

    eligible: tuple[str, ...]  # the question ids the channel draws from
    channel_key: str  # seeds the order of each cycle


@dataclass(frozen=True)
class DueClaim:
    """A round to claim: its date, its kind, the time, its reveal, and how to pick the question."""

    local_date: date
    kind: Literal["scheduled", "manual"]
    now: datetime
    reveal_at: datetime
    choice: QuestionChoice
    timezone: str  # the channel's timezone now, in which `local_date` is a day
    # The claim's post delivery is of no use after this (a scheduled post: its catch-up
    # grace); None: until the reveal time.
    deliver_until: datetime | None = None


@dataclass(frozen=True)
class QuestionPool:
    """The bank's question ids per pack, as plain data (what a pack filter selects)."""

    packs: tuple[tuple[str, tuple[str, ...]], ...]  # (pack name, its question ids), bank order

    @classmethod
    def of(cls, packs: Sequence[tuple[str, Sequence[str]]]) -> QuestionPool:
        return cls(tuple((name, tuple(ids)) for name, ids in packs))

    def eligible(self, wanted: Sequence[str] | None) -> tuple[str, ...]:
        """The ids a filter selects; all of them when it selects none (packs gone)."""
        if wanted:
            names = set(wanted)
            chosen = tuple(q for name, ids in self.packs if name in names for q in ids)
            if chosen:
                return chosen
        return tuple(q for _, ids in self.packs for q in ids)


@dataclass(frozen=True)
class DuePlan:
    """What a scheduled post asks of the store, as plain data: read the subscription, and
    claim its due round if `rules.due_claim` finds one (one transaction, one trip)."""

    now: datetime
    catch_up_grace: timedelta
    pool: QuestionPool


class DeliveryKind(StrEnum):
    POST = "post"  # a round's question (written by the claim)
    REVEAL = "reveal"  # a round's reference answer (written by the reveal)
    NOTICE = "notice"  # a sentence for the channel's admin (body: the text)


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # due at `due_at`
    CLAIMED = "claimed"  # being sent until `lease_until`; past it, in doubt
    DELIVERED = "delivered"
    PARKED = "parked"  # refused for good: waits for the admin (`resume_deliveries`)


@dataclass(frozen=True)
class Delivery:
    """One outbound message in the outbox (`ports.DeliveryStore`)."""

    id: int
    kind: DeliveryKind
    subscription_id: int
    round_id: int | None
    body: str
    status: DeliveryStatus
    due_at: datetime
    not_after: datetime | None  # of no use after this; None: until delivered
    attempts: int  # claims so far (this one included, for a claimed delivery)
    first_claimed_at: datetime | None  # when the first attempt began
    message_id: str | None
    thread_id: str | None
    error: str | None
    # Claimed again after an expired lease: an earlier attempt may have reached the platform.
    in_doubt: bool = False
