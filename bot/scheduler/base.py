"""What the runtime needs from a scheduler, and what both runners share.

The database is the source of truth: jobs are rebuilt from subscriptions and open rounds at
start-up (`rebuild_jobs`), nothing is pickled. The job functions (`Jobs`) are the same for both
runners; only how time passes differs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Protocol

from bot.core.engine import Engine
from bot.core.models import Round, Subscription
from bot.core.ports import ScheduleListener

log = logging.getLogger(__name__)
# Posts in progress at once. At a busy minute thousands of post jobs fire together; the rest
# wait their turn, which keeps the store's batches and the bot's memory at a sane size.
POSTS_AT_ONCE = 256

DailyJob = Callable[[], Awaitable[None]]


class Scheduler(Protocol):
    """Timed jobs: each channel's daily post and each round's reveal, plus maintenance."""

    @property
    def moves_time(self) -> bool:
        """True when time passes only by `advance` (a manual clock), not on its own."""
        ...

    async def start(self) -> None:
        """Build the jobs from the database, catch up, and start (inside the running loop)."""
        ...

    async def stop(self, timeout_s: float = 8.0) -> bool:
        """Fire no more jobs, then let the ones in flight finish; False if some did not."""
        ...

    def subscription_changed(self, subscription: Subscription) -> None: ...

    def round_posted(self, round: Round) -> None: ...

    def add_daily_job(self, job_id: str, hour: int, minute: int, job: DailyJob) -> None:
        """A maintenance job once a day at HH:MM UTC (e.g. the backup)."""
        ...


    async def advance(self, delta: timedelta) -> None:
        """Move time forward, running what falls due; only when `moves_time`."""
        ...


async def rebuild_jobs(engine: Engine, listener: ScheduleListener) -> None:
    """Listen to the engine, and add a job for every active subscription and open round."""
    engine.set_schedule_listener(listener)
    for subscription in await engine.active_subscriptions():
        listener.subscription_changed(subscription)
    for open_round in await engine.open_rounds():
        listener.round_posted(open_round)


class Jobs:
    """The job functions both runners call. Errors are logged, never raised into the runner.

    Jobs in flight are counted so a shutdown can let them finish: a post is never cut between
    its claim and the record of where it went.
    """

    def __init__(self, engine: Engine, posts_at_once: int = POSTS_AT_ONCE) -> None:
        self.engine = engine
        self.stopping = False
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._posting = asyncio.Semaphore(posts_at_once)
        self.posts_due = 0  # post jobs fired and not finished (running or waiting their turn)
        self._tasks: set[asyncio.Future[None]] = set()

    @contextmanager
    def _running(self) -> Iterator[None]:
        self._in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def post(self, subscription_id: int) -> None:
        await self._detached(self._post(subscription_id))

    async def reveal(self, round_id: int) -> None:
        await self._detached(self._reveal(round_id))

    async def _detached(self, work: Coroutine[Any, Any, None]) -> None:
        """Run a job's work in a task of its own: a runner that cancels its job (APScheduler's
        executor does at shutdown) stops waiting, never the request in flight; `drain` waits."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        await asyncio.shield(task)

    async def _post(self, subscription_id: int) -> None:
        self.posts_due += 1
        try:
            with self._running():
                async with self._posting:
                    if self.stopping:  # not begun: the next start's catch-up posts it
                        return
                    try:
                        await self.engine.post_due(subscription_id)
                    except Exception:
                        log.exception("post job failed subscription=%s", subscription_id)
        finally:
            self.posts_due -= 1

    async def _reveal(self, round_id: int) -> None:
        with self._running():
            if self.stopping:  # not begun: the next start's catch-up reveals it
                return
            try:
                await self.engine.reveal(round_id)
            except Exception:
                log.exception("reveal job failed round=%s", round_id)

    async def deliver(self) -> None:
        """The delivery worker's step: retries and deliveries in doubt that are due."""
        if self.stopping:  # what is left stays in the outbox for the next start
            return
        with self._running():
            try:
                await self.engine.deliver_due()
            except Exception:
                log.exception("delivery step failed")

    async def catch_up(self) -> None:
        with self._running():
            try:
                await self.engine.catch_up(keep_going=lambda: not self.stopping)
            except Exception:
                log.exception("catch-up failed")

    async def drain(self, timeout_s: float) -> bool:
        """Wait for the jobs in flight; False if some were still running after the timeout."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout_s)
        except TimeoutError:
            log.warning("%d job(s) still running at shutdown", self._in_flight)
            return False
        return True
