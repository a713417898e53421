"""Measure a grader against the labelled answers: per-key-point precision, recall and F1.

Every (answer, key point) pair is one decision: the grader says covered or not, the label says
covered or not. Figures are micro-averaged over all pairs, overall, per answer category
(strong / partial / weak) and per kind of answer (paraphrase, one-liner, wrong-mechanism, ...),
on the held-out set first, then the development set, then the first set; also the share of
wrong-mechanism pairs (an answer stating a wrong version of the key point) that the grader
credits.

The held-out set is never tuned on: `--tuning` leaves it out, `--sweep` explores thresholds on
the development and first sets together, and `--errors` lists the wrong decisions on those two
sets only.

    python -m bot.grading.evaluate [--grader lexical|embedding|llm|auto] [--tuning] [--sweep]
                                   [--errors] [--data FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.bank.loader import load_bank
from bot.bank.models import Bank
from bot.grading import KINDS, make_grader
from bot.grading.base import Feedback, Grader, suggest_rating
from bot.grading.labelled import (
    CATEGORIES,
    DEFAULT_DATA,
    DEV_DATA,
    HELDOUT_DATA,
    TUNING_DATA,
    LabelledAnswer,
    load_labelled,
)
from bot.paths import default_questions_dir

__all__ = [
    "DEFAULT_DATA",
    "DEV_DATA",
    "HELDOUT_DATA",
    "TUNING_DATA",
    "Graded",
    "LabelledAnswer",
    "Tally",
    "grade_all",
    "load_labelled",
    "main",
    "tally",
    "wrong_mechanism_credited",
]


@dataclass(frozen=True)
class Tally:
    """Counts of decisions over (answer, key point) pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn)

    @property
    def pairs(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    @property
    def accuracy(self) -> float:
        return (self.tp + self.tn) / self.pairs if self.pairs else 0.0


@dataclass(frozen=True)
class Graded:
    answer: LabelledAnswer
    feedback: Feedback


async def grade_all(grader: Grader, labelled: Iterable[LabelledAnswer]) -> list[Graded]:
    return [Graded(a, await grader.grade(a.key_points, a.text, a.reference)) for a in labelled]


def tally(graded: Iterable[Graded], threshold: float | None = None) -> Tally:
    """Decisions against labels; with `threshold`, re-decide each verdict as score >= threshold."""
    total = Tally()
    for item in graded:
        for index, verdict in enumerate(item.feedback.verdicts):
            said = verdict.covered if threshold is None else verdict.score >= threshold
            truth = index in item.answer.covers
            total += Tally(
                tp=said and truth,
                fp=said and not truth,
                fn=truth and not said,
                tn=not said and not truth,
            )
    return total


def rating_agreement(graded: Sequence[Graded]) -> float:
    """Share of answers whose suggested rating equals the rating the labels would give."""
    if not graded:
        return 0.0
    same = sum(
        item.feedback.suggested_rating
        == suggest_rating(len(item.answer.covers) / len(item.answer.key_points))
        for item in graded
    )
    return same / len(graded)


def wrong_mechanism_credited(graded: Iterable[Graded]) -> tuple[int, int]:
    """(credited, all) over the pairs whose answer states a wrong version of the key point."""
    credited = total = 0
    for item in graded:
        for index in item.answer.contradicts:
            total += 1
            credited += item.feedback.verdicts[index].covered
    return credited, total


def _fmt(value: float | None) -> str:
    return "   –" if value is None else f"{value:.2f}"


def report(graded: Sequence[Graded]) -> str:
    lines = [
        "category          answers  pairs   TP   FP   FN  precision  recall    F1  accuracy  rating"
    ]
    groups = [(c, [g for g in graded if g.answer.category == c]) for c in CATEGORIES]
    kinds = sorted({g.answer.kind for g in graded if g.answer.kind})
    by_kind = [(f"~{k}", [g for g in graded if g.answer.kind == k]) for k in kinds]
    for name, items in [*groups, ("all", list(graded)), *by_kind]:
        t = tally(items)
        lines.append(
            f"{name:<17} {len(items):>7} {t.pairs:>6} {t.tp:>4} {t.fp:>4} {t.fn:>4}"
            f"  {_fmt(t.precision):>9}  {_fmt(t.recall):>6}  {_fmt(t.f1):>4}"
            f"  {t.accuracy:>8.2f}  {rating_agreement(items):>6.2f}"
        )
    return "\n".join(lines)


def errors(graded: Iterable[Graded]) -> str:
    """Every wrong decision, to study on a set the grader may be tuned on."""
    lines: list[str] = []
    for item in graded:
        for index, verdict in enumerate(item.feedback.verdicts):
            truth = index in item.answer.covers
            if verdict.covered == truth:
                continue
            label = "FP" if verdict.covered else "FN"
            against = " (contradicts)" if index in item.answer.contradicts else ""
            lines.append(
                f"{label}{against} {item.answer.question_id} [{item.answer.kind or item.answer.category}]"
                f" point {index} score {verdict.score:.2f}: {verdict.point}\n"
                f"    answer: {' '.join(item.answer.text.split())[:300]}"
            )
    return "\n".join(lines)


def sweep(graded: Sequence[Graded], thresholds: Iterable[float]) -> str:
    lines = ["threshold  precision  recall    F1"]
    for threshold in thresholds:
        t = tally(graded, threshold)
        lines.append(
            f"{threshold:>9.2f}  {_fmt(t.precision):>9}  {_fmt(t.recall):>6}  {_fmt(t.f1):>4}"
        )
    return "\n".join(lines)


def evaluate(grader: Grader, path: Path, bank: Bank) -> tuple[str, list[Graded]]:
    labelled = load_labelled(path, bank)
    graded = asyncio.run(grade_all(grader, labelled))
    questions = len({a.question_id for a in labelled})
    lines = [
        f"{path.name}: {len(labelled)} labelled answers ({questions} questions)",
        report(graded),
    ]
    credited, total = wrong_mechanism_credited(graded)
    if total:
        lines.append(
            f"wrong-mechanism pairs credited: {credited} of {total} ({credited / total:.0%})"
        )
    return "\n".join(lines), graded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.grading.evaluate", description=__doc__)
    parser.add_argument("--grader", choices=KINDS, default="lexical")
    parser.add_argument("--data", type=Path, default=None, help="one labelled set (default: all)")
    parser.add_argument("--questions", type=Path, default=None, help="question bank folder")
    parser.add_argument(
        "--tuning", action="store_true", help="only the sets tuned on (dev and first)"
    )
    parser.add_argument(
        "--sweep", action="store_true", help="F1 over thresholds on the dev and first sets"
    )
    parser.add_argument(
        "--errors", action="store_true", help="list wrong decisions on the dev and first sets"
    )
    args = parser.parse_args(argv)

    bank = load_bank(args.questions or default_questions_dir())
    grader = make_grader(args.grader)
    print(f"grader: {grader.name} (threshold {getattr(grader, 'threshold', None)})")
    tuning = [path.resolve() for path in TUNING_DATA]
    if args.data:
        sets = [args.data]
    elif args.tuning or args.sweep or args.errors:
        sets = list(TUNING_DATA)
    else:
        sets = [HELDOUT_DATA, *TUNING_DATA]
    tuned_on: list[Graded] = []
    for path in sets:
        text, graded = evaluate(grader, path, bank)
        print(text)
        if path.resolve() in tuning:
            tuned_on += graded
            if args.errors:
                print(errors(graded))
        print()
    if args.sweep and tuned_on:
        centre = float(getattr(grader, "threshold", 0.5))
        print("dev and first sets together:")
        print(sweep(tuned_on, [round(centre + 0.02 * i, 2) for i in range(-8, 9)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
