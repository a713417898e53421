"""The console's pictures: /leaderboard and /streak write a PNG beside the database (in the
demo's temporary folder for a demo) and say where. Each is drawn again only when its data
changed."""

from __future__ import annotations

from pathlib import Path

from bot.core.engine import Engine
from bot.core.models import ChannelRef
from bot.images import CalendarData, CardData, PictureCache, calendar, card, gather


class ConsolePictures:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cards: PictureCache[CardData] = PictureCache(card.render)
        self._calendars: PictureCache[CalendarData] = PictureCache(calendar.render)

    async def leaderboard(
        self, engine: Engine, channel: ChannelRef, *, window: str | None, caller_id: str
    ) -> Path:
        data = await gather.card_data(engine, channel, window=window, caller_id=caller_id)
        return self._write("leaderboard.png", (await self._cards.get(data)).png)

    async def streak(self, engine: Engine, channel: ChannelRef, user_id: str, name: str) -> Path:
        data = await gather.calendar_data(engine, channel, user_id, name)
        return self._write(f"streak-{user_id}.png", (await self._calendars.get(data)).png)

    def _write(self, name: str, png: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / name
        path.write_bytes(png)
        return path
