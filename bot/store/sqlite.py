"""The SQLite store: `bot.core.storage.Store` over one SQLite file.

Each area of the interface is a module of its own (subscriptions, rounds, answers, boards,
learning, state); this class puts them together and owns the database's lifetime. Every call
is a unit of work handed to the group commit (`batch`), on the database's own thread: the calls
that arrive together share one transaction, and a call returns only once its transaction has
committed. The leaderboards read kept standings (`standings`, `board_read`), an implementation
detail behind `leaderboard`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

from bot.store import migrate
from bot.store.answers import Answers
from bot.store.batch import Database, GroupCommit
from bot.store.boards import Boards
from bot.store.deliveries import Deliveries
from bot.store.feedback import Feedbacks
from bot.store.history import History
from bot.store.installs import Installs
from bot.store.learning import Learning
from bot.store.missed import Missed
from bot.store.outbox_kinds import OutboxKinds
from bot.store.recaps import Recaps
from bot.store.repairs import Repairs
from bot.store.rounds import Rounds
from bot.store.spaces import Spaces
from bot.store.standings import StandingsTuning
from bot.store.state import State
from bot.store.subscriptions import Subscriptions
from bot.store.suggestions import Suggestions


class SqliteStore(
    Subscriptions, Rounds, Answers, Boards, Learning, State, Spaces, History, Suggestions,
    Repairs, Missed, Recaps, Deliveries, OutboxKinds, Feedbacks, Installs,
):  # fmt: skip
    def __init__(
        self,
        database: Database,
        tuning: StandingsTuning | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self._database = database
        self._batch = GroupCommit(database, on_batch)
        self._tuning = tuning or StandingsTuning()

    @classmethod
    async def open(
        cls,
        path: Path,
        migrations: Path | None = None,
        *,
        read_only: bool = False,
        tuning: StandingsTuning | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> SqliteStore:
        """Open (and migrate) the database; `read_only` opens only an existing, current one.

        `tuning`: the standings' steps (see `StandingsTuning`); `on_batch` is told the size of
        each committed batch.
        """
        database = await Database.open(lambda: migrate.connect(path, create=not read_only))

        def prepare(db: sqlite3.Connection) -> None:
            if read_only:
                migrate.require_current(db, path)
            else:
                migrate.migrate(db, migrations)

        try:
            await database.call(prepare)
        except BaseException:
            await database.close()
            raise
        return cls(database, tuning, on_batch)

    async def close(self) -> None:
        await self._batch.drain()
        await self._database.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
