"""Streaks: the incremental bookkeeping equals the definition recomputed from history.

That a store's streaks follow these rules is in the store contract (tests/contract/test_reveal.py).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.streaks import StreakState, apply_reveal, recompute

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
