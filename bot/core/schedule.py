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


_DAY_NAMES = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{name: i for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )},
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
}  # fmt: skip
DAYS_HELP = (
    "Days look like 'mon-fri', 'mon,wed,fri', 'sat-sun', 'weekdays', 'weekends' or 'daily' "
    "(day names: mon tue wed thu fri sat sun, or in full)."
)


def parse_days(text: str) -> frozenset[int]:
    """'mon-fri', 'mon,wed,fri', 'weekdays', 'daily', 'sat-sun' ... Any other word is an error."""
    spec = re.sub(r"\s*-\s*", "-", text.strip().lower()).replace("every day", "everyday")
    parts = [part for part in re.split(r"[,\s]+", spec) if part]
    if not parts:
        raise InputError(f"Pick at least one day. {DAYS_HELP}")
    days: set[int] = set()
    for part in parts:
        if part in _DAY_ALIASES:
            days.update(_DAY_ALIASES[part])
            continue
        first, dash, last = part.partition("-")
        if first not in _DAY_NAMES or (dash and last not in _DAY_NAMES):
            where = "" if part == text.strip().lower() else f" in '{text.strip()}'"
            raise InputError(f"Unknown day '{part}'{where}. {DAYS_HELP}")
        start = _DAY_NAMES[first]
        end = _DAY_NAMES[last] if dash else start
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
        days.update(span)
    return frozenset(days)


def posts_on(schedule: Schedule, day: date) -> bool:
    """Whether the schedule posts on this local date (a round by hand on another day still
    counts for streaks)."""
    return day.weekday() in schedule.days


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
    try:
        return sum((int(n) * unit[u] for n, u in parts), timedelta())
    except OverflowError:
        raise InputError(f"'{text}' is far too long a duration.") from None


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
    if not posts_on(schedule, today):
        return None
    start = post_moment(schedule, today)
    return today if start <= now <= start + grace else None


def day_is_free(
    day: date, timezone: str, last_round_date: date | None, last_posted: datetime | None
) -> bool:
    """One round per channel per local day, under every change of schedule.

    A channel's local `day` (in its timezone now) may get a round only when it is later than
    the date of the channel's latest round and later than the local date, in that same
    timezone, of the moment the latest round went out. After a move west the last round may
    be dated a day the new timezone has not reached yet; after a move east it may have gone
    out early on what is now the new timezone's today. Either way that day is taken.
    """
    if last_round_date is not None and day <= last_round_date:
        return False
    return last_posted is None or day > last_posted.astimezone(ZoneInfo(timezone)).date()
