"""Group commit: units arriving together share a transaction, yet each stands on its own."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.store import SqliteStore
from bot.store import batch as batch_module


async def test_concurrent_units_share_one_commit_and_each_is_durable_on_return(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await SqliteStore.open(tmp_path / "bot.db")
    batches: list[int] = []
    run_batch = batch_module._run_batch

    def counting(db: sqlite3.Connection, *, units: list[batch_module.Unit[object]]) -> object:
        batches.append(len(units))
        return run_batch(db, units=units)

    monkeypatch.setattr(batch_module, "_run_batch", counting)

    async def remember(key: str) -> None:
        await store._run(
            lambda db: db.execute(
                "INSERT INTO bot_state (key, value, updated_at) VALUES (?, 'x', 0)", (key,)
            )
        )
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
    store = await SqliteStore.open(tmp_path / "bot.db")

    def insert(key: str) -> batch_module.Unit[None]:
        def unit(db: sqlite3.Connection) -> None:
            db.execute("INSERT INTO bot_state (key, value, updated_at) VALUES (?, 'x', 0)", (key,))

        return unit

    def broken(db: sqlite3.Connection) -> None:
        db.execute("INSERT INTO bot_state (key, value, updated_at) VALUES ('half', 'x', 0)")
        raise ValueError("this unit breaks after writing")

    try:
        outcomes = await asyncio.gather(
            store._run(insert("a")),
            store._run(broken),
            store._run(insert("b")),
            return_exceptions=True,
        )
        rows = await store._all("SELECT key FROM bot_state ORDER BY key")
    finally:
        await store.close()
    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], ValueError)
    assert [r[0] for r in rows] == ["a", "b"]  # nothing of the broken unit was kept
