"""The manual scheduler: the same triggers walked when told to `advance`, moving a ManualClock
to each fire time in turn, so a week of rounds passes in a moment (tests, the console demo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.clock import ManualClock
from bot.core.engine import Engine
from bot.core.models import Round, Subscription
from bot.scheduler.base import DailyJob, Jobs, rebuild_jobs
from bot.scheduler.triggers import PostTriggers, post_job_id, reveal_job_id, reveal_trigger

_TICK = timedelta(microseconds=1)


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
        self._jobs = Jobs(engine)
        self._triggers = PostTriggers()
        self._pending: dict[str, _Pending] = {}

    @property
    def moves_time(self) -> bool:
        return True

    async def start(self) -> None:
        await rebuild_jobs(self.engine, self)
        await self._jobs.catch_up()

    def add_daily_job(self, job_id: str, hour: int, minute: int, job: DailyJob) -> None:
        """Maintenance (the backup) does not run on simulated days."""

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
            trigger = self._triggers.get(subscription)
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
        await self._jobs.deliver()  # the outbox's retries that fell due on the way
