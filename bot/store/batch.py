"""Group commit: the store's calls that arrive together share one transaction and one thread hop.

aiosqlite runs every statement on the connection's own thread; each call is a hop there and
back, and a transaction written statement by statement costs a hop per statement. So the store
hands the connection's thread a whole unit of work at once (a plain function over the sqlite3
connection), and whatever units arrive while one batch runs go together in the next:

    BEGIN IMMEDIATE; unit 1; unit 2; …; unit n; COMMIT

One person answering alone pays one hop; a burst of answers, or 5,000 channels posting at
09:00, pays one hop and one commit per batch.

Durability: a caller's `run` returns (and the bot acknowledges the answer to the user) only
after the COMMIT of the batch holding its unit has returned. Nothing is acknowledged from
memory: a crash before that COMMIT loses only units nobody was told about, and those are
redelivered by the platform or retried by the scheduler (the claim of a day is in the same
database). With WAL and synchronous=NORMAL (see `migrate.connect`) a commit is in the WAL file
when COMMIT returns, so it survives the bot's process crashing; a power cut may lose the last
transactions, as it would for any single-row commit on the same settings.

A unit that raises must not take the others down with it. Savepoints would isolate units, but
they cost more than the units themselves (SQLite journals every page a savepoint touches), so
instead the whole batch is rolled back and run again without the failed unit, whose caller gets
the exception. Units are therefore plain functions of the database: running one again after a
rollback must be harmless (no side effects outside the transaction). A failed COMMIT fails
every unit of the batch, and none of them is acknowledged.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar, cast

import aiosqlite

T = TypeVar("T")
Unit = Callable[[sqlite3.Connection], T]


def on_connection_thread(conn: aiosqlite.Connection, unit: Unit[T]) -> Awaitable[T]:
    """Run `unit` with the sqlite3 connection, on the thread that owns it, in one hop.

    aiosqlite has no public call for this; `_execute` is the queue all of its own methods use,
    and `_conn` the sqlite3 connection of that thread (both there since aiosqlite's early days).
    """
    raw = conn._conn
    execute = cast(Callable[..., Awaitable[T]], conn._execute)
    return execute(unit, raw)


def _run_batch(db: sqlite3.Connection, *, units: list[Unit[Any]]) -> list[tuple[bool, Any]]:
    """On the connection's thread: every unit, in order, in one transaction.

    When a unit raises, the transaction is rolled back and run again without it (see above).
    """
    failed: dict[int, Exception] = {}
    while True:
        results: list[Any] = []
        db.execute("BEGIN IMMEDIATE")
        try:
            for index, unit in enumerate(units):
                if index in failed:
                    results.append(None)
                    continue
                try:
                    results.append(unit(db))
                except Exception as error:
                    failed[index] = error
                    break
            else:
                db.execute("COMMIT")
                return [
                    (False, failed[i]) if i in failed else (True, result)
                    for i, result in enumerate(results)
                ]
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        db.execute("ROLLBACK")


class GroupCommit:
    """Runs units of work for many callers, a batch per transaction (see the module's text)."""

    def __init__(self, conn: aiosqlite.Connection, lock: asyncio.Lock) -> None:
        self._conn = conn
        self._lock = lock  # shared with the store's statement-by-statement transactions
        self._pending: list[tuple[Unit[Any], asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def run(self, unit: Unit[T]) -> T:
        """Run `unit` in the next batch; return its result once that batch is committed."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((unit, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def drain(self) -> None:
        """Wait until every unit handed in so far is committed (or failed)."""
        while self._flusher is not None and not self._flusher.done():
            await asyncio.wait({self._flusher})

    async def _flush(self) -> None:
        while self._pending:
            async with self._lock:
                batch, self._pending = self._pending, []
                try:
                    units = [unit for unit, _ in batch]
                    outcomes = await on_connection_thread(
                        self._conn, partial(_run_batch, units=units)
                    )
                except BaseException as error:  # the transaction failed: no unit is committed
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    if not isinstance(error, Exception):
                        raise
                    continue
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():  # its caller went away; the work is committed all the same
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
            del batch, outcomes  # not kept alive while the next batch waits for the lock
