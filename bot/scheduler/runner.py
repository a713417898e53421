"""The real-time scheduler: the jobs run by APScheduler's AsyncIOScheduler on the wall clock.

`ManualScheduler` (manual.py) walks the same triggers when told to `advance`; both rebuild their
jobs from the database with `rebuild_jobs` and run the same `Jobs`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.cron import CronTrigger

from bot.core.engine import Engine
from bot.core.models import Round, Subscription
from bot.scheduler.base import POSTS_AT_ONCE, DailyJob, Jobs, rebuild_jobs
from bot.scheduler.manual import ManualScheduler
from bot.scheduler.triggers import PostTriggers, post_job_id, reveal_job_id, reveal_trigger

log = logging.getLogger(__name__)
_REVEALS_WAIT_S = 0.05  # how often the reveal jobs check whether the posts are done
_REVEALS_WAIT_AT_MOST_S = 30.0  # then they are added anyway (a post may hang on its platform)
LEADERBOARD_UPKEEP_S = 60.0
DELIVERY_STEP_S = 2.0  # how often the delivery worker looks for retries that fell due


class RealTimeScheduler:
    def __init__(
        self, engine: Engine, *, post_grace: timedelta, posts_at_once: int = POSTS_AT_ONCE
    ) -> None:
        self.engine = engine
        self._jobs = Jobs(engine, posts_at_once)
        self._triggers = PostTriggers()
        self._post_grace = int(post_grace.total_seconds())
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._catch_up: asyncio.Task[None] | None = None
        self._reveals_to_add: list[Round] = []
        self._reveals_since = 0.0  # loop time the oldest of them has waited since
        self._upkeep: asyncio.Task[None] | None = None
        self._worker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Build the jobs from the database, catch up, and start (inside the running loop)."""
        await rebuild_jobs(self.engine, self)
        self._add_reveals()
        self._scheduler.start()
        # Catch up in the background, as a job in flight: a stop signal is heard meanwhile.
        self._catch_up = asyncio.create_task(self._jobs.catch_up())
        self._upkeep = asyncio.create_task(self._keep_leaderboards())
        self._worker = asyncio.create_task(self._deliver())

    @property
    def moves_time(self) -> bool:
        return False

    async def advance(self, delta: timedelta) -> None:
        raise NotImplementedError("a real-time scheduler follows the wall clock")

    async def caught_up(self) -> None:
        """Wait for the start-up catch-up to finish."""
        if self._catch_up is not None:
            await self._catch_up

    async def fire_post(self, subscription_id: int) -> None:
        """Run a channel's post job now, as APScheduler does when it falls due."""
        await self._jobs.post(subscription_id)

    @property
    def reveals_waiting(self) -> int:
        """Reveal jobs not added yet (they follow a burst of posts)."""
        return len(self._reveals_to_add)

    def jobs(self) -> list[Job]:
        """The APScheduler jobs, e.g. to inspect their triggers or bring them forward."""
        jobs: list[Job] = self._scheduler.get_jobs()
        return jobs

    def shutdown(self) -> None:
        self._fire_no_more()
        if self._worker is not None:
            self._worker.cancel()

    def _fire_no_more(self) -> None:
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

    async def _deliver(self) -> None:
        """The delivery worker: every few seconds, what the outbox holds that fell due. It
        stops between two steps (never inside one: `stop` waits for a step in flight)."""
        while not self._jobs.stopping:
            await asyncio.sleep(DELIVERY_STEP_S)
            if self._catch_up is None or self._catch_up.done():
                await self._jobs.deliver()

    async def stop(self, timeout_s: float = 8.0) -> bool:
        """Fire no more jobs, then let the ones in flight finish (never cancelled)."""
        self._jobs.stopping = True
        self._fire_no_more()
        if self._catch_up is not None and not self._catch_up.done():
            await asyncio.wait({self._catch_up}, timeout=timeout_s)
        drained = await self._jobs.drain(timeout_s)
        if drained and self._worker is not None:  # between steps now: never cut one
            self._worker.cancel()
        return drained

    def add_daily_job(self, job_id: str, hour: int, minute: int, job: DailyJob) -> None:
        """A maintenance job once a day at HH:MM UTC (e.g. the backup)."""
        self._scheduler.add_job(
            job, CronTrigger(hour=hour, minute=minute, timezone="UTC"), id=job_id,
            replace_existing=True, coalesce=True, misfire_grace_time=3600,
        )  # fmt: skip

    def subscription_changed(self, subscription: Subscription) -> None:
        job_id = post_job_id(subscription.id)
        if not subscription.active or not self.engine.owns(subscription.channel):
            if self._scheduler.get_job(job_id):
                self._scheduler.remove_job(job_id)
            return
        # A late start within the grace still posts; later than that the day is skipped
        # (the same rule `catch_up` applies at start-up).
        self._scheduler.add_job(
            self._jobs.post, self._triggers.get(subscription), args=[subscription.id], id=job_id,
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


__all__ = ["ManualScheduler", "RealTimeScheduler"]
