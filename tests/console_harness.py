"""The console session in process: lines in, what it wrote out (for the tests of issue 16)."""

from __future__ import annotations

import io
from pathlib import Path

from bot.adapters.console.session import ConsoleSession
from bot.adapters.console.terminal import Terminal
from tests.helpers import CHANNEL, World


class ConsoleRun:
    def __init__(self, world: World, user: str = "Alice", pictures: Path | None = None) -> None:
        self.out = io.StringIO()
        terminal = Terminal(io.StringIO(), self.out, interactive=False)
        self.session = ConsoleSession(
            world.engine, user=user, terminal=terminal, channel_ref=CHANNEL, pictures_dir=pictures
        )

    async def say(self, line: str, user: str | None = None) -> str:
        """Type a line (as `user` when given); the text it wrote, wrapping undone."""
        if user is not None:
            self.session.user = user
        start = len(self.out.getvalue())
        await self.session.handle_line(line)
        return " ".join(self.out.getvalue()[start:].split())
