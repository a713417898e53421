"""What the core hands back to adapters: plain data, for each platform to render its own way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.bank.models import Question
from bot.core.errors import PublishFailure
from bot.core.models import Round, Subscription
from bot.core.records import Answerer, ChangeOutcome, MessageOutcome, StreakRepair
from bot.grading.base import Feedback


@dataclass(frozen=True)
class IncomingMessage:
    """A message seen in a thread on some platform."""

    platform: str
    thread_id: str
    message_id: str
    user_id: str
    user_name: str
    text: str
    is_bot: bool = False
    event_id: str | None = None  # the platform's delivery id, when it has one
    # When it was written, by the platform's own clock (messages read back from a thread's
    # history: catch-up); None: now, when it arrives live.
    written_at: datetime | None = None
    # Read from history with an edit: the edit's key (the newest text wins, once per edit).
    edit_id: str | None = None


class PostStatus(StrEnum):
    POSTED = "posted"
    ALREADY = "already"  # the channel already has a round for that local date
    FAILED = "failed"  # refused for good (parked until fixed), or given up
    QUEUED = "queued"  # claimed; its post waits in the outbox for a retry (`detail`: why)
    NOT_SUBSCRIBED = "not_subscribed"


@dataclass(frozen=True)
class PostResult:
    status: PostStatus
    round: Round | None = None
    question: Question | None = None
    failure: PublishFailure | None = None
    detail: str = ""


@dataclass(frozen=True)
class RevealResult:
    round: Round
    question: Question
    answerers: tuple[Answerer, ...]
    # None: the reveal message is delivered; else why it waits in the outbox (retried, or
    # parked until the admin fixes the channel). Streaks moved on either way.
    queued: str | None = None


@dataclass(frozen=True)
class AnswerResult:
    outcome: MessageOutcome | None  # None: not an answer at all (bot, or not a round's thread)
    round: Round | None = None
    truncated: bool = False


@dataclass(frozen=True)
class ChangeResult:
    outcome: ChangeOutcome
    truncated: bool = False


@dataclass(frozen=True)
class ChannelStatus:
    subscription: Subscription | None
    open_round: Round | None
    open_question: Question | None
    next_post: datetime | None
    repairs: tuple[StreakRepair, ...] = ()  # the channel's repaired rounds, latest first
    # The channel's deliveries not delivered yet, as (kind, state, last error): "post" or
    # "reveal"; "parked" (waits for a fix) or "queued" (retried on its own).
    waiting: tuple[tuple[str, str, str | None], ...] = ()


@dataclass(frozen=True)
class QuizCard:
    quiz_id: int
    question: Question
    pack_title: str
    intro: str | None = None  # e.g. "2 reviews due — here is the first."
    written_answer: str | None = None  # what the person wrote before the reveal
    feedback: Feedback | None = None  # key points covered and missed by the written answer
