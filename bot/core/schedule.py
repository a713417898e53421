"""Pure rules about time: parsing what users type, and when a channel's round is due."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.core.errors import InputError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DEFAULT_DAYS = frozenset(range(5))
DEFAULT_REVEAL_AFTER = timedelta(hours=8)
MIN_REVEAL_AFTER = timedelta(minutes=5)
MAX_REVEAL_AFTER = timedelta(days=7)

_DAY_ALIASES = {
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "daily": frozenset(range(7)),
    "everyday": frozenset(range(7)),
    "all": frozenset(range(7)),
}


@dataclass(frozen=True)
class Schedule:
    """When a channel gets its question and when the answer is revealed."""

    post_time: time
    timezone: str
    days: frozenset[int]  # 0 = Monday
    reveal_after: timedelta

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        return (
            f"{self.post_time:%H:%M} {self.timezone}, {format_days(self.days)}, "
            f"reveal after {format_duration(self.reveal_after)}"
        )


def parse_post_time(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InputError(f"Time must be HH:MM on a 24-hour clock, like 09:30 (got '{text}').")


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def parse_timezone(text: str) -> str:
    name = text.strip()
    if name in _zone_names():
        return name
    by_lower = {zone.lower(): zone for zone in _zone_names()}
    guess = by_lower.get(name.lower())
    if guess is None:
        close = difflib.get_close_matches(name, _zone_names(), n=1, cutoff=0.6)
        guess = close[0] if close else None
    hint = f" — did you mean '{guess}'?" if guess else " — use an IANA name like 'Europe/Berlin'."
    raise InputError(f"Unknown timezone '{name}'{hint}")


def search_timezones(prefix: str, limit: int = 25) -> list[str]:
    """Timezone names containing the text, best first: for autocomplete."""
    needle = prefix.strip().lower()
    starts = [z for z in _zone_names() if z.lower().startswith(needle)]
    contains = [z for z in _zone_names() if needle in z.lower() and z not in starts]
    return (starts + contains)[:limit]


def parse_days(text: str) -> frozenset[int]:
    """'mon-fri', 'mon,wed,fri', 'weekdays', 'daily', 'sat-sun' ..."""
    spec = text.strip().lower().replace(" ", "")
    if spec in _DAY_ALIASES:
        return _DAY_ALIASES[spec]
    days: set[int] = set()
    for part in filter(None, spec.split(",")):
        first, _, last = part.partition("-")
        try:
            start = WEEKDAYS.index(first[:3])
            end = WEEKDAYS.index(last[:3]) if last else start
        except ValueError:
            raise InputError(
                f"Days must look like 'mon-fri', 'mon,wed,fri', 'weekdays' or 'daily' (got '{text}')."
            ) from None
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
        days.update(span)
    if not days:
        raise InputError("Pick at least one day, e.g. 'mon-fri'.")
    return frozenset(days)


def format_days(days: frozenset[int]) -> str:
    if days == frozenset(range(7)):
        return "every day"
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{WEEKDAY_NAMES[ordered[0]]}–{WEEKDAY_NAMES[ordered[-1]]}"
    return ", ".join(WEEKDAY_NAMES[d] for d in ordered)


def days_to_cron(days: frozenset[int]) -> str:
    return ",".join(WEEKDAYS[d] for d in sorted(days))


def days_from_cron(text: str) -> frozenset[int]:
    return frozenset(WEEKDAYS.index(d) for d in text.split(","))


_DURATION_PART = re.compile(r"(\d+)\s*([dhm])")


def parse_duration(text: str) -> timedelta:
    """'8h', '30m', '1d', '1h30m'."""
    spec = text.strip().lower().replace(" ", "")
    parts = _DURATION_PART.findall(spec)
    if not parts or "".join(n + u for n, u in parts) != spec:
        raise InputError(f"Durations look like '8h', '90m', '1d' or '1h30m' (got '{text}').")
    unit = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}
    return sum((int(n) * unit[u] for n, u in parts), timedelta())


def parse_reveal_after(text: str) -> timedelta:
    delay = parse_duration(text)
    if not MIN_REVEAL_AFTER <= delay <= MAX_REVEAL_AFTER:
        raise InputError(f"Reveal after must be between 5m and 7d (got '{text}').")
    return delay


def format_duration(delay: timedelta) -> str:
    minutes = int(delay.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    return "".join(parts) or "0m"


def local_date(schedule: Schedule, moment: datetime) -> date:
    return moment.astimezone(schedule.zone).date()


def post_moment(schedule: Schedule, day: date) -> datetime:
    """The instant of the post on a local date (a time skipped by DST moves forward)."""
    naive = datetime.combine(day, schedule.post_time)
    aware = naive.replace(tzinfo=schedule.zone)
    # Round-trip through UTC normalises a wall time that does not exist that day.
    return aware.astimezone(ZoneInfo("UTC"))


def due_post_date(schedule: Schedule, now: datetime, grace: timedelta) -> date | None:
    """The local date whose round should be posted at `now`, or None.

    A round is due from its post time until `grace` later. Later than that the day is
    skipped, and a past day's round is never posted.
    """
    today = local_date(schedule, now)
    if today.weekday() not in schedule.days:
        return None
    start = post_moment(schedule, today)
    return today if start <= now <= start + grace else None
