"""The database thread, and group commit: the store's calls that arrive together share one
transaction and one thread hop.

`Database` owns the sqlite3 connection on a single-thread executor of its own: the connection
is made on that thread and only ever used there, and `call` hands the thread one plain function
over the connection. (This replaces aiosqlite, which has no public call for a whole unit of
work.) Each hop to that thread and back costs, and a transaction written statement by statement
costs a hop per statement. So the store hands the thread a whole unit of work at once (a plain
function over the sqlite3 connection), and whatever units arrive while one batch runs go
together in the next:

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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")
Unit = Callable[[sqlite3.Connection], T]


class Database:
    """One sqlite3 connection on a thread of its own; `call` runs a function there."""

    def __init__(self, executor: ThreadPoolExecutor, conn: sqlite3.Connection) -> None:
        self._executor = executor
        self._conn = conn
        self._closed = False

    @classmethod
    async def open(cls, connect: Callable[[], sqlite3.Connection]) -> Database:
        """Make the connection with `connect`, on the thread that will own it."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="practicebot-db")
        try:
            conn = await asyncio.get_running_loop().run_in_executor(executor, connect)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(executor, conn)

    async def call(self, unit: Unit[T]) -> T:
        """Run `unit` with the connection, on its thread, in one hop (no transaction added)."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, unit, self._conn)

    async def close(self) -> None:
        """Close the connection and let its thread go (again: nothing happens)."""
        if self._closed:
            return
        self._closed = True
        try:
            await self.call(lambda db: db.close())
        finally:
            self._executor.shutdown(wait=False)


def run_batch(db: sqlite3.Connection, units: list[Unit[Any]]) -> list[tuple[bool, Any]]:
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
    """Runs units of work for many callers, a batch per transaction (see the module's text).

    `on_batch`, when given, is told each batch's size as it commits (for tests and metrics).
    """

    def __init__(self, database: Database, on_batch: Callable[[int], None] | None = None) -> None:
        self._database = database
        self._on_batch = on_batch
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
        while self._pending:  # one flusher at a time: batches never overlap
            batch, self._pending = self._pending, []
            try:
                units = [unit for unit, _ in batch]
                outcomes = await self._database.call(partial(run_batch, units=units))
            except BaseException as error:  # the transaction failed: no unit is committed
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                if not isinstance(error, Exception):
                    raise
                continue
            if self._on_batch is not None:
                self._on_batch(len(batch))
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():  # its caller went away; the work is committed all the same
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
            del batch, outcomes  # not kept alive while the next batch waits
