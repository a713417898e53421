"""Notice an answer that says the opposite of a key point: the right words, the wrong mechanism.

A term-overlap score cannot tell "decode is memory-bound" from "decode is compute-bound": both
use the same words. So a few ML opposites are listed as axes with two poles (local/global
optimum, compute/memory-bound, exact/approximate, ...). A key point takes a pole in one of its
clauses; an answer that takes the other pole in a clause about the same thing (sharing a term
with that clause), and never the key point's pole there, contradicts it.

"not", "never", "rather than", "doesn't" ... shortly before a pole flip it: "not guaranteed to
find the global optimum" agrees with "only a local optimum".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.grading.passages import sentences
from bot.grading.text import stem, terms, words

# Each axis: the phrases of one pole, then of the other. Only true opposites belong here.
AXES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "optimum": (
        ("local optimum", "local optima", "local minimum", "local minima", "local solution"),
        (
            "global optimum",
            "global optima",
            "global minimum",
            "global minima",
            "globally optimal",
            "global solution",
            "best possible solution",
        ),
    ),
    "bound": (
        ("compute bound", "compute limited", "flop bound", "flops bound", "compute heavy"),
        (
            "memory bound",
            "bandwidth bound",
            "memory bandwidth bound",
            "io bound",
            "memory limited",
            "bandwidth limited",
        ),
    ),
    "exactness": (("exact",), ("approximate", "approximation", "approximates", "approximated")),
    "fit": (("underfit", "underfitting", "underfits"), ("overfit", "overfitting", "overfits")),
    "bias": (("biased",), ("unbiased",)),
    "convexity": (("convex",), ("non convex", "nonconvex")),
    "parametric": (("parametric",), ("non parametric", "nonparametric")),
    "policy": (("on policy",), ("off policy",)),
    "calibration": (
        ("well calibrated", "calibrated"),
        ("poorly calibrated", "miscalibrated", "badly calibrated", "uncalibrated"),
    ),
    "precision": (
        ("coarser precision", "coarse precision", "less precise", "lower precision"),
        ("finer precision", "more precise", "higher precision"),
    ),
    "presence": (("add", "adds", "added"), ("remove", "removes", "removed", "eliminates")),
    "arithmetic": (("multiply", "multiplies", "multiplied"), ("divide", "divides", "divided")),
}

_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "without",
        "cannot",
        "neither",
        "nor",
        "doesn",
        "isn",
        "aren",
        "don",
        "didn",
        "won",
        "wasn",
        "weren",
        "hasn",
    ]
)
_NEGATION_PAIRS = (("rather", "than"), ("instead", "of"), ("far", "from"), ("can", "t"))
NEGATION_REACH = 5  # words between a negation and the pole it flips
# Clauses of an answer: a contrast or a list item usually changes the subject.
_ANSWER_CLAUSE = re.compile(r",\s+|;\s*|:\s+|\s+\(|\)\s*|\s+(?:while|whereas|but|though)\s+")
# Clauses of a key point: only contrasts (its commas usually keep the subject).
_POINT_CLAUSE = re.compile(r";\s*|\s+(?:while|whereas|but)\s+|,\s+whereas\s+")


@dataclass(frozen=True)
class Pole:
    axis: str
    side: int  # +1 or -1
    context: frozenset[str]  # the clause's other content terms
    sentence: str  # where it was said, to quote


@cache
def _pole_table() -> dict[tuple[str, ...], tuple[str, int]]:
    table: dict[tuple[str, ...], tuple[str, int]] = {}
    for axis, (first, second) in AXES.items():
        for side, phrases in ((1, first), (-1, second)):
            for phrase in phrases:
                table[tuple(stem(w) for w in words(phrase))] = (axis, side)
    return table


def _longest() -> int:
    return max(len(key) for key in _pole_table())


def _poles_in(clause: str, sentence: str) -> list[Pole]:
    raw = words(clause)
    stems = [stem(w) for w in raw]
    table = _pole_table()
    found: list[tuple[str, int]] = []
    pole_terms: set[str] = set()
    i = 0
    while i < len(stems):
        for size in range(min(_longest(), len(stems) - i), 0, -1):
            hit = table.get(tuple(stems[i : i + size]))
            if hit is not None:
                axis, side = hit
                if _negated(raw, i):
                    side = -side
                found.append((axis, side))
                pole_terms.update(stems[i : i + size])
                pole_terms.update(terms(" ".join(raw[i : i + size])))
                i += size
                break
        else:
            i += 1
    if not found:
        return []
    context = frozenset(t for t in terms(clause) if t not in pole_terms)
    if not context:
        # "It's an approximation: ...": the clause's subject is in the rest of its sentence.
        context = frozenset(t for t in terms(sentence) if t not in pole_terms)
    return [Pole(axis, side, context, sentence) for axis, side in found]


def _negated(raw: Sequence[str], at: int) -> bool:
    before = raw[max(0, at - NEGATION_REACH) : at]
    if any(w in _NEGATIONS for w in before):
        return True
    return any(
        pair == tuple(before[j : j + 2]) for pair in _NEGATION_PAIRS for j in range(len(before))
    )


def point_poles(point: str) -> list[Pole]:
    return [p for clause in _POINT_CLAUSE.split(point) for p in _poles_in(clause, point)]


def answer_poles(answer: str) -> list[Pole]:
    return [
        pole
        for sentence in sentences(answer)
        for clause in _ANSWER_CLAUSE.split(sentence)
        for pole in _poles_in(clause, sentence)
    ]


def contradiction(point: str, answer: str) -> str | None:
    """The answer's sentence that says the opposite of the key point, or None."""
    return contradiction_among(point_poles(point), answer_poles(answer))


def contradiction_among(claimed: Sequence[Pole], said: Sequence[Pole]) -> str | None:
    for pole in claimed:
        about = [s for s in said if s.axis == pole.axis and _same_subject(pole, s, claimed)]
        # Only the clauses most about it: "SARSA is off-policy ..., while Q-learning is
        # on-policy" answers a point about SARSA with its first clause, not its second.
        closest = max((len(pole.context & s.context) for s in about), default=0)
        about = [s for s in about if len(pole.context & s.context) == closest]
        if about and not any(s.side == pole.side for s in about):
            return about[0].sentence
    return None


def _same_subject(pole: Pole, said: Pole, claimed: Sequence[Pole]) -> bool:
    """Whether the answer's clause is about this clause of the key point: it shares a term with
    it, and no more with another clause of the key point on the same axis."""
    overlap = len(pole.context & said.context)
    if overlap == 0:
        return False
    rivals = [c for c in claimed if c.axis == pole.axis and c is not pole]
    return all(len(c.context & said.context) <= overlap for c in rivals)
