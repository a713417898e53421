"""What the core needs from the outside, as small protocols: adapters and the scheduler fill them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.bank.models import Question
from bot.core.models import Round, Subscription
from bot.grading.base import Feedback
from bot.store import Answerer


@dataclass(frozen=True)
class RoundPost:
    """A question to post in a channel, opening a thread for answers."""

    subscription: Subscription
    round: Round
    question: Question
    pack_title: str
    reveal_at: datetime


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


class Publisher(Protocol):
    """An adapter's outbound side. Raises PublishError when the platform refuses."""

    async def post_round(self, post: RoundPost) -> PostedRef: ...

    async def post_reveal(self, reveal: RevealPost) -> None: ...


class ScheduleListener(Protocol):
    """Told about changes so timed jobs follow the database."""

    def subscription_changed(self, subscription: Subscription) -> None: ...

    def round_posted(self, round: Round) -> None: ...
