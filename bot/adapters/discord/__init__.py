"""The Discord adapter (discord.py): daily rounds with threads, slash commands, buttons.

Importing this package does not import discord.py, so the bot runs without it when no
DISCORD_TOKEN is set.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from bot.adapters.discord.config import DiscordConfig
from bot.core.errors import InputError

if TYPE_CHECKING:
    from bot.adapters.base import PlatformAdapter
    from bot.core.engine import Engine


def adapter_from_env(env: Mapping[str, str]) -> Callable[[Engine], PlatformAdapter] | None:
    """A factory for the Discord adapter when DISCORD_TOKEN is set, else None."""
    if not env.get("DISCORD_TOKEN", "").strip():
        return None
    config = DiscordConfig.from_env(env)
    if importlib.util.find_spec("discord") is None:
        raise InputError(
            "DISCORD_TOKEN is set but discord.py is not installed: "
            "pip install 'practicebot[discord]'."
        )

    def build(engine: Engine) -> PlatformAdapter:
        from bot.adapters.discord.adapter import DiscordAdapter

        return DiscordAdapter(engine, config)

    return build


__all__ = ["DiscordConfig", "adapter_from_env"]
