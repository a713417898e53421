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


@given(rounds_strategy, st.sets(st.integers(0, 11)))
def test_incremental_equals_recomputed_with_repairs(
    history: list[set[str]], repaired: set[int]
) -> None:
    states: dict[str, StreakState] = {}
    for number, answered in enumerate(history):
        states = apply_reveal(states, answered, repaired=number in repaired)
    assert states == recompute(history, repaired)


@given(rounds_strategy, st.sets(st.integers(0, 11)))
def test_a_repair_never_lowers_a_streak(history: list[set[str]], repaired: set[int]) -> None:
    plain, mended = recompute(history), recompute(history, repaired)
    for user, state in plain.items():
        assert mended[user].current >= state.current
        assert mended[user].best >= state.best


def test_a_repaired_round_breaks_nobody_and_still_counts_for_who_answered() -> None:
    history = [{"ana", "ben"}, {"ana"}, {"ben"}]
    assert recompute(history)["ben"] == StreakState(current=1, best=1)
    assert recompute(history, {1}) == {
        "ana": StreakState(current=0, best=2),
        "ben": StreakState(current=2, best=2),
    }
