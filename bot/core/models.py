"""Platform-neutral data the core works with and hands back to adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from bot.core.errors import InputError
from bot.core.schedule import Schedule

Window = Literal["week", "month", "all"]
WINDOWS: tuple[Window, ...] = ("week", "month", "all")


@dataclass(frozen=True)
class ChannelRef:
    """A channel on a platform: ('slack', workspace, channel), ('console', 'local', 'general')."""

    platform: str
    space_id: str
    channel_id: str

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.space_id}:{self.channel_id}"

    @property
    def space(self) -> tuple[str, str]:
        """(platform, space id): a workspace, a server, the console."""
        return (self.platform, self.space_id)

    @classmethod
    def parse(cls, key: str) -> ChannelRef:
        parts = key.split(":")
        if len(parts) != 3 or not all(parts):
            raise InputError(f"A channel key looks like 'platform:space:channel' (got '{key}').")
        return cls(*parts)


@dataclass(frozen=True)
class Subscription:
    id: int
    channel: ChannelRef
    schedule: Schedule
    packs: tuple[str, ...] | None
    active: bool
    problem: str | None
    subscribed_by: str | None


class RoundStatus(StrEnum):
    CLAIMED = "claimed"  # the date is taken; the platform post has not been confirmed
    POSTED = "posted"  # open for answers
    REVEALED = "revealed"


@dataclass(frozen=True)
class Round:
    id: int
    subscription_id: int
    local_date: date
    question_id: str
    cycle: int
    kind: Literal["scheduled", "manual"]
    status: RoundStatus
    reveal_at: datetime
    posted_at: datetime | None
    revealed_at: datetime | None
    message_id: str | None
    thread_id: str | None


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    user_id: str
    name: str
    current_streak: int
    best_streak: int
    answers: int


@dataclass(frozen=True)
class Leaderboard:
    scope: str  # a channel key, or 'platform:space' for a whole space
    window: Window
    ranked_by: Literal["streak", "answers"]
    entries: tuple[LeaderboardEntry, ...]  # the top ten
    caller: LeaderboardEntry | None  # the caller's own row when outside the top ten


@dataclass(frozen=True)
class StreakView:
    current: int
    best: int
    answers: int
    answered_open_round: bool  # counts at the next reveal
