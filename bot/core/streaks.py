"""Streak rules, as plain functions over plain data.

A streak counts a channel's rounds, not calendar days: it is the run of consecutive revealed
rounds a user answered. Days without a round (a weekend in a Mon–Fri schedule) break nothing;
a missed round resets the current streak when that round is revealed.

The store applies `apply_reveal` incrementally in SQL; `recompute` is the definition it is
checked against (see the property tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class StreakState:
    current: int = 0
    best: int = 0


def apply_reveal(
    states: Mapping[str, StreakState], answered: Iterable[str]
) -> dict[str, StreakState]:
    """The streaks after one more round is revealed, given who answered it in time."""
    answered = set(answered)
    updated: dict[str, StreakState] = {}
    for user in set(states) | answered:
        state = states.get(user, StreakState())
        if user in answered:
            current = state.current + 1
            updated[user] = StreakState(current, max(state.best, current))
        else:
            updated[user] = StreakState(0, state.best)
    return updated


def recompute(revealed_rounds: Sequence[Iterable[str]]) -> dict[str, StreakState]:
    """Streaks from the whole history: each item is the set of users who answered a round."""
    rounds = [set(r) for r in revealed_rounds]
    users = set().union(*rounds) if rounds else set()
    result: dict[str, StreakState] = {}
    for user in users:
        run = best = 0
        for answered in rounds:
            run = run + 1 if user in answered else 0
            best = max(best, run)
        result[user] = StreakState(run, best)
    return result
