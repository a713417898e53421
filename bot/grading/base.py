"""What every grader returns, and the rule that turns coverage into a suggested rating.

A grader reads a written answer against a question's key points and says, for each key point,
whether the answer covers it. The verdicts are plain data so the quiz flow can show "you covered
… / you missed …" and offer a rating the user may override.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from bot import errors

Rating = Literal["again", "hard", "good", "easy"]
Status = Literal["covered", "missed", "contradicted"]

# Lower bounds of the covered fraction for each rating below "easy" (see suggest_rating).
HARD_FROM = 0.3
GOOD_FROM = 0.6


# A grader's optional dependencies are not installed; str() says what to install.
GraderUnavailable = errors.GraderUnavailable


@dataclass(frozen=True)
class KeyPointVerdict:
    point: str
    covered: bool
    # The grader's evidence on its own scale; covered exactly when score >= its threshold.
    score: float
    # The answer says the opposite of the point (never covered then).
    contradicted: bool = False
    # Quoted from the answer: the sentence that makes the point, or the one that contradicts it.
    evidence: str = ""
    # Quoted from the reference answer: a sentence that makes the point (shown when missed).
    reference: str = ""

    @property
    def status(self) -> Status:
        if self.covered:
            return "covered"
        return "contradicted" if self.contradicted else "missed"


def suggest_rating(covered_fraction: float) -> Rating:
    """The self-rating we suggest for an answer that covered this share of the key points.

    - every key point covered: "easy";
    - at least 60% (3 of 5, 4 of 6): "good", the answer would pass an interview;
    - at least 30% (2 of 5 or 6): "hard", recalled with real gaps;
    - less (0 or 1 of 5): "again", the question should come back soon.
    """
    if not 0.0 <= covered_fraction <= 1.0:
        raise ValueError(f"covered_fraction must be between 0 and 1, got {covered_fraction}")
    if covered_fraction >= 1.0 - 1e-9:
        return "easy"
    if covered_fraction >= GOOD_FROM - 1e-9:
        return "good"
    if covered_fraction >= HARD_FROM - 1e-9:
        return "hard"
    return "again"


@dataclass(frozen=True)
class Feedback:
    verdicts: tuple[KeyPointVerdict, ...]
    suggested_rating: Rating

    @classmethod
    def from_verdicts(cls, verdicts: Sequence[KeyPointVerdict]) -> Feedback:
        """Feedback whose suggested rating follows suggest_rating."""
        verdicts = tuple(verdicts)
        fraction = sum(v.covered for v in verdicts) / len(verdicts) if verdicts else 0.0
        return cls(verdicts, suggest_rating(fraction))

    @property
    def covered(self) -> list[str]:
        return [v.point for v in self.verdicts if v.covered]

    @property
    def missed(self) -> list[str]:
        """Every point not covered, contradicted ones included."""
        return [v.point for v in self.verdicts if not v.covered]

    @property
    def contradicted(self) -> list[str]:
        return [v.point for v in self.verdicts if v.contradicted]

    @property
    def covered_fraction(self) -> float:
        """Share of key points covered; 0.0 when there are none to cover."""
        return len(self.covered) / len(self.verdicts) if self.verdicts else 0.0


class Grader(Protocol):
    """Judges a written answer against a question's key points.

    `reference` is the question's reference answer: more ways of saying each point, and the
    sentence to quote for a missed one. A grader may ignore it.
    """

    name: str

    async def grade(
        self, key_points: Sequence[str], answer: str, reference: str = ""
    ) -> Feedback: ...
