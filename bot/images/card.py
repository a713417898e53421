"""The leaderboard card: rank, name, current and best streak and answers, the caller's row
highlighted, and the channel's answers per week as a small bar chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.models import Leaderboard, LeaderboardEntry
from bot.images.draw import ACCENT, GREEN, HIGHLIGHT, MUTED, RULE, Canvas
from bot.images.picture import Picture

WIDTH = 640
PAD = 24
ROW = 30
MAX_ROWS = 20  # a bigger board shows its top 20 and says how many more; the text has all
TEXT = 15
SMALL = 12
CHART = 96  # the bars' height


@dataclass(frozen=True)
class WeekActivity:
    """One week of a channel (or space): its rounds, answers and the people who answered."""

    week_start: date  # a Monday
    rounds: int
    answers: int
    people: int


@dataclass(frozen=True)
class CardData:
    board: Leaderboard
    weeks: tuple[WeekActivity, ...]  # oldest first
    caller_id: str | None = None
    title: str | None = None  # e.g. "#general"; default: the board's scope


def _heading(data: CardData) -> tuple[str, str]:
    board = data.board
    ranked = (
        "by current streak"
        if board.ranked_by == "streak"
        else f"by answers, {'all time' if board.window == 'all' else 'last ' + board.window}"
    )
    return f"Leaderboard · {data.title or board.scope}", ranked


def _rows(data: CardData) -> tuple[list[LeaderboardEntry], int, LeaderboardEntry | None]:
    entries = list(data.board.entries)
    shown = entries[:MAX_ROWS]
    extra = data.board.caller
    if extra is None and data.caller_id is not None:
        extra = next((e for e in entries[MAX_ROWS:] if e.user_id == data.caller_id), None)
    return shown, len(entries) - len(shown), extra


def alt_text(data: CardData) -> str:
    title, ranked = _heading(data)
    lines = [f"{title}, {ranked}."]
    if not data.board.entries:
        lines.append("Nobody has answered yet.")
    rows = list(data.board.entries) + ([data.board.caller] if data.board.caller else [])
    for entry in rows:
        you = " (you)" if entry.user_id == data.caller_id else ""
        lines.append(
            f"{entry.rank}. {entry.name}{you}: current streak {entry.current_streak}, "
            f"best {entry.best_streak}, {entry.answers} answers"
        )
    if data.weeks:
        weeks = ", ".join(f"{w.week_start.day} {w.week_start:%b} {w.answers}" for w in data.weeks)
        lines.append(f"Answers per week, weeks starting: {weeks}.")
    return "\n".join(lines)


def render(data: CardData) -> Picture:
    shown, more, extra = _rows(data)
    rows = max(len(shown), 1) + (1 if more else 0) + (1 if extra else 0)
    header = PAD + 56 + ROW
    chart_top = header + rows * ROW + 28
    height = chart_top + (CHART + 58 if data.weeks else 0) + PAD - 8
    canvas = Canvas(WIDTH, height)
    title, ranked = _heading(data)
    canvas.text(PAD, PAD + 18, title, size=20, bold=True, limit=WIDTH - 2 * PAD)
    canvas.text(PAD, PAD + 42, ranked, size=SMALL, fill=MUTED)

    # Columns: rank | name | streak | best | answers (numbers right-aligned).
    rank_right = PAD + 34
    name_left = PAD + 48
    cols = {"streak": WIDTH - PAD - 170, "best": WIDTH - PAD - 92, "answers": WIDTH - PAD - 8}
    name_limit = cols["streak"] - 52 - name_left
    base = header - 10
    canvas.text(rank_right, base, "#", size=SMALL, fill=MUTED, align="right")
    canvas.text(name_left, base, "name", size=SMALL, fill=MUTED)
    for label, right in cols.items():
        canvas.text(right, base, label, size=SMALL, fill=MUTED, align="right")
    canvas.draw.line([(PAD, header - 2), (WIDTH - PAD, header - 2)], fill=RULE)

    top = header
    if not shown:
        canvas.text(name_left, top + 20, "Nobody has answered yet.", size=TEXT, fill=MUTED)
        top += ROW

    def row(entry: LeaderboardEntry) -> None:
        nonlocal top
        mine = entry.user_id == data.caller_id
        if mine:
            canvas.draw.rectangle([(PAD, top + 2), (WIDTH - PAD, top + ROW - 2)], fill=HIGHLIGHT)
            canvas.draw.rectangle([(PAD, top + 2), (PAD + 3, top + ROW - 2)], fill=ACCENT)
        baseline = top + 20
        canvas.text(rank_right, baseline, str(entry.rank), size=TEXT, fill=MUTED, align="right")
        canvas.text(name_left, baseline, entry.name, size=TEXT, bold=mine, limit=name_limit)
        values = (entry.current_streak, entry.best_streak, entry.answers)
        for right, value in zip(cols.values(), values, strict=True):
            canvas.text(right, baseline, f"{value:,}", size=TEXT, bold=mine, align="right")
        top += ROW

    for entry in shown:
        row(entry)
    if more:
        canvas.text(name_left, top + 20, f"and {more:,} more", size=SMALL, fill=MUTED)
        top += ROW
    if extra:
        canvas.draw.line([(PAD, top + 1), (WIDTH - PAD, top + 1)], fill=RULE)
        row(extra)
    if data.weeks:
        _chart(canvas, data.weeks, chart_top)
    return Picture(canvas.png(), alt_text(data), WIDTH, height, tuple(canvas.text_boxes))


def _chart(canvas: Canvas, weeks: tuple[WeekActivity, ...], top: int) -> None:
    canvas.draw.line([(PAD, top - 14), (WIDTH - PAD, top - 14)], fill=RULE)
    canvas.text(PAD, top + 10, f"Answers per week, last {len(weeks)} weeks", size=SMALL,
                fill=MUTED)  # fmt: skip
    floor = top + 22 + CHART
    most = max((w.answers for w in weeks), default=0) or 1
    slot = (WIDTH - 2 * PAD) / len(weeks)
    bar = max(2.0, slot * 0.7)
    canvas.draw.line([(PAD, floor), (WIDTH - PAD, floor)], fill=RULE)
    for index, week in enumerate(weeks):
        left = PAD + index * slot + (slot - bar) / 2
        tall = round((CHART - 16) * week.answers / most)
        if week.answers:
            canvas.draw.rectangle(
                [(left, floor - max(tall, 2)), (left + bar, floor - 1)], fill=GREEN
            )
        last = index == len(weeks) - 1
        if week.answers == most or last:
            canvas.text(left + bar / 2, floor - max(tall, 2) - 5, f"{week.answers:,}", size=SMALL,
                        fill=MUTED, align="center")  # fmt: skip
    first, final = weeks[0], weeks[-1]
    canvas.text(
        PAD, floor + 16, f"{first.week_start.day} {first.week_start:%b}", size=SMALL, fill=MUTED
    )
    canvas.text(WIDTH - PAD, floor + 16, f"week of {final.week_start.day} {final.week_start:%b}", size=SMALL,
                fill=MUTED, align="right")  # fmt: skip
