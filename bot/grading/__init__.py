"""Feedback on a written answer: which key points it covered, missed or contradicted.

`make_grader` picks a grader by name; the quiz flow and the reveal call only `Grader.grade`,
through `grade_within` so that no grader can hold up a reveal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.grading.base import Feedback, Grader, GraderUnavailable, KeyPointVerdict, suggest_rating
from bot.grading.embedding import EmbeddingGrader
from bot.grading.lexical import LexicalGrader
from bot.grading.llm import LlmGrader, LlmSettings

__all__ = [
    "EmbeddingGrader",
    "Feedback",
    "Grader",
    "GraderUnavailable",
    "KeyPointVerdict",
    "LexicalGrader",
    "LlmGrader",
    "LlmSettings",
    "grade_within",
    "make_grader",
    "suggest_rating",
]

KINDS = ("auto", "lexical", "embedding", "llm")
# The longest a reveal waits for feedback; the llm grader's own timeout is shorter, so its
# fallback to the local grader still lands inside it.
GRADING_DEADLINE = 10.0


def make_grader(kind: str = "auto", llm: LlmSettings | None = None) -> Grader:
    """A grader by name: "lexical", "embedding", "llm", or "auto".

    "auto" is the lexical grader: on the held-out labelled set it beats the embedding grader
    (see the README), so the [feedback] extra alone does not switch it. "llm" needs `llm`
    settings and falls back to the lexical grader whenever the endpoint fails.

    Raises ValueError for an unknown name and GraderUnavailable when "embedding" is asked for
    without the [feedback] extra installed, or "llm" without settings.
    """
    if kind in ("lexical", "auto"):
        return LexicalGrader()
    if kind == "embedding":
        return EmbeddingGrader()
    if kind == "llm":
        if llm is None:
            raise GraderUnavailable(
                "The llm grader needs PRACTICEBOT_LLM_URL and PRACTICEBOT_LLM_MODEL "
                "(and PRACTICEBOT_LLM_KEY if the endpoint wants one)."
            )
        return LlmGrader(llm, fallback=LexicalGrader())
    raise ValueError(f"unknown grader '{kind}'; choose one of: {', '.join(KINDS)}")


async def grade_within(
    grader: Grader, key_points: Sequence[str], answer: str, reference: str = ""
) -> Feedback:
    """The grader's feedback, or TimeoutError after GRADING_DEADLINE seconds."""
    return await asyncio.wait_for(grader.grade(key_points, answer, reference), GRADING_DEADLINE)
