"""The records the core and a store exchange: plain data, owned by the core.

Every store (SQLite today, PostgreSQL next) takes and returns these; see `bot.core.storage` for
the store's interface and `bot.core.rules` for the rules a store applies or mirrors.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import chain
from typing import Literal, cast

from bot.core.ownership import EVERYTHING, Ownership
from bot.grading.base import Feedback, KeyPointVerdict, Rating


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
    # The claimer sends the post itself: its delivery is written claimed, leased for this
    # long (no second unit of work to take the lease). None: written pending, for the worker.
    lease: timedelta | None = None
    claimed_by: str | None = None  # the claimer's process name, in its leased post


COMMUNITY_PACK = "community"  # a space's approved suggestions, as a pack of its own
COMMUNITY_PREFIX = "community-"  # + the suggestion's id: a community question's id


def community_question_id(suggestion_id: int) -> str:
    return f"{COMMUNITY_PREFIX}{suggestion_id}"


def community_suggestion_id(question_id: str) -> int | None:
    """The suggestion behind a community question's id; None for a bank question."""
    rest = question_id.removeprefix(COMMUNITY_PREFIX)
    return int(rest) if rest != question_id and rest.isdigit() else None


@dataclass(frozen=True)
class QuestionPool:
    """The bank's question ids per pack, as plain data (what a pack filter selects), and each
    space's community pack."""

    packs: tuple[tuple[str, tuple[str, ...]], ...]  # (pack name, its question ids), bank order
    # ((platform, space id), its community question ids), in id order
    community: tuple[tuple[tuple[str, str], tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, packs: Sequence[tuple[str, Sequence[str]]]) -> QuestionPool:
        return cls(tuple((name, tuple(ids)) for name, ids in packs))

    def eligible(
        self, wanted: Sequence[str] | None, space: tuple[str, str] | None = None
    ) -> tuple[str, ...]:
        """The ids a filter selects; all of them when it selects none (packs gone).

        The space's community pack counts as a pack: included with no filter, or when the
        filter names it.
        """
        community: tuple[str, ...] = ()
        if space is not None and (not wanted or COMMUNITY_PACK in wanted):
            community = next((ids for key, ids in self.community if key == space), ())
        if wanted:
            names = set(wanted)
            chosen = tuple(q for name, ids in self.packs if name in names for q in ids)
            if chosen or community:
                return chosen + community
        return tuple(chain.from_iterable(ids for _, ids in self.packs)) + community


@dataclass(frozen=True)
class DuePlan:
    """What a scheduled post asks of the store, as plain data: read the subscription, and
    claim its due round if `rules.due_claim` finds one (one transaction, one trip)."""

    now: datetime
    catch_up_grace: timedelta
    pool: QuestionPool
    lease: timedelta | None = None  # as `DueClaim.lease`, for a channel in `owned` only
    claimed_by: str | None = None  # as `DueClaim.claimed_by`
    # The spaces this process serves: another process's channel gets its post written pending,
    # for the owner's worker to send.
    owned: Ownership = EVERYTHING
    # The store reads the channel's space's community pack itself, in the claim's transaction
    # (`pool.community` is then not used): a read fewer per post at a busy minute.
    community_in_claim: bool = False

    def with_community(self, space: tuple[str, str], suggestion_ids: Sequence[int]) -> DuePlan:
        """This plan with `space`'s community pack as the store has read it."""
        ids = tuple(community_question_id(i) for i in suggestion_ids)
        return replace(
            self, pool=QuestionPool(self.pool.packs, ((space, ids),)), community_in_claim=False
        )


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"  # in the space's community pack
    REJECTED = "rejected"


@dataclass(frozen=True)
class SuggestionFields:
    """What a member writes (or an admin edits): the question and its optional parts.

    An empty `answer` means no reference answer (the thread is the answer); then there are no
    key points.
    """

    text: str
    answer: str = ""
    key_points: tuple[str, ...] = ()
    pack: str | None = None
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    tags: tuple[str, ...] = ()
    further_reading: tuple[str, ...] = ()


@dataclass(frozen=True)
class SuggestionRecord:
    """A suggested question; the approved ones are the space's community pack."""

    id: int
    platform: str
    space_id: str
    channel_id: str | None
    author_id: str
    author_name: str
    fields: SuggestionFields
    status: SuggestionStatus
    created_at: datetime
    decided_by: str | None = None
    decided_by_name: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    review_ref: str | None = None
    posted_at: datetime | None = None
@dataclass(frozen=True)
class StreakRepair:
    """A round an admin repaired (`/practice streak-repair DATE`): it breaks nobody's streak."""

    subscription_id: int
    round_id: int
    local_date: date
    repaired_by: str | None
    repaired_at: datetime


@dataclass(frozen=True)
class MissedQuestion:
    """A question someone should see again: a daily round they did not answer ("missed"), or
    one whose latest self-rating is Again ("again"); `at`: the reveal, or that rating."""

    question_id: str
    reason: Literal["missed", "again"]
    at: datetime


@dataclass(frozen=True)
class RoundTally:
    """One round and how many answered it on time (the weekly recap's most missed question)."""

    round_id: int
    local_date: date
    question_id: str
    answers: int
    revealed: bool


@dataclass(frozen=True)
class FeedbackRecord:
    """Feedback on one graded answer (a quiz's or a daily round's), as the person got it."""

    platform: str
    user_id: str
    source: Literal["quiz", "daily"]
    ref_id: int  # the quiz's id, or the round's
    question_id: str
    feedback: Feedback
    graded_at: datetime


def feedback_json(feedback: Feedback) -> str:
    """The verdicts as a store keeps them (JSON, in the key points' order)."""
    return json.dumps([asdict(v) for v in feedback.verdicts], ensure_ascii=False)


def feedback_from_json(verdicts: str, suggested_rating: str) -> Feedback:
    rating = cast(Rating, suggested_rating)
    return Feedback(tuple(KeyPointVerdict(**v) for v in json.loads(verdicts)), rating)


class DeliveryKind(StrEnum):
    POST = "post"  # a round's question (written by the claim)
    REVEAL = "reveal"  # a round's reference answer (written by the reveal)
    NOTICE = "notice"  # the channel's problem, for its admin (body: the problem's text)
    # The weekly recap (written by the claim of a week's first scheduled round; body: the
    # Monday of the week it sums up; built when sent).
    RECAP = "recap"
    # One answerer's private feedback on a daily round (written by the reveal; body: their
    # user id; graded once when first sent, then kept in `feedback`).
    FEEDBACK = "feedback"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # due at `due_at`
    CLAIMED = "claimed"  # being sent until `lease_until`; past it, in doubt
    DELIVERED = "delivered"
    PARKED = "parked"  # refused for good: waits for the admin (`resume_deliveries`)
    DROPPED = "dropped"  # of no use any more (a recap whose day is over, a fixed problem)


@dataclass(frozen=True)
class Delivery:
    """One outbound message in the outbox (`storage.DeliveryStore`)."""

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
    claimed_by: str | None = None  # the process holding (or last holding) its claim
    # Claimed again after an expired lease: an earlier attempt may have reached the platform.
    in_doubt: bool = False
