"""Timed jobs: each channel's daily post and each round's reveal.

The database is the source of truth: jobs are rebuilt from subscriptions and open rounds at
start-up, nothing is pickled. Two runners share the triggers and the job functions:

- `RealTimeScheduler` hands them to APScheduler's AsyncIOScheduler (wall-clock time);
- `ManualScheduler` walks the same triggers when told to `advance`, moving a ManualClock to
  each fire time in turn, so a week of rounds passes in a moment (tests, the console demo).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.cron import CronTrigger

from bot.clock import ManualClock
from bot.core.engine import Engine
from bot.core.models import Round, RoundStatus, Subscription
from bot.scheduler.triggers import post_job_id, post_trigger, reveal_job_id, reveal_trigger

log = logging.getLogger(__name__)
_TICK = timedelta(microseconds=1)
# Posts in progress at once. At a busy minute thousands of post jobs fire together; the rest
# wait their turn, which keeps the store's batches and the bot's memory at a sane size.
POSTS_AT_ONCE = 256
_REVEALS_WAIT_S = 0.05  # how often the reveal jobs check whether the posts are done
_REVEALS_WAIT_AT_MOST_S = 30.0  # then they are added anyway (a post may hang on its platform)
LEADERBOARD_UPKEEP_S = 60.0


class _Jobs:
    """The job functions both runners call. Errors are logged, never raised into the runner.

    Jobs in flight are counted so a shutdown can let them finish: a post is never cut between
    its claim and the record of where it went.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.stopping = False
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._posting = asyncio.Semaphore(POSTS_AT_ONCE)
        self.posts_due = 0  # post jobs fired and not finished (running or waiting their turn)

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

    async def reveal(self, round_id: int) -> None:
        with self._running():
            try:
                await self.engine.reveal(round_id)
            except Exception:
                log.exception("reveal job failed round=%s", round_id)

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


class RealTimeScheduler:
    def __init__(self, engine: Engine, *, post_grace: timedelta) -> None:
        self.engine = engine
        self._jobs = _Jobs(engine)
        self._post_grace = int(post_grace.total_seconds())
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._catch_up: asyncio.Task[None] | None = None
        self._reveals_to_add: list[Round] = []
        self._reveals_since = 0.0  # loop time the oldest of them has waited since
        self._upkeep: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Build the jobs from the database, catch up, and start (inside the running loop)."""
        self.engine.set_schedule_listener(self)
        for subscription in await self.engine.store.subscriptions():
            self.subscription_changed(subscription)
        for open_round in await self.engine.store.rounds_with_status(RoundStatus.POSTED):
            self.round_posted(open_round)
        self._add_reveals()
        self._scheduler.start()
        # Catch up in the background, as a job in flight: a stop signal is heard meanwhile.
        self._catch_up = asyncio.create_task(self._jobs.catch_up())
        self._upkeep = asyncio.create_task(self._keep_leaderboards())

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._upkeep is not None:
            self._upkeep.cancel()

    async def _keep_leaderboards(self) -> None:
        """Every minute, the leaderboards' upkeep (so that reading a board stays cheap)."""
        while True:
            await asyncio.sleep(LEADERBOARD_UPKEEP_S)
            try:
                await self.engine.keep_leaderboards()
            except Exception:
                log.exception("leaderboard upkeep failed")

    async def stop(self, timeout_s: float = 8.0) -> bool:
        """Fire no more jobs, then let the ones in flight finish."""
        self._jobs.stopping = True
        self.shutdown()
        if self._catch_up is not None and not self._catch_up.done():
            await asyncio.wait({self._catch_up}, timeout=timeout_s)
        return await self._jobs.drain(timeout_s)

    def add_daily_job(
        self, job_id: str, hour: int, minute: int, job: Callable[[], Awaitable[None]]
    ) -> None:
        """A maintenance job once a day at HH:MM UTC (e.g. the backup)."""
        self._scheduler.add_job(
            job, CronTrigger(hour=hour, minute=minute, timezone="UTC"), id=job_id,
            replace_existing=True, coalesce=True, misfire_grace_time=3600,
        )  # fmt: skip

    def subscription_changed(self, subscription: Subscription) -> None:
        job_id = post_job_id(subscription.id)
        if not subscription.active:
            if self._scheduler.get_job(job_id):
                self._scheduler.remove_job(job_id)
            return
        # A late start within the grace still posts; later than that the day is skipped
        # (the same rule `catch_up` applies at start-up).
        self._scheduler.add_job(
            self._jobs.post, post_trigger(subscription), args=[subscription.id], id=job_id,
            replace_existing=True, coalesce=True, misfire_grace_time=self._post_grace,
        )  # fmt: skip

    def round_posted(self, round: Round) -> None:
        # Reveal jobs are added together, once the posts due have all gone out: at a busy
        # minute thousands of rounds are posted at once, adding a job costs APScheduler about
        # 0.1 ms (and a wake-up), and a reveal is at least five minutes away.
        self._reveals_to_add.append(round)
        if len(self._reveals_to_add) == 1:
            loop = asyncio.get_running_loop()
            self._reveals_since = loop.time()
            loop.call_soon(self._add_reveals)

    def _add_reveals(self) -> None:
        if self._jobs.posts_due and self._scheduler.running:
            loop = asyncio.get_running_loop()
            if loop.time() - self._reveals_since < _REVEALS_WAIT_AT_MOST_S:
                loop.call_later(_REVEALS_WAIT_S, self._add_reveals)
                return
        rounds, self._reveals_to_add = self._reveals_to_add, []
        if not rounds:
            return
        running = self._scheduler.running and self._scheduler.state == STATE_RUNNING
        if running:
            self._scheduler.pause()  # no wake-up per job; resume() wakes it once
        try:
            for round in rounds:
                # A reveal is never dropped, however late: misfire_grace_time=None.
                self._scheduler.add_job(
                    self._jobs.reveal, reveal_trigger(round.reveal_at), args=[round.id],
                    id=reveal_job_id(round.id), replace_existing=True, misfire_grace_time=None,
                )  # fmt: skip
        finally:
            if running:
                self._scheduler.resume()


