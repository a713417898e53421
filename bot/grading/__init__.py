"""Feedback on a written answer: which key points it covered, which it missed.

`make_grader` picks a grader by name; the quiz flow and the reveal call only `Grader.grade`.
"""

from __future__ import annotations

from bot.grading.base import Feedback, Grader, GraderUnavailable, KeyPointVerdict, suggest_rating
from bot.grading.embedding import EmbeddingGrader, embedding_available
from bot.grading.lexical import LexicalGrader

__all__ = [
    "EmbeddingGrader",
    "Feedback",
    "Grader",
    "GraderUnavailable",
    "KeyPointVerdict",
    "LexicalGrader",
    "make_grader",
    "suggest_rating",
]

KINDS = ("auto", "lexical", "embedding")


def make_grader(kind: str = "auto") -> Grader:
    """A grader by name: "lexical", "embedding", or "auto" (embedding when installed).

    Raises ValueError for an unknown name and GraderUnavailable when "embedding" is asked for
    without the [feedback] extra installed.
    """
    if kind == "lexical":
        return LexicalGrader()
    if kind == "embedding":
        return EmbeddingGrader()
    if kind == "auto":
        return EmbeddingGrader() if embedding_available() else LexicalGrader()
    raise ValueError(f"unknown grader '{kind}'; choose one of: {', '.join(KINDS)}")
