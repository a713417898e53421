"""What people type to subscribe a channel, as words: `HH:MM [timezone] [days] [packs=…]
[reveal=…]`. Pure parsing, shared by the adapters that take free text (Slack, the console)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from bot.core.errors import InputError
from bot.core.schedule import parse_days

OPTIONS = {"packs": "packs", "pack": "packs", "reveal": "reveal_after"}


@dataclass(frozen=True)
class SubscribeArgs:
    post_time: str
    timezone: str | None = None
    days: str | None = None
    packs: str | None = None
    reveal_after: str | None = None


def parse_subscribe(words: list[str]) -> SubscribeArgs:
    """Days and timezone in either order. A word is a timezone when it names one (or has a
    '/', like 'Europe/Berln', so a typo gets its suggestion); any other word must be days:
    'montag' or 'mon-fri extra' is an error, never a schedule."""
    if not words:
        raise InputError("Give the time to post, like 09:30.")
    post_time, rest = words[0], words[1:]
    found: dict[str, str] = {}
    for word in rest:
        key, equals, value = word.partition("=")
        if equals:
            field = OPTIONS.get(key.lower())
            if field is None or not value:
                raise InputError(f"Unknown option '{word}': use packs=ml,llm or reveal=8h.")
        elif _is_timezone(word):
            field, value = "timezone", word
        else:
            parse_days(word)  # raises a clear message for an unknown word
            field, value = "days", word
        if field in found:
            raise InputError(f"'{word}' repeats the {field.replace('_', ' ')}.")
        found[field] = value
    return SubscribeArgs(post_time, **found)


def _is_timezone(word: str) -> bool:
    return "/" in word or word.lower() in _zones_lower()


@cache
def _zones_lower() -> frozenset[str]:
    return frozenset(zone.lower() for zone in available_timezones())