@dataclass(order=True)
class _Pending:
    when: datetime
    order: int  # reveals (0) before posts (1) at the same instant
    job_id: str = field(compare=False)
    trigger: Any = field(compare=False)
    target: int = field(compare=False)


class ManualScheduler:
    def __init__(self, engine: Engine, clock: ManualClock) -> None:
        self.engine = engine
        self.clock = clock
        self._jobs = _Jobs(engine)
        self._pending: dict[str, _Pending] = {}

    async def start(self) -> None:
        self.engine.set_schedule_listener(self)
        for subscription in await self.engine.store.subscriptions():
            self.subscription_changed(subscription)
        for open_round in await self.engine.store.rounds_with_status(RoundStatus.POSTED):
            self.round_posted(open_round)
        await self._jobs.catch_up()

    def shutdown(self) -> None:
        self._pending.clear()

    async def stop(self, timeout_s: float = 8.0) -> bool:
        self._jobs.stopping = True
        self.shutdown()
        return await self._jobs.drain(timeout_s)

    def subscription_changed(self, subscription: Subscription) -> None:
        job_id = post_job_id(subscription.id)
        self._pending.pop(job_id, None)
        if subscription.active:
            trigger = post_trigger(subscription)
            when = trigger.get_next_fire_time(None, self.clock.now())
            if when is not None:
                self._pending[job_id] = _Pending(when, 1, job_id, trigger, subscription.id)

    def round_posted(self, round: Round) -> None:
        job_id = reveal_job_id(round.id)
        trigger = reveal_trigger(round.reveal_at)
        self._pending[job_id] = _Pending(round.reveal_at, 0, job_id, trigger, round.id)

    async def advance(self, delta: timedelta) -> None:
        """Move time forward by `delta`, running every job that falls due on the way, in order."""
        target = self.clock.now() + delta
        while self._pending:
            job = min(self._pending.values())
            if job.when > target:
                break
            self.clock.set(max(job.when, self.clock.now()))
            del self._pending[job.job_id]
            if job.order == 0:
                await self._jobs.reveal(job.target)
            else:
                # Re-arm before running, as APScheduler does, so the job may replace itself.
                following = job.trigger.get_next_fire_time(job.when, job.when + _TICK)
                if following is not None:
                    self._pending[job.job_id] = _Pending(
                        following, 1, job.job_id, job.trigger, job.target
                    )
                await self._jobs.post(job.target)
        self.clock.set(target)
