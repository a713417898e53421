"""Contract: a sharded process's outbox claim takes only the deliveries of the spaces it owns
(`Ownership`), and leaves the others' untouched for the processes that own them."""

from __future__ import annotations

from datetime import timedelta

from bot.core.models import ChannelRef
from bot.core.ownership import Ownership, SpaceShards
from bot.core.ports import Store
from bot.core.records import DeliveryStatus
from tests.contract.builders import CHANNEL, DAY, NOW, subscribe

REVEAL = NOW + timedelta(hours=8)
LEASE = timedelta(seconds=60)
# Real Discord guild ids: the shard of a guild is (id >> 22) % count.
GUILD_ON_0 = 81_384_788_765_712_384  # (id >> 22) % 2 == 0
GUILD_ON_1 = 81_384_788_769_906_688  # (id >> 22) % 2 == 1


def shards(*ids: int, count: int = 2) -> Ownership:
    return Ownership((SpaceShards("discord", count, frozenset(ids)),))


async def _posts(store: Store) -> dict[str, int]:
    """A post delivery due now in a channel of each shard, and one on another platform."""
    ids = {}
    for name, channel in {
        "shard0": ChannelRef("discord", str(GUILD_ON_0), "1"),
        "shard1": ChannelRef("discord", str(GUILD_ON_1), "2"),
        "other": CHANNEL,
    }.items():
        subscription = await subscribe(store, channel)
        claimed = await store.claim_round(subscription.id, DAY, "q1", 0, "manual", NOW, REVEAL)
        assert claimed is not None
        ids[name] = subscription.id
    return ids


def test_the_guild_ids_are_on_the_shards_they_claim() -> None:
    assert ((GUILD_ON_0 >> 22) % 2, (GUILD_ON_1 >> 22) % 2) == (0, 1)
    assert shards(0).owns(ChannelRef("discord", str(GUILD_ON_0), "1"))
    assert not shards(0).owns(ChannelRef("discord", str(GUILD_ON_1), "1"))
    assert shards(0).owns(CHANNEL)  # a platform that is not sharded is served whole


async def test_a_shard_claims_only_its_spaces_and_the_other_platforms(store: Store) -> None:
    ids = await _posts(store)
    taken = await store.claim_deliveries(NOW, LEASE, 10, owned=shards(0))
    assert sorted(d.subscription_id for d in taken) == sorted([ids["shard0"], ids["other"]])
    [left] = await store.deliveries(ids["shard1"])
    assert (left.status, left.attempts) == (DeliveryStatus.PENDING, 0)  # untouched
    [theirs] = await store.claim_deliveries(NOW, LEASE, 10, owned=shards(1))
    assert theirs.subscription_id == ids["shard1"]


async def test_in_doubt_deliveries_stay_with_their_shard(store: Store) -> None:
    ids = await _posts(store)
    await store.claim_deliveries(NOW, LEASE, 10)  # a process that died with all of them
    later = NOW + LEASE * 2
    doubted = await store.claim_deliveries(later, LEASE, 10, ids["shard1"], owned=shards(0))
    assert doubted == []  # one channel, not this process's
    [mine] = await store.claim_deliveries(later, LEASE, 10, ids["shard1"], owned=shards(1))
    assert mine.in_doubt


async def test_every_shard_takes_all_and_the_count_decides(store: Store) -> None:
    ids = await _posts(store)
    assert len(await store.claim_deliveries(NOW, LEASE, 10, owned=shards(0, 1))) == 3
    # Three shards: GUILD_ON_1 is on shard 2, GUILD_ON_0 on shard 1.
    later = NOW + LEASE * 2
    taken = await store.claim_deliveries(later, LEASE, 10, owned=shards(2, count=3))
    assert sorted(d.subscription_id for d in taken) == sorted([ids["shard1"], ids["other"]])
