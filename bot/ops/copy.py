"""`practicebot db copy --from SRC --to DST`: a whole database, SQLite ↔ PostgreSQL, checked.

Both schemas have the same tables and columns (the migrations mirror each other number for
number), so the copy moves rows one to one, table by table, parents before children. The
target is migrated first and must be empty (or `force`: emptied). `space_board_keys`, which
triggers keep on both sides, is copied last over whatever the triggers made of the copied
rows. On PostgreSQL the identity sequences are set past the copied ids. Afterwards the copy is
checked: the same row count per table, the same channel streaks, and the same leaderboards of
every channel and space (through the stores themselves). Stop the bot first: a copy of a
database that is being written is not a snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import asyncpg

from bot.core.models import Leaderboard
from bot.errors import OperatorError
from bot.store import is_postgres, mask_url, open_store, sqlite_path

# Parents before children (the PostgreSQL schema has foreign keys); the rest after.
FIRST = ("subscriptions", "rounds", "quizzes", "users", "messages", "answers", "members")
LAST = ("space_members", "space_board_keys")  # the keys over what the triggers made
SEEDED = ("window_edges",)
RANKINGS: tuple[Literal["streak", "answers"], ...] = ("streak", "answers")  # rows the migrations put in: replaced, not counted as data
CHUNK = 5_000


class Side(Protocol):
    label: str

    async def tables(self) -> list[str]: ...
    async def columns(self, table: str) -> list[str]: ...
    async def count(self, table: str) -> int: ...
    def read(self, table: str, columns: Sequence[str]) -> AsyncIterator[list[tuple[Any, ...]]]: ...
    async def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None: ...
    async def clear(self, table: str) -> None: ...
    async def members(self) -> list[tuple[Any, ...]]: ...
    async def finish(self) -> None: ...
    async def close(self) -> None: ...


_MEMBERS = (
    "SELECT subscription_id, user_id, current_streak, best_streak, answers FROM members "
    "ORDER BY subscription_id, user_id"
)


class SqliteSide:
    def __init__(self, path: Path) -> None:
        self.label = str(path)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA foreign_keys = OFF")
        self._db.execute("BEGIN IMMEDIATE")

    async def tables(self) -> list[str]:
        rows = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        return sorted(r[0] for r in rows)

    async def columns(self, table: str) -> list[str]:
        return [r[1] for r in self._db.execute(f'PRAGMA table_info("{table}")')]

    async def count(self, table: str) -> int:
        return int(self._db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])

    async def read(
        self, table: str, columns: Sequence[str]
    ) -> AsyncIterator[list[tuple[Any, ...]]]:
        cursor = self._db.execute(f'SELECT {", ".join(columns)} FROM "{table}"')
        while rows := cursor.fetchmany(CHUNK):
            yield [tuple(r) for r in rows]

    async def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in columns)
        self._db.executemany(
            f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})', rows
        )

    async def clear(self, table: str) -> None:
        self._db.execute(f'DELETE FROM "{table}"')

    async def members(self) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._db.execute(_MEMBERS)]

    async def finish(self) -> None:
        self._db.execute("COMMIT")
        self._db.execute("BEGIN IMMEDIATE")

    async def close(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")
        self._db.close()


class PostgresSide:
    def __init__(self, url: str, conn: asyncpg.Connection) -> None:
        self.label = mask_url(url)
        self._conn = conn
        self._tx = conn.transaction()

    @classmethod
    async def open(cls, url: str) -> PostgresSide:
        side = cls(url, await asyncpg.connect(url))
        await side._tx.start()
        return side

    async def tables(self) -> list[str]:
        rows = await self._conn.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "AND table_name != 'schema_version'"
        )
        return sorted(r[0] for r in rows)

    async def columns(self, table: str) -> list[str]:
        rows = await self._conn.fetch(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            table,
        )
        return [r[0] for r in rows]

    async def count(self, table: str) -> int:
        return int(await self._conn.fetchval(f'SELECT COUNT(*) FROM "{table}"'))

    async def read(
        self, table: str, columns: Sequence[str]
    ) -> AsyncIterator[list[tuple[Any, ...]]]:
        cursor = self._conn.cursor(f'SELECT {", ".join(columns)} FROM "{table}"')
        chunk: list[tuple[Any, ...]] = []
        async for record in cursor:
            chunk.append(tuple(record))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    async def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        await self._conn.copy_records_to_table(table, records=rows, columns=list(columns))

    async def clear(self, table: str) -> None:
        await self._conn.execute(f'DELETE FROM "{table}"')

    async def members(self) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in await self._conn.fetch(_MEMBERS)]

    async def finish(self) -> None:
        """Set every identity sequence past the copied ids, and commit."""
        rows = await self._conn.fetch(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_identity = 'YES'"
        )
        for table, column in rows:
            await self._conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)'
            )
        await self._tx.commit()
        self._tx = self._conn.transaction()
        await self._tx.start()

    async def close(self) -> None:
        with contextlib.suppress(asyncpg.InterfaceError):
            await self._tx.rollback()
        await self._conn.close()


@dataclass(frozen=True)
class CopyReport:
    counts: dict[str, int]  # rows per table, the same on both sides
    boards: int  # leaderboards compared
    members: int  # channel streak rows compared


async def _open_side(location: str) -> Side:
    if is_postgres(location):
        return await PostgresSide.open(location)
    return SqliteSide(sqlite_path(location))


def _order(tables: Sequence[str]) -> list[str]:
    middle = sorted(t for t in tables if t not in FIRST and t not in LAST)
    return [t for t in FIRST if t in tables] + middle + [t for t in LAST if t in tables]


async def copy_database(source: str, target: str, *, force: bool = False) -> CopyReport:
    """Copy every row of `source` into `target` (migrated first), then check the copy."""
    if source == target:
        raise OperatorError("--from and --to are the same database.")
    if not is_postgres(source) and not sqlite_path(source).exists():
        raise OperatorError(f"No database at {source}.")
    async with await open_store(source, read_only=True):
        pass  # the source is a practicebot database at this code's schema version
    async with await open_store(target):
        pass  # the target has the current schema
    src, dst = await _open_side(source), await _open_side(target)
    try:
        tables = await src.tables()
        missing = set(tables) ^ set(await dst.tables())
        if missing:
            raise OperatorError(f"The two schemas differ in tables: {', '.join(sorted(missing))}.")
        order = _order(tables)
        data = [t for t in order if t not in SEEDED and await dst.count(t)]
        if data and not force:
            raise OperatorError(
                f"{dst.label} already has data (in {', '.join(data)}): copy into an empty "
                "database, or add --force to empty it first."
            )
        for table in reversed(order):
            await dst.clear(table)
        for table in order:
            columns = await src.columns(table)
            if set(columns) != set(await dst.columns(table)):
                raise OperatorError(f"The table {table} has other columns on each side.")
            if table == "space_board_keys":
                await dst.clear(table)  # what the triggers made of the copied space rows
            async for rows in src.read(table, columns):
                await dst.write(table, columns, rows)
        await dst.finish()
        counts = {}
        for table in order:
            mine, theirs = await src.count(table), await dst.count(table)
            if mine != theirs:
                raise OperatorError(f"Check failed: {table} has {mine} rows here, {theirs} there.")
            counts[table] = mine
        members = await src.members()
        if members != await dst.members():
            raise OperatorError("Check failed: the channel streaks differ after the copy.")
    finally:
        await src.close()
        await dst.close()
    boards = await _compare_boards(source, target)
    return CopyReport(counts, boards, len(members))


async def _compare_boards(source: str, target: str) -> int:
    """Every channel's and space's boards (both orders, all time) read alike from both."""
    compared = 0
    async with await open_store(source, read_only=True) as a, await open_store(
        target, read_only=True
    ) as b:
        subscriptions = await a.subscriptions(active_only=False)
        spaces = {s.channel for s in subscriptions}
        for channel in sorted(spaces, key=lambda c: c.key):
            for whole_space in (False, True):
                for ranked_by in RANKINGS:
                    boards: list[Leaderboard] = [
                        await store.leaderboard(
                            channel=channel, whole_space=whole_space, window="all", since=None,
                            ranked_by=ranked_by, caller_id=None, size=10,
                        )
                        for store in (a, b)
                    ]
                    if boards[0] != boards[1]:
                        raise OperatorError(
                            f"Check failed: the {ranked_by} board of {channel.key} "
                            f"{'(whole space) ' if whole_space else ''}differs after the copy."
                        )
                    compared += 1
    return compared


def copy_command(source: str, target: str, *, force: bool = False) -> int:
    report = asyncio.run(copy_database(source, target, force=force))
    rows = sum(report.counts.values())
    print(
        f"Copied {rows} rows in {len(report.counts)} tables from {mask_url(source)} to "
        f"{mask_url(target)}; checked: row counts, {report.members} channel streaks and "
        f"{report.boards} leaderboards are the same on both."
    )
    return 0


__all__ = ["CopyReport", "copy_command", "copy_database"]
