"""Reading back what was written while the bot was away (issue 18, item 7).

After a restart (and after a reconnect that opened a new session) the platforms do not replay
what people wrote meanwhile, so each adapter runs a `ThreadCatchUp` in the background: it reads
the threads of the platform's open rounds, and of rounds revealed in the last day, through a
`ThreadReader`, and stores every message it finds through the engine's usual answer path
(`Engine.handle_missed`), in time by when it was written.

The reads are paced by a per-process budget (`calls_per_minute`, on the engine's clock): one
call at a time, evenly spread, oldest rounds first. A throttled read (429) waits out its
Retry-After; a refused one (no access, channel gone) or a failed one (5xx, a reset) is logged
once per channel and tried again later, with backoff, without holding up the other channels.
Nothing here ever stops the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.core.models import Round, RoundStatus
from bot.core.results import AnswerResult, IncomingMessage

if TYPE_CHECKING:
    from bot.core.engine import Engine

log = logging.getLogger(__name__)

# Rounds revealed this long ago or less are read too: a reveal that fell due while the bot was
# down happens at start-up, before their threads are read.
REVEALED_LOOKBACK = timedelta(days=1)
REFUSED_TRIES = 3  # reads of a refused thread per pass (its channel may be fixed meanwhile)
FAILED_TRIES = 5  # reads of a thread that keeps failing (5xx, resets, timeouts) per pass
FIRST_BACKOFF_S = 30.0
MOST_BACKOFF_S = 30 * 60.0
MOST_THROTTLED = 20  # 429s in a row on one read before it goes to the back of the queue


class ReadThrottled(Exception):
    """The platform said "too many requests": try again after `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited, retry after {retry_after:g} s")
        self.retry_after = retry_after


class ReadRefused(Exception):
    """The platform refuses to show this thread (no access, channel or thread gone)."""


@dataclass(frozen=True)
class ThreadPage:
    """One page of a round's thread, oldest first."""

    messages: Sequence[IncomingMessage]  # the answers on it (bots and notices left out)
    resume: str | None  # where a later read of this thread may start (None: where it started)
    next_page: str | None = None  # the cursor of the next page; None: the end of the thread


class ThreadReader(Protocol):
    """A platform's way to read a round's thread, one page (one API call) at a time."""

    def channel(self, round: Round) -> str:
        """The channel a round's thread is in (failures are logged once per channel)."""
        ...

    async def read(self, round: Round, start: str | None, page: str | None) -> ThreadPage:
        """The page after `start` (None: from the post), continued at `page` (a cursor).
        Raises ReadThrottled or ReadRefused; any other exception is a transient failure."""
        ...

    def stored(self, page: ThreadPage, results: Sequence[AnswerResult]) -> None:
        """The page's messages are durable (e.g. look up the names of new people now)."""
        ...


@dataclass(order=True)
class _Read:
    ready_at: datetime
    order: int
    round: Round = field(compare=False)
    page: str | None = field(default=None, compare=False)
    tries: int = field(default=0, compare=False)
    start: str | None = field(default=None, compare=False)  # a cursor's pages share their start


Sleep = Callable[[float], Awaitable[None]]


class ThreadCatchUp:
    """One platform's catch-up reads in this process (`request` starts a pass)."""

    def __init__(
        self,
        engine: Engine,
        platform: str,
        reader: ThreadReader,
        *,
        calls_per_minute: float,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._engine = engine
        self._platform = platform
        self._reader = reader
        self._spacing = 60.0 / calls_per_minute
        self._sleep = sleep
        self._next_call: datetime | None = None
        self._read_to: dict[int, str] = {}  # round id -> where its thread was read up to
        self._settled: set[int] = set()  # revealed rounds read whole since their reveal
        self._logged: set[str] = set()  # channels whose failure is in the log already
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self.calls = 0  # reads made (each one API call)
        self.stored = 0  # messages handed to the engine

    def request(self) -> None:
        """Read the threads again, in the background: now, or after the pass under way."""
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.create_task(self._passes(), name=f"catch-up-{self._platform}")

    async def settle(self) -> None:
        """Wait for the passes under way (tests; a start-up that wants them done)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _passes(self) -> None:
        while True:
            self._again = False
            try:
                await self.run_pass()
            except asyncio.CancelledError:
                raise
            except Exception:  # the store is unreachable, say: the next request tries again
                log.exception("catch-up of %s threads stopped", self._platform)
            if not self._again:
                return

    async def run_pass(self) -> None:
        """Read every round's thread that may hold unseen answers, within the budget."""
        now = self._engine.now()
        rounds = await self._engine.rounds_to_read(self._platform, now - REVEALED_LOOKBACK)
        order = itertools.count()
        queue = [_Read(now, next(order), r) for r in rounds if r.id not in self._settled]
        heapq.heapify(queue)
        if queue:
            log.info("catch-up: reading %d %s threads", len(queue), self._platform)
        while queue:
            read = heapq.heappop(queue)
            await self._wait_until(read.ready_at)
            retry = await self._read(read)
            if retry is not None:
                if retry.tries:  # after a failure: behind the others; a next page: keeps its place
                    retry.order = next(order)
                heapq.heappush(queue, retry)

    async def _read(self, read: _Read) -> _Read | None:
        """One page of one thread; what to read next for it (None: done, or given up)."""
        round, channel = read.round, self._reader.channel(read.round)
        if read.page is None:
            read.start = self._read_to.get(round.id)
        throttled = 0
        while True:
            await self._pace()
            self.calls += 1
            try:
                page = await self._reader.read(round, read.start, read.page)
                break
            except ReadThrottled as error:
                self._next_call = self._engine.now() + timedelta(seconds=error.retry_after)
                throttled += 1
                if throttled >= MOST_THROTTLED:
                    return self._later(read, channel, error, FAILED_TRIES)
            except ReadRefused as error:
                return self._later(read, channel, error, REFUSED_TRIES)
            except Exception as error:  # 5xx, a reset, a timeout
                return self._later(read, channel, error, FAILED_TRIES)
        results = await self._engine.handle_missed(page.messages)
        self.stored += len(page.messages)
        self._reader.stored(page, results)
        self._logged.discard(channel)
        if page.resume is not None:
            self._read_to[round.id] = page.resume
        if page.next_page is not None:
            return _Read(self._engine.now(), read.order, round, page.next_page, 0, read.start)
        if round.status is RoundStatus.REVEALED:
            self._settled.add(round.id)  # read whole after its reveal: nothing more to find
        return None

    def _later(self, read: _Read, channel: str, error: Exception, most: int) -> _Read | None:
        tries = read.tries + 1
        if channel not in self._logged:
            self._logged.add(channel)
            log.warning(
                "catch-up: cannot read the %s thread of round %d in channel %s (%s); "
                "trying again later", self._platform, read.round.id, channel, error,
            )  # fmt: skip
        if tries >= most:
            return None  # the next pass (a restart, a reconnect) tries again
        backoff = min(FIRST_BACKOFF_S * 2 ** (tries - 1), MOST_BACKOFF_S)
        ready = self._engine.now() + timedelta(seconds=backoff)
        return _Read(ready, 0, read.round, read.page, tries, read.start)

    async def _pace(self) -> None:
        """One call at a time, `spacing` apart on the engine's clock: no burst."""
        if self._next_call is not None:
            await self._wait_until(self._next_call)
        self._next_call = self._engine.now() + timedelta(seconds=self._spacing)

    async def _wait_until(self, moment: datetime) -> None:
        delay = (moment - self._engine.now()).total_seconds()
        while delay > 0:
            await self._sleep(delay)
            delay = (moment - self._engine.now()).total_seconds()
