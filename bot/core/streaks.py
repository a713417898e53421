"""Streak rules, as plain functions over plain data.

A streak counts a channel's rounds, not calendar days: it is the run of consecutive revealed
rounds a user answered. Days without a round (a weekend in a Mon–Fri schedule) break nothing;
a missed round resets the current streak when that round is revealed.

A *repaired* round (`/practice streak-repair DATE`: the bot was down, the post failed) breaks
nobody's streak: it is skipped for everyone who missed it, and it still counts for those who
answered it (their answer was real).

The store applies `apply_reveal` incrementally in SQL; `recompute` is the definition it is
checked against (see the property tests).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class StreakState:
    current: int = 0
    best: int = 0


def apply_reveal(
    states: Mapping[str, StreakState], answered: Iterable[str], *, repaired: bool = False
) -> dict[str, StreakState]:
    """The streaks after one more round is revealed, given who answered it in time.

    `repaired`: the round was repaired, so missing it resets nobody.
    """
    answered = set(answered)
    updated: dict[str, StreakState] = {}
    for user in set(states) | answered:
        state = states.get(user, StreakState())
        if user in answered:
            current = state.current + 1
            updated[user] = StreakState(current, max(state.best, current))
        elif repaired:
            updated[user] = state
        else:
            updated[user] = StreakState(0, state.best)
    return updated


def recompute(
    revealed_rounds: Sequence[Iterable[str]], repaired: Collection[int] = ()
) -> dict[str, StreakState]:
    """Streaks from the whole history: each item is the set of users who answered a round;
    `repaired` holds the positions (in `revealed_rounds`) of the repaired rounds."""
    rounds = [set(r) for r in revealed_rounds]
    users = set().union(*rounds) if rounds else set()
    result: dict[str, StreakState] = {}
    for user in users:
        run = best = 0
        for number, answered in enumerate(rounds):
            if user in answered:
                run += 1
            elif number not in repaired:
                run = 0
            best = max(best, run)
        result[user] = StreakState(run, best)
    return result
