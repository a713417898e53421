"""The personal streak calendar: the last 26 weeks, one cell per day like a contribution
graph, coloured by the channel's round that day: answered, missed, open (not revealed yet,
not answered yet) or no round."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.images.draw import GREEN, MUTED, RULE, Canvas, Color
from bot.images.picture import Picture

WEEKS = 26
CELL = 14
GAP = 3
PAD = 24
LEFT = 34  # the weekday labels
SMALL = 12


class Mark(StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"
    OPEN = "open"
    NO_ROUND = "no round"


COLORS: dict[Mark, Color] = {
    Mark.ANSWERED: GREEN,
    Mark.MISSED: (248, 131, 121),
    Mark.OPEN: (234, 197, 79),
    Mark.NO_ROUND: (235, 237, 240),
}


@dataclass(frozen=True)
class RoundDay:
    """A round of the channel on a local date, and whether this person answered it."""

    local_date: date
    revealed: bool
    answered: bool

    @property
    def mark(self) -> Mark:
        if self.answered:
            return Mark.ANSWERED
        return Mark.MISSED if self.revealed else Mark.OPEN


@dataclass(frozen=True)
class CalendarData:
    name: str
    title: str  # the channel, e.g. "#general"
    today: date  # the channel's local date now: the last column is its week
    rounds: tuple[RoundDay, ...]
    current_streak: int
    best_streak: int


def first_day(today: date) -> date:
    """The Monday that starts the calendar's first column."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)


def cells(data: CalendarData) -> list[tuple[date, Mark]]:
    """Every day drawn, oldest first: from the first column's Monday up to today."""
    by_date = {r.local_date: r.mark for r in data.rounds}
    start = first_day(data.today)
    days = (data.today - start).days + 1
    return [
        (day, by_date.get(day, Mark.NO_ROUND))
        for day in (start + timedelta(days=n) for n in range(days))
    ]


def alt_text(data: CalendarData) -> str:
    marks = cells(data)
    counts = Counter(mark for _, mark in marks)
    rounds = counts[Mark.ANSWERED] + counts[Mark.MISSED] + counts[Mark.OPEN]
    lines = [
        f"{data.name}'s streak calendar in {data.title}, the last {WEEKS} weeks "
        f"(from {marks[0][0]:%d %b %Y} to {data.today:%d %b %Y}).",
        f"Current streak {data.current_streak}, best {data.best_streak}.",
        f"{rounds} rounds: {counts[Mark.ANSWERED]} answered, {counts[Mark.MISSED]} missed"
        + (f", {counts[Mark.OPEN]} open" if counts[Mark.OPEN] else "")
        + ".",
    ]
    missed = [day for day, mark in marks if mark is Mark.MISSED]
    if missed:
        lines.append("Missed: " + ", ".join(f"{day:%a %d %b}" for day in missed) + ".")
    return "\n".join(lines)


def render(data: CalendarData) -> Picture:
    grid_left = PAD + LEFT
    grid_top = PAD + 66
    step = CELL + GAP
    width = grid_left + WEEKS * step - GAP + PAD
    height = grid_top + 7 * step - GAP + 44 + PAD
    canvas = Canvas(width, height)
    canvas.text(PAD, PAD + 18, data.name, size=20, bold=True, limit=width - 2 * PAD)
    counts = Counter(mark for _, mark in cells(data))
    rounds = counts[Mark.ANSWERED] + counts[Mark.MISSED] + counts[Mark.OPEN]
    summary = (
        f"Current streak {data.current_streak} · best {data.best_streak} · "
        f"{counts[Mark.ANSWERED]} of {rounds} rounds answered · {data.title}"
    )
    canvas.text(PAD, PAD + 40, summary, size=SMALL, fill=MUTED, limit=width - 2 * PAD)

    start = first_day(data.today)
    month = None
    for column in range(WEEKS):
        monday = start + timedelta(weeks=column)
        if monday.month != month and column < WEEKS - 2:
            month = monday.month
            canvas.text(grid_left + column * step, grid_top - 8, f"{monday:%b}", size=SMALL - 1,
                        fill=MUTED)  # fmt: skip
        elif monday.month != month:
            month = monday.month
    for row, label in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        canvas.text(PAD, grid_top + row * step + CELL - 3, label, size=SMALL - 1, fill=MUTED)
    for day, mark in cells(data):
        column, row = (day - start).days // 7, day.weekday()
        left, top = grid_left + column * step, grid_top + row * step
        box = [(left, top), (left + CELL - 1, top + CELL - 1)]
        canvas.draw.rounded_rectangle(box, radius=3, fill=COLORS[mark])
        if day == data.today:
            canvas.draw.rounded_rectangle(box, radius=3, outline=(87, 96, 106), width=1)

    legend_base = grid_top + 7 * step - GAP + 30
    x = float(grid_left)
    for mark in (Mark.ANSWERED, Mark.MISSED, Mark.OPEN, Mark.NO_ROUND):
        canvas.draw.rounded_rectangle(
            [(x, legend_base - 11), (x + 11, legend_base)], radius=2, fill=COLORS[mark]
        )
        x += 16 + canvas.text(x + 16, legend_base, str(mark), size=SMALL, fill=MUTED) + 14
    canvas.draw.line([(PAD, legend_base - 22), (width - PAD, legend_base - 22)], fill=RULE)
    return Picture(canvas.png(), alt_text(data), width, height, tuple(canvas.text_boxes))
