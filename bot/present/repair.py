"""Replies about streak repairs (`/practice streak-repair DATE`) and their lines in the status."""

from __future__ import annotations

from bot.core.records import StreakRepair
from bot.present.parts import Text, When, Who, text

SHOWN_IN_STATUS = 5  # the latest repairs a status lists


def _by(repair: StreakRepair, timezone: str) -> Text:
    """`by @ana on …` (or `on …` when nobody is known)."""
    who = text("by ", Who(repair.repaired_by, repair.repaired_by), " ") if repair.repaired_by else ()
    return text(who, "on ", When(repair.repaired_at, timezone))


def repaired(repair: StreakRepair, new: bool, timezone: str) -> Text:
    day = repair.local_date.isoformat()
    if not new:
        return text(f"The round of {day} was already repaired ", _by(repair, timezone), ".")
    return text(
        f"Repaired the round of {day}: it breaks nobody's streak, and those who answered it "
        "keep it. Streaks are counted again.",
    )


def status_line(repairs: tuple[StreakRepair, ...], timezone: str) -> Text:
    """`**Streak repairs:** 2026-12-01 (by @ana on …), …` — empty when there are none."""
    if not repairs:
        return ()
    shown = [
        text(r.local_date.isoformat(), " (", _by(r, timezone), ")")
        for r in repairs[:SHOWN_IN_STATUS]
    ]
    more = len(repairs) - SHOWN_IN_STATUS
    parts: list[Text] = []
    for number, line in enumerate(shown):
        parts.append(text(", " if number else "", line))
    return text("**Streak repairs:** ", *parts, f" and {more} more" if more > 0 else "")
