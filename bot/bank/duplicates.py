"""Near-duplicate questions: two question texts that say almost the same thing.

Texts are compared after normalisation (lower case, punctuation and common function words
dropped, the remaining words sorted) with rapidfuzz's normalised Indel similarity, 0 to 100.
Measured on the bundled bank, the closest pair of distinct questions scored 70
("What loss functions can you use to train a generative model?" against "List common
generative models and their pros and cons."), while a copy with one word swapped
("prevent" for "stop") or British for US spelling scores 86 to 96; the threshold sits between.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

THRESHOLD = 85.0
_WORD = re.compile(r"[a-z0-9]+")
# Words that carry no topic: a question rephrased with other ones is still the same question.
_FUNCTION_WORDS_TEXT = """
a an the of in on to for and or but is are was were be been it its this that these those
what which why how when where who whom would could should can do does did will shall may
might must you your we our us i me my with from by as at into than then their there they
them about some any each
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


@dataclass(frozen=True)
class NearDuplicate:
    first: Path
    second: Path
    score: float


def normalise(text: str) -> str:
    """The words that matter in a question, sorted, so word order and filler do not count."""
    words = _WORD.findall(text.lower())
    return " ".join(sorted(w for w in words if w not in _FUNCTION_WORDS))


def similarity(first: str, second: str) -> float:
    """0 to 100: how alike two question texts are after normalisation."""
    return float(fuzz.ratio(normalise(first), normalise(second)))


def near_duplicates(
    questions: Sequence[tuple[Path, str]], threshold: float = THRESHOLD
) -> list[NearDuplicate]:
    """Every pair of (source, question text) at or above `threshold`, in input order."""
    keys = [normalise(text) for _, text in questions]
    found: list[NearDuplicate] = []
    for i, (first, _) in enumerate(questions):
        for j in range(i + 1, len(questions)):
            score = fuzz.ratio(keys[i], keys[j], score_cutoff=threshold)
            if score:
                found.append(NearDuplicate(first, questions[j][0], float(score)))
    return found


def text_line(path: Path) -> int:
    """The 1-based line where a question file's text starts (after its front matter)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fences = [i for i, line in enumerate(lines) if line.strip() == "---"][:2]
    number = fences[-1] + 1 if len(fences) == 2 else 0
    while number < len(lines) and not lines[number].strip():
        number += 1
    return number + 1
