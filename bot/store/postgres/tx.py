"""The PostgreSQL store's way to the database: a pool, and one transaction per rule step.

Every call of the store is a unit of work: an async function over a `Tx`, run in one
transaction on a pooled connection and returned only once that transaction has committed (so
an answer is acknowledged only when it is durable). Callers arriving together run in parallel
transactions on different connections; uniqueness lives in the schema, a channel's claims lock
its subscription row (`FOR UPDATE`), and the standings' shared rows are written under one
transaction-scoped advisory lock (`STANDINGS_LOCK`). A unit that meets a deadlock or a
serialization failure is run again from the start, so units (as in the SQLite store) must have
no side effects outside their transaction.

`Tx` takes the SQLite store's `?` placeholders and numbers them (`$1`, `$2`, …) for asyncpg,
so the SQL of both stores reads alike.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import asyncpg

log = logging.getLogger(__name__)
T = TypeVar("T")
Unit = Callable[["Tx"], Awaitable[T]]
# A connection of its own or one lent by the pool.
if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Conn = asyncpg.Connection | PoolConnectionProxy[asyncpg.Record]
STANDINGS_LOCK = 7_230_114_871_002  # held while the shared standings rows are written
_RETRIES = 8
_numbered: dict[str, str] = {}


def numbered(sql: str) -> str:
    """`?` placeholders as `$1`, `$2`, … (the SQL of the stores has no `?` in literals)."""
    done = _numbered.get(sql)
    if done is None:
        counter = iter(range(1, 10_000))
        done = re.sub(r"\?", lambda _: f"${next(counter)}", sql)
        _numbered[sql] = done
    return done


def rowcount(status: str) -> int:
    """The number of rows from a command status such as 'INSERT 0 1' or 'UPDATE 3'."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class Tx:
    """One connection inside one transaction."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement; the number of rows it touched."""
        return rowcount(await self.conn.execute(numbered(sql), *params))

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[asyncpg.Record]:
        return list(await self.conn.fetch(numbered(sql), *params))

    async def one(self, sql: str, params: Sequence[Any] = ()) -> asyncpg.Record | None:
        return await self.conn.fetchrow(numbered(sql), *params)

    async def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self.conn.fetchval(numbered(sql), *params)

    async def lock_standings(self) -> None:
        """Until this transaction ends: the only writer of the shared standings rows."""
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", STANDINGS_LOCK)


async def run_unit(
    pool: asyncpg.Pool, unit: Unit[T], *, isolation: str = "read_committed"
) -> T:
    """Run `unit` in a transaction of its own; again on a deadlock or serialization failure."""
    for attempt in range(_RETRIES):
        try:
            async with pool.acquire() as conn, conn.transaction(isolation=isolation):  # type: ignore[arg-type]
                return await unit(Tx(conn))
        except (asyncpg.DeadlockDetectedError, asyncpg.SerializationError) as error:
            if attempt == _RETRIES - 1:
                raise
            log.debug("retrying a unit of work after %s", type(error).__name__)
            await asyncio.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")
