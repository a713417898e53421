"""The pictures: the leaderboard card and the streak calendar, drawn from plain data, read
from a store, and written by the command line and the console."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image

from bot.core.models import Leaderboard, LeaderboardEntry
from bot.images import (
    CalendarData,
    CardData,
    Mark,
    PictureCache,
    RoundDay,
    WeekActivity,
    calendar,
    card,
    gather,
)
from bot.images.draw import ACCENT, HIGHLIGHT, fit, width
from tests.helpers import CHANNEL, World
from tests.test_console_cli import FIVE_DAYS, practicebot

NAMES = (
    "Alice", "Zoë Ångström", "محمد عبد الله", "דנה לוי", "Sam 🚀", "👩‍💻", "李小龍",
    "Владимир Петров", "Maximilian Alexander von Hohenzollern-Sigmaringen der Dritte " * 3,
    "علي Ali", "\u202eevil override\u202c",
)  # fmt: skip
WEEKS = tuple(WeekActivity(date(2026, 9, 7) + timedelta(weeks=n), 5, 3 * n, n) for n in range(12))


def board(people: int, caller: str | None = None) -> Leaderboard:
    entries = tuple(
        LeaderboardEntry(n + 1, f"u{n}", f"{NAMES[n % len(NAMES)]} {n}", 99 - n, 120, 999 - n)
        for n in range(people)
    )
    return Leaderboard("test:space1:general", "all", "streak", entries, None)


def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def assert_inside(picture: object) -> None:
    from bot.images import Picture

    assert isinstance(picture, Picture)
    assert picture.text_boxes
    for left, top, right, bottom in picture.text_boxes:
        assert 0 <= left <= right <= picture.width, (left, right)
        assert 0 <= top <= bottom <= picture.height, (top, bottom)


@pytest.mark.parametrize("people", [0, 1, 10, 100])
def test_card_size_text_and_bounds(people: int) -> None:
    data = CardData(board(people), WEEKS, caller_id="u0", title="#general")
    picture = card.render(data)
    image = decoded(picture.png)
    assert image.size == (picture.width, picture.height) == (card.WIDTH, picture.height)
    assert image.format == "PNG"
    assert picture.height < 1100, "a big board shows its top rows, not a poster"
    assert_inside(picture)
    for entry in data.board.entries:  # the text alternative has every row, drawn or not
        assert f"{entry.rank}. {entry.name}" in picture.alt_text
    assert ("Nobody has answered yet." in picture.alt_text) == (people == 0)
    assert "Answers per week" in picture.alt_text and "14 Sep 3" in picture.alt_text


def _row_top(index: int) -> int:
    return card.PAD + 56 + card.ROW + index * card.ROW


def test_the_caller_is_highlighted_and_nobody_else() -> None:
    picture = card.render(CardData(board(10), WEEKS, caller_id="u3"))
    image = decoded(picture.png).convert("RGB")
    for index in range(10):
        middle = _row_top(index) + card.ROW // 2
        accent = image.getpixel((card.PAD + 1, middle))
        background = image.getpixel((card.WIDTH // 2, middle))
        assert (accent == ACCENT) == (index == 3), index
        assert (background == HIGHLIGHT) == (index == 3), index
    assert "4. " in picture.alt_text and "(you)" in picture.alt_text.splitlines()[4]


def test_a_caller_outside_the_shown_rows_gets_their_own_row() -> None:
    top = board(10)
    caller = LeaderboardEntry(57, "me", "Me", 1, 2, 3)
    data = CardData(Leaderboard(top.scope, "all", "streak", top.entries, caller), (), "me")
    picture = card.render(data)
    image = decoded(picture.png).convert("RGB")
    assert image.getpixel((card.PAD + 1, _row_top(10) + card.ROW // 2)) == ACCENT
    assert "57. Me (you)" in picture.alt_text
    assert_inside(picture)


@pytest.mark.parametrize("name", NAMES)
def test_any_name_fits_its_cell(name: str) -> None:
    for size in (12, 15, 20):
        assert width(fit(name, size, 200)) <= 200
    picture = card.render(CardData(board(1), (), None))
    assert_inside(picture)


def test_every_kind_of_name_is_drawn_inside_the_card() -> None:
    entries = tuple(LeaderboardEntry(n + 1, f"u{n}", name, 1, 1, 1) for n, name in enumerate(NAMES))
    data = CardData(Leaderboard("x:y:z", "week", "answers", entries, None), WEEKS, "u2")
    picture = card.render(data)
    assert_inside(picture)
    name_right = card.WIDTH - card.PAD - 170 - 52
    rows = [box for box in picture.text_boxes if box[1] > _row_top(0)]
    assert all(box[2] <= name_right + 1 for box in rows if box[0] < name_right - 60)
    assert "محمد عبد الله" in picture.alt_text and "Sam 🚀" in picture.alt_text


def known_history() -> CalendarData:
    today = date(2026, 12, 2)  # a Wednesday
    return CalendarData(
        name="Alice",
        title="#general",
        today=today,
        rounds=(
            RoundDay(date(2026, 11, 30), revealed=True, answered=True),
            RoundDay(date(2026, 12, 1), revealed=True, answered=False),
            RoundDay(date(2026, 12, 2), revealed=False, answered=False),
            RoundDay(date(2026, 6, 8), revealed=True, answered=True),  # the first Monday
            RoundDay(date(2026, 6, 1), revealed=True, answered=True),  # before the calendar
        ),
        current_streak=0,
        best_streak=3,
    )


def test_calendar_cells_and_colours_for_a_known_history() -> None:
    data = known_history()
    assert calendar.first_day(data.today) == date(2026, 6, 8)
    cells = calendar.cells(data)
    assert len(cells) == 25 * 7 + 3  # 25 whole weeks and Mon–Wed of this one
    marks = dict(cells)
    assert marks[date(2026, 6, 8)] is Mark.ANSWERED
    assert marks[date(2026, 11, 30)] is Mark.ANSWERED
    assert marks[date(2026, 12, 1)] is Mark.MISSED
    assert marks[date(2026, 12, 2)] is Mark.OPEN
    assert sum(mark is Mark.NO_ROUND for mark in marks.values()) == len(cells) - 4

    picture = calendar.render(data)
    image = decoded(picture.png).convert("RGB")
    assert image.size == (picture.width, picture.height)
    assert_inside(picture)
    step = calendar.CELL + calendar.GAP
    left0, top0 = calendar.PAD + calendar.LEFT, calendar.PAD + 66

    def colour(day: date) -> tuple[int, int, int]:
        column, row = (day - calendar.first_day(data.today)).days // 7, day.weekday()
        pixel = image.getpixel((left0 + column * step + 7, top0 + row * step + 7))
        assert isinstance(pixel, tuple)
        return (pixel[0], pixel[1], pixel[2])

    for day, mark in cells:
        assert colour(day) == calendar.COLORS[mark], (day, mark)
    # The round of 1 June, before the calendar's first Monday, is not counted.
    assert "4 rounds: 2 answered, 1 missed, 1 open." in picture.alt_text
    assert "Current streak 0, best 3." in picture.alt_text
    assert "Missed: Tue 01 Dec." in picture.alt_text


@pytest.mark.parametrize("name", ["محمد عبد الله", "דנה לוי", "👩‍💻 " * 20, "x" * 300])
def test_calendar_of_any_name_stays_inside(name: str) -> None:
    data = known_history()
    picture = calendar.render(CalendarData(name, "#general", data.today, (), 0, 0))
    assert_inside(picture)


async def test_the_cache_draws_a_board_once_until_it_changes() -> None:
    drawn: list[CardData] = []

    def render(data: CardData) -> object:
        drawn.append(data)
        return card.render(data)

    cache: PictureCache[CardData] = PictureCache(render, size=2)  # type: ignore[arg-type]
    first = await cache.get(CardData(board(10), WEEKS, "u1"))
    again = await cache.get(CardData(board(10), WEEKS, "u1"))  # equal data, a new object
    assert again.png is first.png and len(drawn) == 1
    changed = await cache.get(CardData(board(11), WEEKS, "u1"))
    assert changed.png != first.png and len(drawn) == 2
    await cache.get(CardData(board(3), WEEKS, "u1"))
    assert len(cache) == 2  # the oldest went


async def test_history_and_gathered_data_from_the_store(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    try:
        await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC", days="daily")
        answered = {0: {"ann", "bob"}, 1: {"ann"}, 2: set(), 3: {"bob"}}
        for day in range(5):
            posted = await world.engine.post_now(CHANNEL)
            assert posted.round is not None
            for user in answered.get(day, {"ann"}):
                await world.answer(posted.round, user)
            if day < 4:
                await world.engine.reveal_now(CHANNEL)
                world.clock.set(world.clock.now() + timedelta(days=1))
        subscription = await world.store.subscription(CHANNEL)
        assert subscription is not None
        rounds = await world.store.rounds_of(subscription.id, "ann", date(2026, 1, 1))
        assert [(r.revealed, r.answered) for r in rounds] == [
            (True, True), (True, True), (True, False), (True, False), (False, True),
        ]  # fmt: skip
        data = await gather.calendar_data(world.engine, CHANNEL, "ann")
        assert data.today == date(2026, 12, 5) and data.name == "Ann"
        assert [r.mark for r in data.rounds] == [
            Mark.ANSWERED, Mark.ANSWERED, Mark.MISSED, Mark.MISSED, Mark.ANSWERED,
        ]  # fmt: skip
        assert (data.current_streak, data.best_streak) == (0, 2)

        card_data = await gather.card_data(world.engine, CHANNEL, caller_id="bob")
        assert len(card_data.weeks) == gather.CHART_WEEKS
        assert card_data.weeks[-1].week_start == date(2026, 11, 30)
        assert (card_data.weeks[-1].rounds, card_data.weeks[-1].answers) == (5, 5)
        assert card_data.weeks[-1].people == 2
        assert all(w.answers == 0 for w in card_data.weeks[:-1])
        assert {e.user_id for e in card_data.board.entries} == {"ann", "bob"}
        assert_inside(card.render(card_data))
    finally:
        await world.close()


def test_the_command_line_writes_both_pictures(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    practicebot(
        "console", "--clock", "manual", "--start", "2026-12-01T08:00",
        "--timezone", "Europe/Berlin", "--user", "Alice", db=db, stdin=FIVE_DAYS,
    )  # fmt: skip
    key = "console:local:general"
    out = tmp_path / "board.png"
    result = practicebot(
        "leaderboard", "--channel", key, "--user", "bob", "--image", str(out), db=db
    )
    assert "Leaderboard by current streak" in result.stdout and f"Image: {out}" in result.stdout
    assert decoded(out.read_bytes()).size[0] == card.WIDTH
    streak = tmp_path / "alice.png"
    result = practicebot(
        "streak", "--channel", key, "--user", "alice", "--image", str(streak), db=db
    )
    assert "Alice's current streak" in result.stdout and f"Image: {streak}" in result.stdout
    assert decoded(streak.read_bytes()).format == "PNG"
    # Without --image: the text only. A folder as --image: one line naming it, exit 1.
    assert "Image:" not in practicebot("streak", "--channel", key, "--user", "bob", db=db).stdout
    failed = practicebot(
        "streak", "--channel", key, "--user", "bob", "--image", str(tmp_path), db=db, check=False
    )
    assert failed.returncode == 1 and "is a folder" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1


def test_the_console_writes_the_pictures_beside_the_database(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    session = practicebot(
        "console", "--clock", "manual", "--start", "2026-12-01T10:00", "--user", "Alice",
        db=db, stdin="an answer\n/advance 1d\n/leaderboard\n/streak\n/quit\n",
    )  # fmt: skip
    folder = tmp_path / "bot-pictures"
    assert f"Image: {folder / 'leaderboard.png'}" in session.stdout
    assert f"Image: {folder / 'streak-alice.png'}" in session.stdout
    assert decoded((folder / "streak-alice.png").read_bytes()).format == "PNG"


def test_the_command_line_only_reads(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    result = practicebot(
        "streak", "--channel", "console:local:general", "--user", "x", db=missing, check=False
    )
    assert result.returncode != 0 and not missing.exists()
    assert isinstance(result, subprocess.CompletedProcess)
