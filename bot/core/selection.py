"""Which question a channel gets next: a shuffled cycle through the eligible questions.

No question repeats in a channel until every eligible one has been used; then a new cycle
starts in a new order. The order is a pure function of (channel, cycle), so a restart or a
retried claim picks the same question.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Pick:
    question_id: str
    cycle: int


def cycle_order(eligible: Sequence[str], channel_key: str, cycle: int) -> list[str]:
    """The cycle's order: the sorted ids shuffled by a generator seeded with channel and cycle.

    This is `random.Random(seed).shuffle` written out (the same draws, the same swaps, so the
    same order: a test holds the two together), at half its cost: a claim runs it on the
    database thread, five thousand times at a busy minute.
    """
    order = sorted(eligible)
    getrandbits = random.Random(f"{channel_key}#{cycle}").getrandbits
    for i in range(len(order) - 1, 0, -1):
        below = i + 1  # j uniform in [0, i], drawn as Random._randbelow draws it
        bits = below.bit_length()
        j = getrandbits(bits)
        while j >= below:
            j = getrandbits(bits)
        order[i], order[j] = order[j], order[i]
    return order


def next_question(
    eligible: Sequence[str],
    channel_key: str,
    cycle: int,
    used_in_cycle: Collection[str],
    last_question: str | None = None,
) -> Pick:
    """The next question for a channel in `cycle`, starting a new cycle when it is used up."""
    if not eligible:
        raise ValueError("no eligible questions")
    unused = next((q for q in cycle_order(eligible, channel_key, cycle) if q not in used_in_cycle),
                  None)  # fmt: skip
    if unused is not None:
        return Pick(unused, cycle)
    fresh = cycle_order(eligible, channel_key, cycle + 1)
    # A new cycle never opens with the question the channel has just had.
    if len(fresh) > 1 and fresh[0] == last_question:
        fresh[0], fresh[1] = fresh[1], fresh[0]
    return Pick(fresh[0], cycle + 1)
