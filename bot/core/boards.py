"""Boards: leaderboards (by streak, or by answers in a window) and streaks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from bot.core.errors import InputError
from bot.core.models import ChannelRef, Leaderboard, StreakView, Window
from bot.core.wiring import Wiring

WINDOW_SPANS: Mapping[Window, timedelta | None] = {
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "all": None,
}


class Boards:
    def __init__(self, wiring: Wiring) -> None:
        self._w = wiring

    async def leaderboard(
        self,
        channel: ChannelRef,
        *,
        window: str | None = None,
        whole_space: bool = False,
        caller_id: str | None = None,
    ) -> Leaderboard:
        """By current streak by default; by answers in a window when one is given."""
        if window is not None and window not in WINDOW_SPANS:
            raise InputError(f"Window must be week, month or all (got '{window}').")
        chosen: Window = window if window is not None else "all"  # type: ignore[assignment]
        span = WINDOW_SPANS[chosen]
        return await self._w.store.leaderboard(
            channel=channel,
            whole_space=whole_space,
            window=chosen,
            since=self._w.clock.now() - span if span else None,
            ranked_by="streak" if window is None else "answers",
            caller_id=caller_id,
        )

    async def keep_leaderboards(self) -> None:
        """Upkeep of the leaderboards' counts; the real-time scheduler runs it every minute.

        Boards are exact without it, but each read then has more to set right in memory.
        """
        now = self._w.clock.now()
        await self._w.store.keep_standings(
            {window: now - span for window, span in WINDOW_SPANS.items() if span is not None}
        )

    async def streak(self, channel: ChannelRef, user_id: str) -> StreakView:
        subscription = await self._w.store.subscription(channel)
        if subscription is None:
            return StreakView(0, 0, 0, False)
        return await self._w.store.streak(subscription.id, user_id)
