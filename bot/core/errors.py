"""Errors the core raises. Their messages are written for the person who typed the input."""

from __future__ import annotations

from enum import Enum

from bot.errors import InputError, NotAllowedError, NotFoundError, PracticeError

__all__ = [
    "InputError",
    "NotAllowedError",
    "NotFoundError",
    "PracticeError",
    "PublishError",
    "PublishFailure",
]


class PublishFailure(Enum):
    NOT_IN_CHANNEL = "not_in_channel"  # the bot must be invited
    FORBIDDEN = "forbidden"  # the bot lacks a permission there
    CHANNEL_GONE = "channel_gone"  # deleted or archived: stop posting there
    TRANSIENT = "transient"  # network trouble, rate limits: may work later


class PublishError(PracticeError):
    """Raised by an adapter when the platform refused or failed a post."""

    def __init__(
        self, failure: PublishFailure, detail: str, *, retry_after: float | None = None
    ) -> None:
        super().__init__(detail)
        self.failure = failure
        self.detail = detail
        self.retry_after = retry_after  # seconds the platform asked us to wait (a 429)
