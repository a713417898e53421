"""The REST calls the bot made, as recorded, and waiting for the bot."""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tests.discord.fake.state import FakeUser, GuildState, Json
from tests.faults import Fault


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any
    status: int = 200  # 0: the connection was reset
    token: str = ""  # the Authorization header: which bot process made the call
    fault: Fault | None = None  # the injected fault this call met
    files: dict[str, bytes] = field(default_factory=dict)  # multipart uploads, by file name

    @property
    def flags(self) -> int:
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        return int((data or {}).get("flags") or 0)

    @property
    def embeds(self) -> list[Json]:
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        return list((data or {}).get("embeds") or [])

    @property
    def components(self) -> list[Json]:
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        return list((data or {}).get("components") or [])

    @property
    def buttons(self) -> list[Json]:
        """The buttons of this message, row by row."""
        return [b for row in self.components for b in row.get("components") or []]

    @property
    def text(self) -> str:
        """Everything a person would read in this message: content and embeds."""
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        data = data or {}
        parts = [data.get("content") or ""]
        for embed in data.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields") or []]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)


@dataclass
class Recorder(GuildState):
    """The calls, in the order they came; `_changed` wakes the waits, so none of them polls."""

    calls: list[Call] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)  # set on each recording

    async def wait_until(self, condition: Callable[[], bool], within: float = 5.0) -> None:
        """Wait until a condition on what the fake recorded holds; re-checked on each call."""
        async with asyncio.timeout(within):
            while not condition():
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_call(self, predicate: Callable[[Call], bool], within: float = 5.0) -> Call:
        await self.wait_until(lambda: any(predicate(c) for c in self.calls), within)
        return next(c for c in self.calls if predicate(c))

    def find(self, method: str, path: str) -> list[Call]:
        """Recorded calls whose path fully matches the regex."""
        return [c for c in self.calls if c.method == method and re.fullmatch(path, c.path)]

    def dms_to(self, user: FakeUser) -> list[Call]:
        """The messages the bot posted (or tried to post) in its DM with a user."""
        return [
            call for channel, owner in self.dm_channels.items() if owner == user.id
            for call in self.find("POST", f"/channels/{channel}/messages")
        ]  # fmt: skip


async def eventually(
    check: Callable[[], bool | Awaitable[bool]], within: float = 5.0, interval: float = 0.01
) -> None:
    """Wait until a condition holds (state the bot's event handlers write, its logs)."""
    async with asyncio.timeout(within):
        while True:
            outcome = check()
            if await outcome if inspect.isawaitable(outcome) else outcome:
                return
            await asyncio.sleep(interval)
