"""The fast clock: simulated time running `speed` times faster than the wall clock, on its own.

`practicebot run --clock fast --start 2026-12-01T07:59 --speed 600` shows a week in about a
quarter of an hour, against the real platforms or loopback fakes, and lets a test run the real
process through several simulated days in seconds. It drives the same `Jobs` (posts, reveals,
the outbox's worker, the leaderboards' upkeep) as the real-time scheduler; only the source of
"now" differs: a `ManualClock` that a small loop moves to `start + elapsed wall time * speed`
every tick. Jobs that fall due on the way fire together, each in a task of its own, as
APScheduler fires them: a busy minute has its posts in flight at once.

Each start begins again at its `--start` (the state is in the database, not in the clock): a
restart given a later `--start` continues where the last run stopped, and what fell due while
it was down is caught up as after any restart.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from bot.clock import ManualClock
from bot.core.engine import Engine
from bot.core.models import Round, Subscription
from bot.scheduler.base import POSTS_AT_ONCE, DailyJob, Jobs, rebuild_jobs
from bot.scheduler.runner import DELIVERY_STEP_S, LEADERBOARD_UPKEEP_S
from bot.scheduler.triggers import PostTriggers, post_job_id, reveal_job_id, reveal_trigger

log = logging.getLogger(__name__)
TICK_S = 0.05  # how often (wall clock) the simulated time moves on
_TICK = timedelta(microseconds=1)
# A delivery's lease must outlast one send in wall-clock time (slack_sdk and discord.py time
# out well within it); on a fast clock the lease is counted in simulated time, so it is
# stretched by the speed to stay at least this long on the wall clock.
LEASE_WALL_S = 2.0


def fast_lease(speed: float, lease: timedelta) -> timedelta:
    """The delivery lease, in simulated time, that lasts at least LEASE_WALL_S wall seconds."""
    return max(lease, timedelta(seconds=LEASE_WALL_S * speed))


class FastScheduler:
    """Posts and reveals on a simulated clock that moves by itself, `speed` times the wall's."""

    def __init__(
        self,
        engine: Engine,
        clock: ManualClock,
        *,
        speed: float,
        posts_at_once: int = POSTS_AT_ONCE,
        origin: float | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        """`origin`: the wall time (`wall()`, Unix seconds) at which the clock reads its
        start; None: when the scheduler starts. Processes given the same start and origin
        share one simulated time."""
        if speed <= 0:
            raise ValueError("a fast clock's speed must be positive")
        self.engine = engine
        self.clock = clock
        self.speed = speed
        self._jobs = Jobs(engine, posts_at_once)
        self._triggers = PostTriggers()
        self._wall = wall
        self._origin = origin
        self._begun = clock.now()  # what the clock reads at `origin`
        # (when, order, job id, generation): reveals (0) before posts (1) at the same instant.
        self._heap: list[tuple[datetime, int, str, int]] = []
        self._armed: dict[str, tuple[int, Any, int]] = {}  # job id -> (generation, trigger, id)
        self._generation = 0
        self._fired: set[asyncio.Future[None]] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._catch_up: asyncio.Task[None] | None = None

    @property
    def moves_time(self) -> bool:
        return False  # time passes by itself; /advance is for the manual clock

    async def advance(self, delta: timedelta) -> None:
        raise NotImplementedError("a fast clock moves by itself")

    async def start(self) -> None:
        if self._origin is None:
            self._origin = self._wall()
        self._move()  # an origin in the past: the time has run since (start-up, or downtime)
        await rebuild_jobs(self.engine, self)
        self._catch_up = asyncio.create_task(self._jobs.catch_up())
        self._tasks = [
            asyncio.create_task(self._tick()),
            asyncio.create_task(self._every(DELIVERY_STEP_S, self._jobs.deliver, wait=True)),
            asyncio.create_task(self._every(LEADERBOARD_UPKEEP_S, self._upkeep)),
        ]
        log.info(
            "fast clock: %s, %g times the wall clock", self.clock.now().isoformat(), self.speed
        )

    def _move(self) -> None:
        assert self._origin is not None
        simulated = self._begun + timedelta(seconds=(self._wall() - self._origin) * self.speed)
        self.clock.set(max(simulated, self.clock.now()))

    async def _tick(self) -> None:
        while not self._jobs.stopping:
            await asyncio.sleep(TICK_S)  # a job fired after a stop begins nothing (Jobs)
            self._move()
            self._fire_due()

    def _fire_due(self) -> None:
        now = self.clock.now()
        while self._heap and self._heap[0][0] <= now:
            when, order, job_id, generation = heapq.heappop(self._heap)
            armed = self._armed.get(job_id)
            if armed is None or armed[0] != generation:
                continue  # replaced or removed since
            _, trigger, target = armed
            if order == 0:
                del self._armed[job_id]
                self._fire(self._jobs.reveal(target))
            else:
                # Re-arm before running, as APScheduler does, so the job may replace itself.
                following = trigger.get_next_fire_time(when, now + _TICK)
                del self._armed[job_id]
                if following is not None:
                    self._arm(job_id, following, 1, trigger, target)
                self._fire(self._jobs.post(target))

    def _fire(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(job)
        self._fired.add(task)
        task.add_done_callback(self._fired.discard)

    def _arm(self, job_id: str, when: datetime, order: int, trigger: Any, target: int) -> None:
        self._generation += 1
        self._armed[job_id] = (self._generation, trigger, target)
        heapq.heappush(self._heap, (when, order, job_id, self._generation))

    async def _every(
        self, seconds: float, step: Callable[[], Awaitable[None]], *, wait: bool = False
    ) -> None:
        """`step` every `seconds` of wall-clock time, as the real-time scheduler runs it;
        `wait`: not while the start-up catch-up still runs."""
        while not self._jobs.stopping:
            await asyncio.sleep(seconds)
            if wait and self._catch_up is not None and not self._catch_up.done():
                continue
            await step()

    async def _upkeep(self) -> None:
        try:
            await self.engine.keep_leaderboards()
        except Exception:
            log.exception("leaderboard upkeep failed")

    def add_daily_job(self, job_id: str, hour: int, minute: int, job: DailyJob) -> None:
        """Maintenance (the backup) does not run on simulated days."""

    def subscription_changed(self, subscription: Subscription) -> None:
        job_id = post_job_id(subscription.id)
        self._armed.pop(job_id, None)
        if subscription.active:
            trigger = self._triggers.get(subscription)
            when = trigger.get_next_fire_time(None, self.clock.now())
            if when is not None:
                self._arm(job_id, when, 1, trigger, subscription.id)

    def round_posted(self, round: Round) -> None:
        job_id = reveal_job_id(round.id)
        self._arm(job_id, round.reveal_at, 0, reveal_trigger(round.reveal_at), round.id)

    async def stop(self, timeout_s: float = 8.0) -> bool:
        """Fire no more jobs, then let the ones in flight finish (never cancelled)."""
        self._jobs.stopping = True
        self._armed.clear()
        self._heap.clear()
        if self._catch_up is not None and not self._catch_up.done():
            await asyncio.wait({self._catch_up}, timeout=timeout_s)
        drained = await self._jobs.drain(timeout_s)
        if drained and self._tasks:  # each loop waits between two steps, never inside one
            for task in self._tasks:
                task.cancel()
            await asyncio.wait(self._tasks, timeout=1.0)
        return drained
