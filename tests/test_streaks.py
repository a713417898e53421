"""Streaks: the incremental bookkeeping equals the definition recomputed from history."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.streaks import StreakState, apply_reveal, recompute
from tests.helpers import CHANNEL, World

USERS = ["ana", "ben", "cat", "dev"]
rounds_strategy = st.lists(st.sets(st.sampled_from(USERS)), max_size=12)


@given(rounds_strategy)
def test_incremental_equals_recomputed(history: list[set[str]]) -> None:
    states: dict[str, StreakState] = {}
    for answered in history:
        states = apply_reveal(states, answered)
    assert states == recompute(history)


def test_a_missed_round_resets_the_current_streak_but_not_the_best() -> None:
    history = [{"ana"}, {"ana"}, {"ana"}, set(), {"ana"}]
    assert recompute(history)["ana"] == StreakState(current=1, best=3)


# One round as the store sees it: who answered, and who answered and then deleted it.
round_strategy = st.tuples(st.sets(st.sampled_from(USERS)), st.sets(st.sampled_from(USERS)))


async def _replay(db: Path, rounds: list[tuple[set[str], set[str]]]) -> None:
    world = await World.open(db)
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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(round_strategy, max_size=7))
def test_store_streaks_match_history(rounds: list[tuple[set[str], set[str]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_replay(Path(folder) / "bot.db", rounds))
