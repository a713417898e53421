"""What every area of the PostgreSQL store shares: the pool, and one transaction per call.

The rows become records with the SQLite store's own functions (`bot.store.base`): both stores
keep the same columns (times as Unix seconds, local dates as text).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from bot.store.postgres.tx import T, Unit, run_unit
from bot.store.standings import StandingsTuning


class PgBase:
    """The plumbing the area mixins use; `PostgresStore` provides the pool."""

    _pool: asyncpg.Pool
    _tuning: StandingsTuning

    async def _run(self, unit: Unit[T]) -> T:
        """Run a unit of work in a transaction of its own; committed when this returns."""
        return await run_unit(self._pool, unit)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[asyncpg.Record]:
        return await self._run(lambda tx: tx.all(sql, params))

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> asyncpg.Record | None:
        return await self._run(lambda tx: tx.one(sql, params))

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement in its own transaction; the number of rows it changed."""
        return await self._run(lambda tx: tx.execute(sql, params))
