"""Pictures: ms per image (p95) for the leaderboard card at 10 and 100 people and for the
streak calendar, and the memory that drawing them adds to the bot.

Each sample draws a board that differs from the last one (the streaks move on), as after a
reveal, so no sample is a cache hit; the names are a team's, the same ones each time, as in
a real channel. The first picture of a process also loads the fonts: it is timed apart.

Memory is read in a fresh process: its resident set with the bot's core loaded, then after
it imported Pillow and the fonts and drew every kind of picture 20 times.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from bench.common import Figures, Scale, now_s, percentile, rss_mb

NAMES = (
    "Alice", "Bob", "Chidi Anagonye", "Zoë Ångström", "محمد عبد الله", "דנה לוי", "Priya",
    "Владимир Петров", "Sam 🚀", "Maximilian von Hohenzollern-Sigmaringen",
)  # fmt: skip


def _card_data(people: int, turn: int) -> object:
    from bot.core.models import Leaderboard, LeaderboardEntry
    from bot.images import CardData, WeekActivity

    entries = tuple(
        LeaderboardEntry(
            n + 1, f"u{n}", f"{NAMES[n % len(NAMES)]} {n}", people - n + turn, 90, 400 - n + turn
        )
        for n in range(people)
    )
    weeks = tuple(
        WeekActivity(date(2026, 9, 7) + timedelta(weeks=w), 5, 3 * people + w + turn, people)
        for w in range(12)
    )
    board = Leaderboard("bench:space:general", "all", "streak", entries, None)
    return CardData(board, weeks, caller_id=f"u{people // 2}", title="#general")


def _calendar_data(turn: int) -> object:
    from bot.images import CalendarData, RoundDay, calendar

    today = date(2026, 12, 2)
    start = calendar.first_day(today)
    rounds = tuple(
        RoundDay(start + timedelta(days=d), revealed=d < 177, answered=(d + turn) % 6 != 0)
        for d in range(178)
        if (start + timedelta(days=d)).weekday() < 5
    )
    return CalendarData("Zoë Ångström", "#general", today, rounds, 12 + turn, 40)


def _time_ms(samples: int, draw: object, make: object) -> list[float]:
    assert callable(draw) and callable(make)
    times = []
    for turn in range(samples):
        data = make(turn)
        started = now_s()
        draw(data)
        times.append((now_s() - started) * 1000)
    return times


def _memory_child() -> dict[str, float]:
    import bot.core.engine  # noqa: F401  (the bot's core, as a running bot has it)

    before = rss_mb()
    from bot.images import calendar, card

    for turn in range(20):
        for people in (10, 100):
            card.render(_card_data(people, turn))  # type: ignore[arg-type]
        calendar.render(_calendar_data(turn))  # type: ignore[arg-type]
    return {"before": before, "after": rss_mb()}


def _memory() -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.pictures"],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


async def run(scale: Scale, workdir: Path) -> Figures:
    import asyncio

    from bot.images import calendar, card

    samples = scale.of(60, least=5)
    started = now_s()
    first = card.render(_card_data(10, -1))  # type: ignore[arg-type]
    first_ms = (now_s() - started) * 1000
    (workdir / "card.png").write_bytes(first.png)
    card10 = _time_ms(samples, card.render, lambda t: _card_data(10, t))
    card100 = _time_ms(samples, card.render, lambda t: _card_data(100, t))
    calendar.render(_calendar_data(-1))  # type: ignore[arg-type]
    calendars = _time_ms(samples, calendar.render, _calendar_data)
    memory = await asyncio.to_thread(_memory)
    return {
        "picture_card10_p95_ms": percentile(card10, 0.95),
        "picture_card100_p95_ms": percentile(card100, 0.95),
        "picture_calendar_p95_ms": percentile(calendars, 0.95),
        "picture_first_ms": first_ms,
        "picture_rss_added_mb": memory["after"] - memory["before"],
        "picture_samples": samples,
    }


if __name__ == "__main__":
    print(json.dumps(_memory_child()))
