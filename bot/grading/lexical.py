"""The default grader: normalised terms and synonyms, no dependencies beyond the standard library.

A key point is covered when enough of its content terms appear in the answer. Terms are
weighted by how specific they are within the question: a word every key point shares ("batch
norm" in a batch-norm question) tells us little about which point the answer made, so it counts
for less than a word only one key point uses ("running", "GroupNorm").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from bot.grading.base import Feedback, KeyPointVerdict
from bot.grading.text import terms

# Share of a key point's term weight the answer must contain; tuned on the labelled set
# (tests/data/graded_answers.yaml), see `python -m bot.grading.evaluate`.
DEFAULT_THRESHOLD = 0.25


class LexicalGrader:
    name = "lexical"

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold

    async def grade(self, key_points: Sequence[str], answer: str) -> Feedback:
        return self.grade_now(key_points, answer)

    def grade_now(self, key_points: Sequence[str], answer: str) -> Feedback:
        """The same as grade(), for callers without an event loop (it never blocks long)."""
        return Feedback.from_verdicts(
            [
                KeyPointVerdict(point, score >= self.threshold, score)
                for point, score in zip(key_points, coverage(key_points, answer), strict=True)
            ]
        )


def coverage(key_points: Sequence[str], answer: str) -> list[float]:
    """For each key point, the weighted share of its terms that the answer contains (0..1)."""
    point_terms = [set(terms(point)) for point in key_points]
    answer_terms = set(terms(answer))
    spread = Counter(t for found in point_terms for t in found)
    scores: list[float] = []
    for found in point_terms:
        weights = {t: _specificity(spread[t], len(key_points)) for t in found}
        total = sum(weights.values())
        matched = sum(w for t, w in weights.items() if t in answer_terms)
        scores.append(matched / total if total else 0.0)
    return scores


def _specificity(points_with_term: int, points: int) -> float:
    # An inverse document frequency over the question's own key points, never zero.
    return math.log(1.0 + points / points_with_term)
