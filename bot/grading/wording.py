"""The words of feedback on a point the answer did not cover: the one place adapters take them
from (until a presentation layer owns all wording)."""

from __future__ import annotations

from bot.grading.base import KeyPointVerdict

QUOTE_LIMIT = 220  # characters of a quoted sentence; chat messages stay short


def gap(verdict: KeyPointVerdict) -> str:
    """A missed or contradicted point, with the sentence that makes it or the one that denies it."""
    if verdict.contradicted:
        wrote = f" You wrote: “{_clip(verdict.evidence)}”" if verdict.evidence else ""
        return f"Your answer says the opposite of: {verdict.point}{wrote}"
    if verdict.reference:
        return f"Missed: {verdict.point} The reference answer: “{_clip(verdict.reference)}”"
    return f"Missed: {verdict.point}"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"
