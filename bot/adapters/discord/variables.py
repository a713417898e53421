"""The Discord adapter's settings (read by `bot.ops.settings`; discord.py is not imported here)."""

from __future__ import annotations

from collections.abc import Mapping

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
)  # fmt: skip


def cross_check(values: Mapping[str, str]) -> list[str]:
    return []
