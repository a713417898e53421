"""Autocomplete for the slash commands: pack names, within the choices Discord shows."""

from __future__ import annotations

from discord import app_commands

from bot.core.engine import Engine

Choices = list[app_commands.Choice[str]]
AUTOCOMPLETE_LIMIT = 25  # choices Discord shows


def pack_choices(engine: Engine, current: str) -> Choices:
    """Pack names for a comma-separated list: the text before the last comma is kept."""
    done, _, typing = current.rpartition(",")
    prefix = f"{done}," if done else ""
    chosen = {p.strip() for p in done.split(",")}
    names = [
        name
        for name in engine.pack_names
        if name not in chosen and typing.strip().lower() in name.lower()
    ]
    return [app_commands.Choice(name=prefix + n, value=prefix + n) for n in names][
        :AUTOCOMPLETE_LIMIT
    ]
