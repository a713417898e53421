"""Errors the core raises. Their messages are written for the person who typed the input."""

from __future__ import annotations

from enum import Enum


class PracticeError(Exception):
    """Base class: anything the bot can explain to a user or operator."""


class InputError(PracticeError):
    """Bad input from a user (a time, a timezone, a pack name...). Nothing was changed."""


class NotAllowedError(PracticeError):
    """The caller may not do this (e.g. a non-admin running an admin command)."""


class NotFoundError(PracticeError):
    """The thing asked about does not exist (no subscription, no open round...)."""


class PublishFailure(Enum):
    NOT_IN_CHANNEL = "not_in_channel"  # the bot must be invited
    FORBIDDEN = "forbidden"  # the bot lacks a permission there
    CHANNEL_GONE = "channel_gone"  # deleted or archived: stop posting there
    TRANSIENT = "transient"  # network trouble, rate limits: may work later


class PublishError(PracticeError):
    """Raised by an adapter when the platform refused or failed a post."""

    def __init__(self, failure: PublishFailure, detail: str) -> None:
        super().__init__(detail)
        self.failure = failure
        self.detail = detail
