"""A busy minute: many channels' posts fall due together under the real-time scheduler."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bot.core.models import ChannelRef
from bot.core.ports import PostedRef, RoundPost
from bot.scheduler import RealTimeScheduler
from tests.helpers import PLATFORM, RecordingPublisher, World


@dataclass
class SlowPublisher(RecordingPublisher):
    """Takes a moment per post, and notes how many posts were in progress at once."""

    in_progress: int = 0
    most_at_once: int = 0
    reveal_jobs_seen_while_posting: list[int] = field(default_factory=list)
    scheduler: RealTimeScheduler | None = None

    async def post_round(self, post: RoundPost) -> PostedRef:
        self.in_progress += 1
        self.most_at_once = max(self.most_at_once, self.in_progress)
        if self.scheduler is not None:
            jobs = self.scheduler.jobs()
            self.reveal_jobs_seen_while_posting.append(
                sum(job.id.startswith("reveal:") for job in jobs)
            )
        await asyncio.sleep(0.001)
        self.in_progress -= 1
        return await super().post_round(post)


async def test_posts_go_out_a_few_at_a_time_and_reveals_follow(tmp_path: Path) -> None:
    publisher = SlowPublisher()
    world = await World.open(tmp_path / "bot.db", publisher=publisher, start=False)
    channels = [ChannelRef(PLATFORM, "space1", f"c{i}") for i in range(30)]
    for channel in channels:
        await world.engine.subscribe(channel, post_time="09:00", timezone="UTC", days="daily")
    real = RealTimeScheduler(world.engine, post_grace=timedelta(hours=2), posts_at_once=4)
    publisher.scheduler = real
    try:
        await real.start()
        await real.caught_up()  # at 07:00 nothing is due yet
        world.clock.set(world.clock.now() + timedelta(hours=2))  # 09:00 UTC: all due
        # Every post job fires at once, as APScheduler fires a busy minute's jobs.
        subscriptions = await world.store.subscriptions()
        await asyncio.gather(*(real.fire_post(s.id) for s in subscriptions))
        for _ in range(100):  # the reveal jobs come a loop turn after the last post
            if not real.reveals_waiting:
                break
            await asyncio.sleep(0.01)
        reveal_jobs = [job for job in real.jobs() if job.id.startswith("reveal:")]
    finally:
        assert await real.stop(timeout_s=5)
        await world.close()
    assert len(publisher.posts) == 30  # no channel dropped
    assert publisher.most_at_once <= 4
    assert set(publisher.reveal_jobs_seen_while_posting) == {0}  # none added mid-burst
    assert len(reveal_jobs) == 30
    assert all(job.misfire_grace_time is None for job in reveal_jobs)
