"""Contract: subscriptions."""

from __future__ import annotations

from datetime import time, timedelta

from bot.core.ports import Store
from bot.core.schedule import Schedule
from tests.contract.builders import CHANNEL, EVERY_DAY, NOW, OTHER_CHANNEL, subscribe


async def test_a_saved_subscription_reads_back_whole(store: Store) -> None:
    schedule = Schedule(time(7, 30), "Europe/Berlin", frozenset({0, 2, 4}), timedelta(hours=3))
    saved = await store.save_subscription(CHANNEL, schedule, ["alpha", "beta"], "ana", NOW)
    assert (saved.channel, saved.schedule, saved.packs) == (CHANNEL, schedule, ("alpha", "beta"))
    assert (saved.active, saved.problem, saved.subscribed_by) == (True, None, "ana")
    assert await store.subscription(CHANNEL) == saved
    assert await store.subscription_by_id(saved.id) == saved
    assert await store.subscription(OTHER_CHANNEL) is None
    assert await store.subscription_by_id(saved.id + 100) is None


async def test_saving_again_replaces_and_reactivates(store: Store) -> None:
    first = await subscribe(store)
    await store.set_subscription_state(first.id, active=False, problem="gone", now=NOW)
    paused = await store.subscription(CHANNEL)
    assert paused is not None and (paused.active, paused.problem) == (False, "gone")
    later = Schedule(time(10, 0), "UTC", frozenset({1}), timedelta(hours=1))
    again = await store.save_subscription(CHANNEL, later, None, "ben", NOW)
    assert again.id == first.id
    assert (again.schedule, again.packs, again.active, again.problem) == (later, None, True, None)


async def test_the_list_is_in_id_order_and_leaves_out_inactive_ones(store: Store) -> None:
    one = await subscribe(store, CHANNEL)
    two = await subscribe(store, OTHER_CHANNEL, EVERY_DAY)
    assert [s.id for s in await store.subscriptions()] == [one.id, two.id]
    await store.set_subscription_state(one.id, active=False, problem=None, now=NOW)
    assert [s.id for s in await store.subscriptions()] == [two.id]
    assert [s.id for s in await store.subscriptions(active_only=False)] == [one.id, two.id]
