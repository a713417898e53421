"""Cut a written answer into the short passages the embedding grader compares key points with.

A chat answer often makes several points in one long line, and a sentence embedding of the whole
answer blurs them together. So we compare each key point with every sentence, every pair of
neighbouring sentences (a point is sometimes split across two), and windows of a few words
sliding over long sentences (a point is sometimes one clause of a list), and the whole answer
(a short answer reads best in one piece).
"""

from __future__ import annotations

import itertools
import re

# Sentence ends and semicolons followed by space; list markers such as "- ", "1)", "(2)", "2.".
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_LIST_MARKER = re.compile(r"(?:^|\s)(?:[-*•]|\(?\d{1,2}[).])\s+")
WINDOW_WORDS = 14
WINDOW_STEP = 7


def sentences(answer: str) -> list[str]:
    """The answer's sentences and list items, stripped, empty ones dropped."""
    found: list[str] = []
    for line in answer.splitlines():
        for item in _LIST_MARKER.split(line):
            found += [part.strip() for part in _SENTENCE_END.split(item) if part.strip()]
    return found


def passages(answer: str) -> list[str]:
    """Sentences, neighbouring pairs, word windows and the whole answer, without duplicates."""
    found = sentences(answer)
    result: list[str] = [*found]
    result += [f"{a} {b}" for a, b in itertools.pairwise(found)]
    for sentence in found:
        tokens = sentence.split()
        if len(tokens) > WINDOW_WORDS:
            last = len(tokens) - WINDOW_WORDS
            starts = [*range(0, last, WINDOW_STEP), last]
            result += [" ".join(tokens[s : s + WINDOW_WORDS]) for s in starts]
    if found:
        result.append(" ".join(answer.split()))
    return list(dict.fromkeys(result))
