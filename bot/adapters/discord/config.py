"""The Discord adapter's settings, read from the environment. No discord.py import here."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from bot.core.errors import InputError

TOKEN_REJECTED = (
    "Discord rejected DISCORD_TOKEN: copy the bot token again from the developer portal "
    "(your application → Bot → Reset Token)."
)
T = TypeVar("T")
_ON = {"1", "true", "yes", "on"}
_OFF = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class DiscordConfig:
    token: str = field(repr=False)  # never logged
    application_id: int | None = None  # DISCORD_APPLICATION_ID; else read from the token
    # Read answers from thread messages (the privileged Message Content intent). Off: answers
    # come only through the "Answer" button and its modal.
    message_content: bool = True
    api_url: str | None = None  # DISCORD_API_URL: replaces https://discord.com/api/v10
    shard_count: int | None = None  # DISCORD_SHARD_COUNT: None, one unsharded connection
    shard_ids: tuple[int, ...] | None = None  # DISCORD_SHARD_IDS: None, every shard

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DiscordConfig:
        token = env.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise InputError(
                "DISCORD_TOKEN is not set: copy the bot token from the developer portal."
            )
        count = _named("DISCORD_SHARD_COUNT", shard_count, env)
        ids = _named("DISCORD_SHARD_IDS", shard_ids, env)
        problem = shards_together(count, ids)
        if problem is not None:
            raise InputError(problem)
        return cls(
            token=token,
            application_id=_application_id(env.get("DISCORD_APPLICATION_ID", "")),
            message_content=_switch("DISCORD_MESSAGE_CONTENT", env.get("DISCORD_MESSAGE_CONTENT")),
            api_url=_named("DISCORD_API_URL", api_url, env),
            shard_count=count,
            shard_ids=ids,
        )

    @property
    def served_shards(self) -> tuple[int, ...]:
        """The shards this process connects (all of them when DISCORD_SHARD_IDS is unset)."""
        if self.shard_count is None:
            return ()
        return self.shard_ids if self.shard_ids is not None else tuple(range(self.shard_count))


MOST_SHARDS = 100_000
_IDS = re.compile(r"\d+(-\d+)?")


def api_url(text: str) -> str | None:
    """DISCORD_API_URL without its trailing slash; None when unset."""
    value = text.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"must be an http(s) URL such as http://127.0.0.1:8080/api/v10 (got '{value}')"
        )
    return value.rstrip("/")


def shard_count(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MOST_SHARDS:
        raise InputError(f"must be a whole number from 1 to {MOST_SHARDS} (got '{value}')")
    return int(value)


def shard_ids(text: str) -> tuple[int, ...] | None:
    """DISCORD_SHARD_IDS as given ('0,1', '2-3', '0,4-5'), without the range check."""
    value = text.strip()
    if not value:
        return None
    ids: set[int] = set()
    for part in (p.strip() for p in value.split(",")):
        low, _, high = part.partition("-")
        if not _IDS.fullmatch(part) or int(high or low) < int(low):
            raise InputError(f"must be shard numbers and ranges like 0,1 or 2-3 (got '{value}')")
        ids.update(range(int(low), min(int(high or low), MOST_SHARDS) + 1))
    return tuple(sorted(ids))


def shards_together(count: int | None, ids: tuple[int, ...] | None) -> str | None:
    """What is wrong with DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS together, if anything."""
    if ids is not None and count is None:
        return (
            "DISCORD_SHARD_IDS: set without DISCORD_SHARD_COUNT; set the number of shards in "
            "all (the same in every process)."
        )
    if ids is not None and count is not None and ids[-1] >= count:
        return (
            f"DISCORD_SHARD_IDS: must be within 0-{count - 1}, as DISCORD_SHARD_COUNT is "
            f"{count} (got {ids[-1]})."
        )
    return None


def _named(name: str, parse: Callable[[str], T], env: Mapping[str, str]) -> T:
    try:
        return parse(env.get(name, ""))
    except InputError as error:
        raise InputError(f"{name}: {error}.") from None


def application_id(text: str) -> int | None:
    """DISCORD_APPLICATION_ID as a number; None when unset."""
    return _application_id(text)


def _application_id(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit():
        raise InputError(f"DISCORD_APPLICATION_ID must be a number (got '{value}').")
    return int(value)


def _switch(name: str, value: str | None, default: bool = True) -> bool:
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in _ON:
        return True
    if word in _OFF:
        return False
    raise InputError(f"{name} must be on or off (got '{value}').")
