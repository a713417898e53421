"""Pure timing rules: parsing what users type, due dates, catch-up, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import InputError
from bot.core.models import ChannelRef, Subscription
from bot.core.schedule import (
    Schedule,
    due_post_date,
    format_days,
    parse_days,
    parse_duration,
    parse_post_time,
    parse_reveal_after,
    parse_timezone,
    search_timezones,
)
from bot.scheduler.triggers import post_trigger


def test_post_time_accepts_24_hour_times() -> None:
    assert parse_post_time("09:30") == time(9, 30)
    assert parse_post_time("0:05") == time(0, 5)
    assert parse_post_time("23:59") == time(23, 59)


@pytest.mark.parametrize("bad", ["24:00", "9.30", "930", "09:60", "", "noon"])
def test_post_time_rejects_everything_else(bad: str) -> None:
    with pytest.raises(InputError, match="HH:MM"):
        parse_post_time(bad)


def test_unknown_timezone_suggests_the_closest_name() -> None:
    with pytest.raises(InputError) as error:
        parse_timezone("Europe/Berln")
    assert str(error.value) == "Unknown timezone 'Europe/Berln' — did you mean 'Europe/Berlin'?"


def test_timezone_in_the_wrong_case_suggests_the_right_one() -> None:
    with pytest.raises(InputError, match="did you mean 'America/New_York'"):
        parse_timezone("america/new_york")


def test_hopeless_timezone_gets_an_example() -> None:
    with pytest.raises(InputError, match="IANA name like 'Europe/Berlin'"):
        parse_timezone("xyzzy")


def test_valid_timezone_is_kept() -> None:
    assert parse_timezone("Asia/Kolkata") == "Asia/Kolkata"
    assert search_timezones("europe/ber")[0] == "Europe/Berlin"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("weekdays", {0, 1, 2, 3, 4}),
        ("mon,wed,fri", {0, 2, 4}),
        ("sat-sun", {5, 6}),
        ("fri-mon", {4, 5, 6, 0}),
        ("daily", set(range(7))),
        ("Tuesday", {1}),
    ],
)
def test_days(text: str, days: set[int]) -> None:
    assert parse_days(text) == frozenset(days)


def test_bad_days() -> None:
    with pytest.raises(InputError, match="mon-fri"):
        parse_days("someday")
    assert format_days(frozenset(range(5))) == "Mon–Fri"
    assert format_days(frozenset({0, 2})) == "Mon, Wed"


def test_durations_and_reveal_bounds() -> None:
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_reveal_after("5m") == timedelta(minutes=5)
    assert parse_reveal_after("7d") == timedelta(days=7)
    for bad in ("4m", "8d", "soon", "1x"):
        with pytest.raises(InputError):
            parse_reveal_after(bad)


BERLIN_9 = Schedule(time(9, 0), "Europe/Berlin", frozenset(range(5)), timedelta(hours=8))
GRACE = timedelta(hours=2)


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=ZoneInfo("Europe/Berlin"))


def test_due_within_the_grace_window_only() -> None:
    assert due_post_date(BERLIN_9, berlin(1, 8, 59), GRACE) is None
    assert due_post_date(BERLIN_9, berlin(1, 9), GRACE) == date(2026, 12, 1)
    assert due_post_date(BERLIN_9, berlin(1, 11), GRACE) == date(2026, 12, 1)
    assert due_post_date(BERLIN_9, berlin(1, 11, 1), GRACE) is None  # later: skip the day


def test_nothing_due_on_a_day_off() -> None:
    assert due_post_date(BERLIN_9, berlin(5, 9, 30), GRACE) is None  # Saturday


def _subscription(zone: str) -> Subscription:
    schedule = Schedule(time(9, 0), zone, frozenset(range(7)), timedelta(hours=8))
    return Subscription(1, ChannelRef("t", "s", "c"), schedule, None, True, None, None)


@pytest.mark.parametrize(
    ("zone", "before_change", "after_change"),
    [
        ("Europe/Berlin", datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 10, 23, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 3, 6, tzinfo=UTC), datetime(2026, 10, 30, tzinfo=UTC)),
    ],
)
def test_post_stays_at_nine_local_across_dst(
    zone: str, before_change: datetime, after_change: datetime
) -> None:
    trigger = post_trigger(_subscription(zone))
    for start in (before_change, after_change):
        fire, offsets = None, set()
        now = start
        for _ in range(6):  # six days spanning the clock change
            fire = trigger.get_next_fire_time(fire, now)
            local = fire.astimezone(ZoneInfo(zone))
            assert (local.hour, local.minute) == (9, 0)
            offsets.add(local.utcoffset())
            now = fire + timedelta(seconds=1)
        assert len(offsets) == 2, "the six days should span the DST change"


@pytest.mark.parametrize(
    ("text", "word"),
    [("mon-", "mon-"), ("montag", "montag"), ("mon-fri extra", "extra"), ("fri-someday", "fri-someday"),
     ("mo", "mo"), (",", None), ("", None)],
)  # fmt: skip
def test_day_lists_reject_every_unknown_word(text: str, word: str | None) -> None:
    with pytest.raises(InputError) as error:
        parse_days(text)
    message = str(error.value)
    if word is not None:
        assert message.startswith(f"Unknown day '{word}'")
    assert "'mon-fri', 'mon,wed,fri', 'sat-sun', 'weekdays', 'weekends' or 'daily'" in message


@pytest.mark.parametrize(
    ("text", "days"),
    [("mon, wed, fri", {0, 2, 4}), ("mon - wed", {0, 1, 2}), ("every day", set(range(7))),
     ("Thurs,sat", {3, 5}), ("weekends mon", {5, 6, 0})],
)  # fmt: skip
def test_day_lists_take_spaces_and_full_names(text: str, days: set[int]) -> None:
    assert parse_days(text) == frozenset(days)


@pytest.mark.parametrize("text", ["99999999999d", "9" * 30 + "m"])
def test_a_huge_duration_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="far too long"):
        parse_duration(text)
