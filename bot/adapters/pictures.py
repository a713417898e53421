"""The pictures an adapter attaches to its leaderboard and streak replies: drawn off the event
loop, kept until their data changes (`PictureCache`), and never in the way of the text reply
(a picture that cannot be drawn is logged and left out; the text says the same)."""

from __future__ import annotations

import logging

from bot.core.engine import Engine
from bot.core.models import ChannelRef
from bot.images import CalendarData, CardData, Picture, PictureCache, calendar, card, gather

log = logging.getLogger(__name__)

LEADERBOARD_FILE = "leaderboard.png"
STREAK_FILE = "streak.png"


class Pictures:
    def __init__(self) -> None:
        self._cards: PictureCache[CardData] = PictureCache(card.render)
        self._calendars: PictureCache[CalendarData] = PictureCache(calendar.render)

    async def leaderboard(
        self,
        engine: Engine,
        channel: ChannelRef,
        *,
        window: str | None = None,
        whole_space: bool = False,
        caller_id: str | None = None,
    ) -> Picture | None:
        """The board's card; None when there is nothing to draw (or drawing failed)."""
        try:
            if await engine.subscription(channel) is None:
                return None
            data = await gather.card_data(
                engine, channel, window=window, whole_space=whole_space, caller_id=caller_id
            )
            if not data.board.entries:
                return None
            return await self._cards.get(data)
        except Exception:
            log.exception("could not draw the leaderboard of %s", channel.key)
            return None

    async def streak(
        self, engine: Engine, channel: ChannelRef, user_id: str, name: str | None = None
    ) -> Picture | None:
        """Someone's streak calendar; None when the channel is not subscribed (or it failed)."""
        try:
            if await engine.subscription(channel) is None:
                return None
            return await self._calendars.get(
                await gather.calendar_data(engine, channel, user_id, name)
            )
        except Exception:
            log.exception("could not draw the streak of %s in %s", user_id, channel.key)
            return None
