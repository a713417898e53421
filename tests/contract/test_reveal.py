"""Contract: the reveal closes a round and moves streaks on as `streaks.apply_reveal` says."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.ports import Store, StoreOpener
from bot.core.records import Answerer
from bot.core.streaks import StreakState, apply_reveal, recompute
from tests.contract.builders import DAY, NOW, PLATFORM, posted_round, say, subscribe
from tests.helpers import CHANNEL, World

USERS = ["ana", "ben", "cat", "dev"]


async def test_a_reveal_names_the_answerers_once(store: Store) -> None:
    subscription = await subscribe(store)
    round = await posted_round(store, subscription)
    await say(store, round, "ben", at=NOW + timedelta(minutes=1), name="Ben")
    await say(store, round, "ana", at=NOW + timedelta(minutes=2), name="Ana")
    await say(store, round, "ana", at=NOW + timedelta(minutes=3), name="Ana Lovelace")
    answerers = await store.reveal_round(round.id, NOW + timedelta(hours=1))
    assert answerers == [Answerer("ben", "Ben"), Answerer("ana", "Ana Lovelace")]  # latest name
    revealed = await store.round(round.id)
    assert revealed is not None and revealed.status.value == "revealed"
    assert revealed.revealed_at == NOW + timedelta(hours=1)
    assert await store.reveal_round(round.id, NOW + timedelta(hours=2)) is None  # not open
    claimed = await store.claim_round(
        subscription.id, DAY + timedelta(days=1), "q2", 0, "manual", NOW, NOW
    )
    assert claimed is not None and await store.reveal_round(claimed.id, NOW) is None
    assert await store.reveal_round(12345, NOW) is None


async def test_the_streak_view_counts_an_open_answer(store: Store) -> None:
    subscription = await subscribe(store)
    first = await posted_round(store, subscription)
    await say(store, first, "ana")
    view = await store.streak(subscription.id, "ana")
    assert (view.current, view.best, view.answers, view.answered_open_round) == (0, 0, 1, True)
    await store.reveal_round(first.id, NOW + timedelta(hours=1))
    view = await store.streak(subscription.id, "ana")
    assert (view.current, view.best, view.answers, view.answered_open_round) == (1, 1, 1, False)
    nobody = await store.streak(subscription.id, "zed")
    assert (nobody.current, nobody.best, nobody.answers) == (0, 0, 0)


# One round as the store sees it: who answered, and who answered and then deleted it.
round_strategy = st.tuples(st.sets(st.sampled_from(USERS)), st.sets(st.sampled_from(USERS)))


async def _apply_step_by_step(
    open_store: StoreOpener, db: Path, rounds: list[tuple[set[str], set[str]]]
) -> None:
    """The store's streaks after each reveal equal `apply_reveal` applied to the same rounds."""
    store = await open_store(db)
    try:
        subscription = await subscribe(store)
        expected: dict[str, StreakState] = {}
        for number, (answered, deleted) in enumerate(rounds):
            round = await posted_round(store, subscription, DAY + timedelta(days=number))
            for user in sorted(answered | deleted):
                await say(store, round, user, message_id=f"{round.id}-{user}")
            for user in sorted(deleted):
                await store.delete_message(
                    platform=PLATFORM, message_id=f"{round.id}-{user}", event_id=None, now=NOW
                )
            await store.reveal_round(round.id, NOW + timedelta(days=number, hours=8))
            expected = apply_reveal(expected, answered - deleted)
            for user in USERS:
                view = await store.streak(subscription.id, user)
                state = expected.get(user, StreakState())
                assert (view.current, view.best) == (state.current, state.best), (number, user)
    finally:
        await store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(round_strategy, max_size=7))
def test_store_streaks_equal_the_core_rule(
    open_store: StoreOpener, rounds: list[tuple[set[str], set[str]]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_apply_step_by_step(open_store, Path(folder) / "bot.db", rounds))


async def _replay(
    open_store: StoreOpener, db: Path, rounds: list[tuple[set[str], set[str]]]
) -> None:
    """Through the engine: streaks and answer counts equal the definition from the history."""
    world = await World.open(db, open_store=open_store)
    try:
        await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC", days="daily")
        history = []
        for answered, deleted in rounds:
            posted = await world.engine.post_now(CHANNEL)
            assert posted.round is not None
            for user in sorted(answered | deleted):
                await world.answer(posted.round, user, message_id=f"{posted.round.id}-{user}")
            for user in sorted(deleted):
                await world.engine.handle_delete("test", f"{posted.round.id}-{user}")
            await world.engine.reveal_now(CHANNEL)
            history.append(answered - deleted)
            world.clock.set(world.clock.now() + timedelta(days=1))
        expected = recompute(history)
        for user in USERS:
            view = await world.engine.streak(CHANNEL, user)
            state = expected.get(user, StreakState())
            assert (view.current, view.best) == (state.current, state.best), user
            assert view.answers == sum(user in r for r in history)
    finally:
        await world.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(round_strategy, max_size=7))
def test_store_streaks_match_history(
    open_store: StoreOpener, rounds: list[tuple[set[str], set[str]]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_replay(open_store, Path(folder) / "bot.db", rounds))
