"""Contract: a repaired round breaks nobody's streak, as `streaks.recompute` says."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.ports import Store, StoreOpener
from bot.core.streaks import StreakState, recompute
from tests.contract.builders import DAY, NOW, posted_round, say, subscribe

USERS = ["ana", "ben", "cat"]


async def test_a_repair_is_recorded_once_with_who_and_when(store: Store) -> None:
    subscription = await subscribe(store)
    first = await posted_round(store, subscription)
    assert await store.repair_round(subscription.id, DAY + timedelta(days=3), "root", NOW) is None
    done = await store.repair_round(subscription.id, DAY, "root", NOW + timedelta(hours=1))
    assert done is not None
    repair, new = done
    assert new and (repair.round_id, repair.local_date, repair.repaired_by) == (
        first.id, DAY, "root"
    )
    assert repair.repaired_at == NOW + timedelta(hours=1)
    again = await store.repair_round(subscription.id, DAY, "other", NOW + timedelta(hours=2))
    assert again is not None and again == (repair, False)  # the first record stays
    assert await store.streak_repairs(subscription.id) == [repair]


async def test_repairing_an_open_round_spares_who_missed_it(store: Store) -> None:
    subscription = await subscribe(store)
    first = await posted_round(store, subscription)
    await say(store, first, "ana")
    await store.reveal_round(first.id, NOW + timedelta(hours=8))
    second = await posted_round(store, subscription, DAY + timedelta(days=1))
    await say(store, second, "ben")
    await store.repair_round(subscription.id, DAY + timedelta(days=1), "root", NOW)
    await store.reveal_round(second.id, NOW + timedelta(days=1, hours=8))
    ana, ben = await store.streak(subscription.id, "ana"), await store.streak(subscription.id, "ben")
    assert (ana.current, ana.best, ben.current, ben.best) == (1, 1, 1, 1)


async def _replay(
    open_store: StoreOpener, db: Path, rounds: list[set[str]], repaired: set[int], late: bool
) -> None:
    """Repairs before the reveal or after it: the streaks equal the definition."""
    store = await open_store(db)
    try:
        subscription = await subscribe(store)
        for number, answered in enumerate(rounds):
            day = DAY + timedelta(days=number)
            round = await posted_round(store, subscription, day)
            for user in sorted(answered):
                await say(store, round, user)
            if number in repaired and not late:
                await store.repair_round(subscription.id, day, "root", NOW)
            await store.reveal_round(round.id, NOW + timedelta(days=number, hours=8))
        if late:
            for number in sorted(repaired):
                await store.repair_round(subscription.id, DAY + timedelta(days=number), None, NOW)
        expected = recompute(rounds, repaired)
        for user in USERS:
            view = await store.streak(subscription.id, user)
            state = expected.get(user, StreakState())
            assert (view.current, view.best) == (state.current, state.best), user
    finally:
        await store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    st.lists(st.sets(st.sampled_from(USERS)), min_size=1, max_size=6),
    st.sets(st.integers(0, 5)),
    st.booleans(),
)
def test_store_streaks_with_repairs_equal_the_core_rule(
    open_store: StoreOpener, rounds: list[set[str]], repaired: set[int], late: bool
) -> None:
    repaired = {n for n in repaired if n < len(rounds)}
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_replay(open_store, Path(folder) / "bot.db", rounds, repaired, late))
