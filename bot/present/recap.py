"""The weekly recap's wording: last week's participation, the longest current streaks, and the
question most people missed."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import RecapPost
from bot.present.daily import first_line
from bot.present.grammar import plural
from bot.present.parts import Plain, Text, Who, text

QUIZ_ME = "Quiz me on it"


def title(recap: RecapPost) -> str:
    end = recap.week_start + timedelta(days=6)
    return f"Last week in review ({recap.week_start:%d %b} – {end:%d %b})"


def lines(recap: RecapPost) -> tuple[Text, ...]:
    """One line each: participation, streaks, the most missed question (when there is one)."""
    shown = [
        text(
            f"**Participation:** {plural(recap.rounds, 'round')}, "
            f"{plural(recap.answers, 'answer')} from {plural(recap.people, 'person', 'people')}."
        )
    ]
    if recap.streaks:
        parts: list[Text] = []
        for number, entry in enumerate(recap.streaks):
            parts.append(
                text(", " if number else "", Who(entry.user_id, entry.name),
                     f" ({entry.current_streak})")
            )  # fmt: skip
        shown.append(text("**Longest streaks:** ", *parts))
    if recap.most_missed is not None:
        shown.append(
            text(
                "**Most missed:** ", Plain(first_line(recap.most_missed.text)),
                f" (missed by {recap.missed_by} of {recap.people}). Quiz it privately, just for you.",
            )
        )  # fmt: skip
    return tuple(shown)
