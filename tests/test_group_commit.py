"""Group commit (SQLite): units arriving together share a transaction, yet each stands on its own.

That an acknowledged write is durable is part of the store contract (tests/contract/); these
check the SQLite implementation's batching itself, through its public classes.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.store import SqliteStore
from bot.store.batch import Database, GroupCommit, Unit
from bot.store.migrate import connect


async def test_concurrent_units_share_one_commit_and_each_is_durable_on_return(
    tmp_path: Path,
) -> None:
    batches: list[int] = []
    store = await SqliteStore.open(tmp_path / "bot.db", on_batch=batches.append)

    async def remember(key: str) -> None:
        await store.set_state(key, "x", datetime(2026, 12, 1, tzinfo=UTC))
        # Acknowledged: another connection (another process, after a crash) sees it.
        with sqlite3.connect(tmp_path / "bot.db") as other:
            found = other.execute("SELECT 1 FROM bot_state WHERE key = ?", (key,)).fetchone()
        assert found is not None, key

    try:
        await asyncio.gather(*(remember(f"k{i}") for i in range(50)))
    finally:
        await store.close()
    assert sum(batches) == 50
    assert len(batches) < 50 and max(batches) > 1  # they were committed together


async def test_a_failing_unit_fails_alone(tmp_path: Path) -> None:
    await (await SqliteStore.open(tmp_path / "bot.db")).close()  # the schema
    database = await Database.open(lambda: connect(tmp_path / "bot.db"))
    group = GroupCommit(database)

    def insert(key: str) -> Unit[None]:
        def unit(db: sqlite3.Connection) -> None:
            db.execute("INSERT INTO bot_state (key, value, updated_at) VALUES (?, 'x', 0)", (key,))

        return unit

    def broken(db: sqlite3.Connection) -> None:
        db.execute("INSERT INTO bot_state (key, value, updated_at) VALUES ('half', 'x', 0)")
        raise ValueError("this unit breaks after writing")

    try:
        outcomes = await asyncio.gather(
            group.run(insert("a")),
            group.run(broken),
            group.run(insert("b")),
            return_exceptions=True,
        )
        rows = await group.run(
            lambda db: [r["key"] for r in db.execute("SELECT key FROM bot_state ORDER BY key")]
        )
    finally:
        await group.drain()
        await database.close()
    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], ValueError)
    assert rows == ["a", "b"]  # nothing of the broken unit was kept
