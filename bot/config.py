"""Settings that come from the environment (and command-line flags)."""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from zoneinfo import available_timezones

from bot.core.schedule import parse_duration

DEFAULT_GRACE = timedelta(hours=2)


def system_timezone() -> str:
    """The machine's IANA timezone name, or UTC when it cannot be told."""
    candidates = [os.environ.get("PRACTICEBOT_TZ", ""), os.environ.get("TZ", "").lstrip(":")]
    with suppress(OSError):
        candidates.append(os.readlink("/etc/localtime").split("zoneinfo/", 1)[-1])
    with suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    known = available_timezones()
    return next((c for c in candidates if c in known), "UTC")


def catch_up_grace() -> timedelta:
    """PRACTICEBOT_CATCH_UP_GRACE, e.g. '2h': how late a missed daily post may still go out."""
    value = os.environ.get("PRACTICEBOT_CATCH_UP_GRACE")
    return parse_duration(value) if value else DEFAULT_GRACE
