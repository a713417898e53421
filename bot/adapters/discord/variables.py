"""The Discord adapter's settings (read by `bot.ops.settings`; discord.py is not imported here)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.adapters.discord.config import api_url, shard_count, shard_ids, shards_together
from bot.errors import InputError
from bot.ops.variables import Variable, one_of


def _digits(value: str) -> None:
    if not value.isdigit():
        raise InputError("must be the numeric application id")


VARIABLES: tuple[Variable, ...] = (
    Variable("DISCORD_TOKEN", "Discord bot token: turns the Discord adapter on", secret=True),
    Variable("DISCORD_APPLICATION_ID", "Discord application id (default: read from the token)", check=_digits),
    Variable("DISCORD_MESSAGE_CONTENT", "on: count thread messages (needs the Message Content intent); off: Answer button only",
             "on", check=one_of("on", "off", "true", "false", "yes", "no", "1", "0")),
    Variable("DISCORD_API_URL", "replaces the Discord REST base URL (a proxy; tests); the gateway URL comes from its GET /gateway/bot",
             check=lambda v: _bare(api_url(v))),
    Variable("DISCORD_SHARD_COUNT", "shards in all: one sharded connection per shard (set it past ~2,500 servers)",
             check=lambda v: _bare(shard_count(v))),
    Variable("DISCORD_SHARD_IDS", "the shards this process runs, e.g. 0,1 or 2-3 (default: all of DISCORD_SHARD_COUNT)",
             check=lambda v: _bare(shard_ids(v))),
)  # fmt: skip


def _bare(_: object) -> None:
    """A parser as a check: it raises on a bad value, and what it returns is not needed."""


def cross_check(values: Mapping[str, str]) -> list[str]:
    try:
        count = shard_count(values.get("DISCORD_SHARD_COUNT", ""))
        ids = shard_ids(values.get("DISCORD_SHARD_IDS", ""))
    except InputError:
        return []  # each variable's own check says what is wrong with it
    problem = shards_together(count, ids)
    return [problem] if problem else []
