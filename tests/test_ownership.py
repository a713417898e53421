"""A process that serves some shards of a platform schedules, catches up, posts, reveals and
delivers only in their spaces: the engine's side of sharding (`Engine.serve_shards`)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.core.models import ChannelRef
from bot.core.ownership import SpaceShards
from bot.core.results import PostStatus
from tests.helpers import PLATFORM, World

ON_0 = ChannelRef(PLATFORM, "81384788765712384", "a")  # (id >> 22) % 2 == 0
ON_1 = ChannelRef(PLATFORM, "81384788769906688", "b")  # (id >> 22) % 2 == 1


def shard(number: int) -> SpaceShards:
    return SpaceShards(PLATFORM, 2, frozenset({number}))


async def test_a_shard_serves_only_its_spaces(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db", start=False)  # 07:00 UTC
    try:
        for channel in (ON_0, ON_1):
            await world.engine.subscribe(
                channel, post_time="06:30", timezone="UTC", reveal_after="1h"
            )
        world.engine.serve_shards(shard(0))  # this process: shard 0 of 2
        assert [s.channel for s in await world.engine.active_subscriptions()] == [ON_0]

        await world.engine.catch_up()  # both are due: only shard 0's is posted here
        assert [p.subscription.channel for p in world.publisher.posts] == [ON_0]
        mine = await world.engine.subscription(ON_0)
        assert mine is not None
        assert [r.subscription_id for r in await world.engine.open_rounds()] == [mine.id]
        # A post written for shard 1's channel waits in the outbox for shard 1's process.
        queued = await world.engine.post_now(ON_1)
        assert queued.status is PostStatus.QUEUED
        assert await world.engine.deliver_due() == 0
        assert len(world.publisher.posts) == 1

        world.engine.serve_shards(shard(1))  # as the other process sees it
        assert await world.engine.deliver_due() == 1
        assert [p.subscription.channel for p in world.publisher.posts] == [ON_0, ON_1]

        world.clock.set(world.clock.now() + timedelta(hours=2))
        await world.engine.catch_up()  # both reveals are due: only shard 1's here
        assert [r.subscription.channel for r in world.publisher.reveals] == [ON_1]
        world.engine.serve_shards(SpaceShards(PLATFORM, 2, frozenset({0, 1})))  # every shard
        await world.engine.catch_up()
        assert [r.subscription.channel for r in world.publisher.reveals] == [ON_1, ON_0]
    finally:
        await world.close()


async def test_a_shard_reads_back_only_its_threads(tmp_path: Path) -> None:
    """The start-up catch-up (answers written while the bot was away) reads the threads of
    this process's shards only: the other process reads its own."""
    world = await World.open(tmp_path / "bot.db", start=False)  # 07:00 UTC
    try:
        for channel in (ON_0, ON_1):
            await world.engine.subscribe(
                channel, post_time="06:30", timezone="UTC", reveal_after="1h"
            )
        await world.engine.catch_up()  # one process, every shard: both posted
        since = world.clock.now() - timedelta(days=1)
        assert len(await world.engine.rounds_to_read(PLATFORM, since)) == 2
        world.engine.serve_shards(shard(1))
        [round] = await world.engine.rounds_to_read(PLATFORM, since)
        assert await world.engine.space_of_round(round) == ON_1.space_id
    finally:
        await world.close()


async def test_a_scheduled_post_of_another_shards_channel_waits_for_its_process(
    tmp_path: Path,
) -> None:
    """The claimer of a post sends it at once only in a space it owns: a post job that ran for
    another shard's channel writes the post pending, for that shard's process to send."""
    world = await World.open(tmp_path / "bot.db", start=False)  # 07:00 UTC
    try:
        await world.engine.subscribe(ON_1, post_time="06:30", timezone="UTC", reveal_after="1h")
        theirs = await world.engine.subscription(ON_1)
        assert theirs is not None
        world.engine.serve_shards(shard(0))
        queued = await world.engine.post_due(theirs.id)
        assert queued.status is PostStatus.QUEUED and world.publisher.posts == []
        assert await world.engine.deliver_due() == 0

        world.engine.serve_shards(shard(1))
        assert await world.engine.deliver_due() == 1
        assert [p.subscription.channel for p in world.publisher.posts] == [ON_1]
    finally:
        await world.close()
