"""The labelled answers that measure the graders: tests/data/graded_answers*.yaml.

Three sets. The first (graded_answers.yaml) and the development set (graded_answers_dev.yaml)
are the ones the graders are tuned on; the held-out one (graded_answers_heldout.yaml) is never
tuned on, and its figures choose `auto`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.bank.models import Bank

CATEGORIES = ("strong", "partial", "weak")
DATA_DIR = Path(__file__).resolve().parents[2] / "tests" / "data"
DEFAULT_DATA = DATA_DIR / "graded_answers.yaml"
HELDOUT_DATA = DATA_DIR / "graded_answers_heldout.yaml"
DEV_DATA = DATA_DIR / "graded_answers_dev.yaml"
# The sets a grader may be tuned on; the held-out set is never among them.
TUNING_DATA = (DEV_DATA, DEFAULT_DATA)
WRONG_MECHANISM = "wrong-mechanism"


class KeyPointsChanged(ValueError):
    """The bank's key points are no longer the ones an answer was labelled against."""


@dataclass(frozen=True)
class LabelledAnswer:
    question_id: str
    category: str
    text: str
    key_points: tuple[str, ...]
    covers: frozenset[int]  # indices into key_points
    reference: str = ""  # the question's reference answer
    kind: str = ""  # how the answer was written (held-out and dev sets), e.g. "wrong-mechanism"
    contradicts: frozenset[int] = frozenset()  # key points it states a wrong version of


def load_labelled(path: Path, bank: Bank) -> list[LabelledAnswer]:
    """The labelled answers, with each question's key points taken from the bank.

    When a question lists the key points it was labelled against, they must still be the
    bank's: otherwise the indices in `covers` may point at rewritten points.
    """
    document: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    labelled: list[LabelledAnswer] = []
    for entry in document["questions"]:
        question = bank.get(entry["id"])
        if question is None:
            raise ValueError(f"{path}: no question '{entry['id']}' in the bank")
        recorded = entry.get("key_points")
        if recorded is not None and tuple(recorded) != question.key_points:
            raise KeyPointsChanged(
                f"{path}: {question.id}: the bank's key points changed since these answers were "
                "labelled; relabel them against the new key points and update `key_points`"
            )
        for answer in entry["answers"]:
            covers = frozenset(int(i) for i in answer["covers"])
            contradicts = frozenset(int(i) for i in answer.get("contradicts", ()))
            if not covers | contradicts <= set(range(len(question.key_points))):
                raise ValueError(f"{path}: {question.id}: key point index out of range {covers}")
            if covers & contradicts:
                raise ValueError(f"{path}: {question.id}: a point both covered and contradicted")
            if answer["category"] not in CATEGORIES:
                raise ValueError(f"{path}: {question.id}: unknown category {answer['category']}")
            labelled.append(
                LabelledAnswer(
                    question.id,
                    answer["category"],
                    answer["text"],
                    question.key_points,
                    covers,
                    question.answer,
                    answer.get("kind", ""),
                    contradicts,
                )
            )
    return labelled
