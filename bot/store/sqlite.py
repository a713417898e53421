"""The SQLite store: `bot.core.ports.Store` over one SQLite file.

Each area of the interface is a module of its own (subscriptions, rounds, answers, boards,
learning, state); this class puts them together and owns the connection's lifetime. Every call
is a unit of work handed to the group commit (`batch`): the calls that arrive together share
one transaction, and a call returns only once its transaction has committed. The leaderboards
read kept standings (`standings`, `board_read`), an implementation detail behind `leaderboard`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from types import TracebackType
from typing import Self

import aiosqlite

from bot.store.answers import Answers
from bot.store.batch import GroupCommit
from bot.store.boards import Boards
from bot.store.learning import Learning
from bot.store.migrate import connect, migrate, require_current
from bot.store.rounds import Rounds
from bot.store.standings import StandingsTuning
from bot.store.state import State
from bot.store.subscriptions import Subscriptions


class SqliteStore(Subscriptions, Rounds, Answers, Boards, Learning, State):
    def __init__(self, conn: aiosqlite.Connection, tuning: StandingsTuning | None = None) -> None:
        conn.row_factory = sqlite3.Row
        self._conn = conn
        self._batch = GroupCommit(conn, asyncio.Lock())
        self._tuning = tuning or StandingsTuning()

    @classmethod
    async def open(
        cls,
        path: Path,
        migrations: Path | None = None,
        *,
        read_only: bool = False,
        tuning: StandingsTuning | None = None,
    ) -> SqliteStore:
        """Open (and migrate) the database; `read_only` opens only an existing, current one."""
        conn = await connect(path, create=not read_only)
        try:
            if read_only:
                await require_current(conn, path)
            else:
                await migrate(conn, migrations)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, tuning)

    async def close(self) -> None:
        await self._batch.drain()
        await self._conn.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
