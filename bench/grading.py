"""Grading a long written answer on the lexical path: the feedback shown at a reveal.

A 4,000-character answer against a 6-key-point question (with its reference answer, as the
core passes it), graded many times; each repeat uses a new answer text so no cache hides the
work on the answer, while the question's phrasings are cached as in the running bot.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import Figures, Scale, now_s, percentile, real_bank
from bot.grading import LexicalGrader

ANSWER_CHARS = 4_000
REPEATS = 200


def long_answer(sentences: list[str], chars: int, variant: int) -> str:
    """About `chars` characters made of the reference's sentences and filler, numbered so each
    variant differs."""
    parts: list[str] = []
    i = 0
    while sum(len(p) + 1 for p in parts) < chars:
        parts.append(f"{sentences[i % len(sentences)]} (note {variant}.{i})")
        i += 1
    return " ".join(parts)[:chars]


async def run(scale: Scale, workdir: Path) -> Figures:
    question = next(q for q in real_bank().questions() if len(q.key_points) == 6)
    sentences = [s for s in question.answer.replace("\n", " ").split(". ") if s.strip()]
    grader = LexicalGrader()
    repeats = scale.of(REPEATS, least=5)
    samples = []
    for variant in range(repeats):
        answer = long_answer(sentences, ANSWER_CHARS, variant)
        start = now_s()
        grader.grade_now(question.key_points, answer, question.answer)
        samples.append((now_s() - start) * 1000)
    return {
        "grading_lexical_p95_ms": percentile(samples, 0.95),
        "grading_lexical_p50_ms": percentile(samples, 0.5),
        "grading_repeats": float(repeats),
        "grading_answer_chars": float(len(long_answer(sentences, ANSWER_CHARS, 0))),
    }
