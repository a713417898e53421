"""Counts over a bank: questions per pack, per difficulty and per tag."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.bank.models import DIFFICULTIES, Bank, Difficulty


@dataclass(frozen=True)
class PackCount:
    name: str
    title: str
    questions: int
    by_difficulty: dict[Difficulty, int]


@dataclass(frozen=True)
class BankStats:
    total: int
    packs: tuple[PackCount, ...]
    by_difficulty: dict[Difficulty, int]
    by_tag: tuple[tuple[str, int], ...]  # most used first, then by name


def bank_stats(bank: Bank) -> BankStats:
    packs = tuple(
        PackCount(
            pack.name,
            pack.title,
            len(pack.questions),
            _by_difficulty(Counter(q.difficulty for q in pack.questions)),
        )
        for pack in bank.packs
    )
    questions = bank.questions()
    tags = Counter(tag for q in questions for tag in q.tags)
    return BankStats(
        total=len(questions),
        packs=packs,
        by_difficulty=_by_difficulty(Counter(q.difficulty for q in questions)),
        by_tag=tuple(sorted(tags.items(), key=lambda item: (-item[1], item[0]))),
    )


def _by_difficulty(counts: Counter[Difficulty]) -> dict[Difficulty, int]:
    return {level: counts[level] for level in DIFFICULTIES}


def as_json(stats: BankStats) -> dict[str, Any]:
    return {
        "total": stats.total,
        "packs": [
            {
                "name": p.name,
                "title": p.title,
                "questions": p.questions,
                "difficulty": p.by_difficulty,
            }
            for p in stats.packs
        ],
        "difficulty": stats.by_difficulty,
        "tags": dict(stats.by_tag),
    }


def render(stats: BankStats) -> str:
    """Plain text: a pack table, the difficulty spread and the tags by count."""
    name_width = max([len("pack"), *(len(p.name) for p in stats.packs)])
    title_width = max([len("title"), *(len(p.title) for p in stats.packs)])
    levels = "".join(f"{level:>8}" for level in DIFFICULTIES)
    lines = [f"{'pack':<{name_width}}  {'title':<{title_width}}  {'questions':>9}{levels}"]
    for p in stats.packs:
        counts = "".join(f"{p.by_difficulty[level]:>8}" for level in DIFFICULTIES)
        lines.append(f"{p.name:<{name_width}}  {p.title:<{title_width}}  {p.questions:>9}{counts}")
    totals = "".join(f"{stats.by_difficulty[level]:>8}" for level in DIFFICULTIES)
    lines.append(f"{'total':<{name_width}}  {'':<{title_width}}  {stats.total:>9}{totals}")
    lines.append("")
    lines.append(f"{stats.total} questions in {len(stats.packs)} packs")
    spread = ", ".join(
        f"{level} {stats.by_difficulty[level]} ({_share(stats.by_difficulty[level], stats.total)})"
        for level in DIFFICULTIES
    )
    lines.append(f"difficulty: {spread}")
    lines.append("")
    lines.append(f"tags ({len(stats.by_tag)}):")
    tag_width = max([0, *(len(tag) for tag, _ in stats.by_tag)])
    lines.extend(f"  {tag:<{tag_width}}  {count:>4}" for tag, count in stats.by_tag)
    return "\n".join(lines)


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"
