"""`/review export`: someone's missed questions with the reference answers, as Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.missed import MissedItem

EXPORT_TITLE = "Questions to study again"
NOTHING_TO_EXPORT = (
    "Nothing to export: you have no missed daily question and no question rated Again."
)


def export_name(day: date) -> str:
    return f"practicebot-missed-{day.isoformat()}.md"


def export_note(count: int) -> str:
    noun = "question" if count == 1 else "questions"
    return f"Your {count} missed {noun}, with the reference answers, as a Markdown file."


def export_markdown(items: Sequence[MissedItem], day: date) -> str:
    """One section per question: why it is here, the question, its key points and answer."""
    lines = [f"# {EXPORT_TITLE}", "", f"Exported {day.isoformat()}: {len(items)} questions.", ""]
    for number, item in enumerate(items, 1):
        question, missed = item.question, item.missed
        why = "not answered" if missed.reason == "missed" else "rated Again"
        lines += [
            f"## {number}. {question.text.strip().splitlines()[0]}",
            "",
            f"*{question.pack} · {question.difficulty} · {why} {missed.at.date().isoformat()}*",
            "",
        ]
        rest = question.text.strip().splitlines()[1:]
        if rest:
            lines += [*rest, ""]
        if question.key_points:
            lines += ["**Key points**", "", *(f"- {p}" for p in question.key_points), ""]
        lines += ["**Reference answer**", "", question.answer.strip(), ""]
    return "\n".join(lines)
