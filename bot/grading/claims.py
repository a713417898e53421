"""Each key point as its central claim plus details, with the reference answer's sentences as more
ways of saying it.

A key point often joins a claim and its consequences ("It converges only to a local optimum, so
k-means++ and restarts are used"). An answer that states the claim has made the point, so the
claim alone is one phrasing of it. The reference answer says each point again, usually with the
example people actually write ("for squared error that's just the residuals"), so each of its
sentences is assigned to the key point it is about and becomes one more phrasing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.grading.passages import sentences
from bot.grading.text import terms

# Where a key point's central claim ends: a consequence, a reason, a contrast or an example.
_CLAUSE_BREAK = re.compile(
    r",?\s+(?:so that|so|which|because|since|while|whereas|but|rather than|plus)\s+"
    r"|;\s*|\s+\(|,\s+(?:e\.g\.|for example|such as)\s+",
    re.IGNORECASE,
)
_MARKDOWN = re.compile(r"[*`_#>]")
# A claim needs a few content terms to say anything; a shorter first clause takes the next one.
MIN_CLAIM_TERMS = 3
# A reference sentence joins the key point whose terms it contains most, when it contains at
# least this share of them and leads the next key point by ASSIGN_MARGIN (tuned on the first set).
ASSIGN_SHARE = 0.25
ASSIGN_MARGIN = 0.1
# How sharply a term shared by several key points loses weight. An answer that only uses the
# question's shared vocabulary is on topic, not making a point: cubing the inverse frequency
# leaves such terms a sixth of a one-point term's weight at five or six key points, instead of
# a half. Tuned on the first and development sets (it halves the wrong-mechanism pairs
# credited there at the same F1).
SPECIFICITY_POWER = 3


@dataclass(frozen=True)
class Phrasing:
    text: str
    source: str  # "point", "claim" or "reference"


def claim_of(point: str) -> str:
    """The key point's central claim: its first clause, or two when the first is too short."""
    parts = [part for part in _CLAUSE_BREAK.split(point) if part and part.strip()]
    if not parts:
        return point
    claim = parts[0]
    if len(set(terms(claim))) < MIN_CLAIM_TERMS and len(parts) > 1:
        claim = f"{claim} {parts[1]}"
    return claim.strip()


def reference_sentences(reference: str) -> list[str]:
    """The reference answer's sentences that say something (three content terms or more)."""
    plain = _MARKDOWN.sub("", reference)
    return [s for s in sentences(plain) if len(terms(s)) >= MIN_CLAIM_TERMS]


def specificity(points_with_term: int, points: int) -> float:
    """An inverse document frequency over the question's own key points, never zero."""
    return math.log(1.0 + points / max(points_with_term, 1)) ** SPECIFICITY_POWER


def term_weights(key_points: Sequence[str]) -> dict[str, float]:
    """Each key point term's weight: a term every key point shares tells little."""
    spread = Counter(t for point in key_points for t in set(terms(point)))
    return {t: specificity(n, len(key_points)) for t, n in spread.items()}


def share(weights: dict[str, float], phrasing_terms: set[str], found: set[str], n: int) -> float:
    """Weighted share of the phrasing's terms that are in `found` (a term new to the question
    weighs as much as one only a single key point uses)."""
    top = specificity(1, n)
    total = sum(weights.get(t, top) for t in phrasing_terms)
    hit = sum(weights.get(t, top) for t in phrasing_terms if t in found)
    return hit / total if total else 0.0


@lru_cache(maxsize=512)
def phrasings(key_points: tuple[str, ...], reference: str) -> tuple[tuple[Phrasing, ...], ...]:
    """For each key point: the point, its claim, and the reference sentences that make it.

    Cached: the same question is graded for many answers.
    """
    found: list[list[Phrasing]] = []
    for point in key_points:
        claim = claim_of(point)
        found.append([Phrasing(point, "point")])
        if claim != point:
            found[-1].append(Phrasing(claim, "claim"))
    if not key_points:
        return ()
    weights = term_weights(key_points)
    point_terms = [set(terms(p)) for p in key_points]
    n = len(key_points)
    for sentence in reference_sentences(reference):
        present = set(terms(sentence))
        scores = [share(weights, pt, present, n) for pt in point_terms]
        ranked = sorted(range(n), key=lambda i: -scores[i])
        best = ranked[0]
        runner_up = scores[ranked[1]] if n > 1 else 0.0
        if scores[best] >= ASSIGN_SHARE and scores[best] - runner_up >= ASSIGN_MARGIN:
            found[best].append(Phrasing(sentence, "reference"))
    return tuple(tuple(f) for f in found)
