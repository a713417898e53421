"""Question choice: a shuffled cycle without repeats."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from bot.core.selection import cycle_order, next_question

QUESTIONS = [f"q{i}" for i in range(7)]


def test_a_cycle_uses_every_question_once_then_starts_again() -> None:
    used: list[str] = []
    cycle = 0
    picks = []
    for _ in range(len(QUESTIONS) * 3):
        pick = next_question(QUESTIONS, "chan", cycle, set(used), used[-1] if used else None)
        if pick.cycle != cycle:
            cycle, used = pick.cycle, []
        used.append(pick.question_id)
        picks.append(pick)
    for c in range(3):
        in_cycle = [p.question_id for p in picks if p.cycle == c]
        assert sorted(in_cycle) == sorted(QUESTIONS)
    orders = {tuple(p.question_id for p in picks if p.cycle == c) for c in range(3)}
    assert len(orders) > 1, "each cycle is shuffled anew"


def test_choice_is_stable_for_a_channel_and_differs_between_channels() -> None:
    first = next_question(QUESTIONS, "chan-a", 0, set())
    assert next_question(QUESTIONS, "chan-a", 0, set()) == first
    picks = {next_question(QUESTIONS, f"chan-{i}", 0, set()).question_id for i in range(20)}
    assert len(picks) > 1


@given(st.lists(st.sampled_from(QUESTIONS), unique=True), st.sampled_from(QUESTIONS))
def test_a_new_cycle_never_opens_with_the_last_question(used: list[str], last: str) -> None:
    pick = next_question(QUESTIONS, "chan", 0, set(QUESTIONS), last)
    assert pick.cycle == 1
    assert pick.question_id != last


@given(st.lists(st.text(min_size=1, max_size=6), unique=True, max_size=300), st.text(),
       st.integers(0, 50))  # fmt: skip
def test_the_cycle_order_is_the_seeded_shuffle(ids: list[str], channel: str, cycle: int) -> None:
    expected = sorted(ids)
    random.Random(f"{channel}#{cycle}").shuffle(expected)  # orders already drawn stay the same
    assert cycle_order(ids, channel, cycle) == expected
