"""Streak repair: an admin marks a channel's round as skipped for everyone, so nobody's streak
is broken by it (the bot was down, or a post failed through no fault of the team).

The rule is `streaks.apply_reveal(..., repaired=True)`; the store applies it (`RepairStore`).
"""

from __future__ import annotations

from datetime import date

from bot.core import schedule as rules
from bot.core.errors import InputError, NotFoundError
from bot.core.models import ChannelRef
from bot.core.records import StreakRepair
from bot.core.wiring import Wiring


def parse_day(value: str) -> date:
    """A repair's date, as YYYY-MM-DD."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"Give the round's date as YYYY-MM-DD (got '{value}').") from None


class Repairs:
    def __init__(self, wiring: Wiring) -> None:
        self._w = wiring

    async def repair(
        self, channel: ChannelRef, day_text: str, by: str | None
    ) -> tuple[StreakRepair, bool]:
        """Repair the channel's round of that date: (the repair, whether it is new)."""
        subscription = await self._w.store.subscription(channel)
        if subscription is None:
            raise NotFoundError("This channel has no daily question, so no round to repair.")
        day = parse_day(day_text)
        today = rules.local_date(subscription.schedule, self._w.clock.now())
        if day > today:
            raise InputError(f"{day.isoformat()} is still to come: only past rounds are repaired.")
        done = await self._w.store.repair_round(subscription.id, day, by, self._w.clock.now())
        if done is None:
            raise NotFoundError(f"This channel had no round on {day.isoformat()}.")
        return done

    async def repairs(self, channel: ChannelRef) -> list[StreakRepair]:
        subscription = await self._w.store.subscription(channel)
        if subscription is None:
            return []
        return await self._w.store.streak_repairs(subscription.id)
