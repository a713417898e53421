"""A graceful stop (issue 18): a post in flight when the runner cancels its job (APScheduler's
executor cancels its coroutines at shutdown) still finishes, and the stop waits for it; a
restart after it posts nothing again."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bot.core.models import RoundStatus
from bot.core.ports import PostedRef, RoundPost
from bot.scheduler.base import Jobs
from tests.helpers import CHANNEL, RecordingPublisher, World


@dataclass
class Held(RecordingPublisher):
    """A platform that takes its time: each post waits until released."""

    entered: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def post_round(self, post: RoundPost) -> PostedRef:
        self.entered.set()
        await self.release.wait()
        return await super().post_round(post)


async def test_a_cancelled_post_job_finishes_its_post_and_the_stop_waits(tmp_path: Path) -> None:
    publisher = Held()
    world = await World.open(tmp_path / "bot.db", publisher=publisher)
    try:
        subscription = await world.engine.subscribe(
            CHANNEL, post_time="08:00", timezone="Europe/Berlin"
        )
        jobs = Jobs(world.engine)
        job = asyncio.create_task(jobs.post(subscription.id))
        await asyncio.wait_for(publisher.entered.wait(), 1)
        job.cancel()  # what APScheduler's AsyncIOExecutor.shutdown does to a running job
        jobs.stopping = True
        drain = asyncio.create_task(jobs.drain(5))
        await asyncio.sleep(0.01)
        assert not drain.done(), "the stop waits for the post in flight"
        publisher.release.set()
        assert await drain
        [posted] = await world.store.rounds_with_status(RoundStatus.POSTED)
        assert posted.message_id == f"msg-{posted.id}"
        world = await world.restart()
        await world.scheduler.advance(timedelta(minutes=5))
        assert len(publisher.posts) == 1, "a restart after the stop posts nothing again"
    finally:
        await world.close()


async def test_after_the_stop_no_new_job_begins(tmp_path: Path) -> None:
    publisher = Held()
    world = await World.open(tmp_path / "bot.db", publisher=publisher)
    try:
        subscription = await world.engine.subscribe(
            CHANNEL, post_time="08:00", timezone="Europe/Berlin"
        )
        jobs = Jobs(world.engine)
        jobs.stopping = True
        await jobs.post(subscription.id)
        await jobs.deliver()
        assert not publisher.entered.is_set()
        assert await world.store.rounds_with_status(RoundStatus.CLAIMED) == []
    finally:
        await world.close()
