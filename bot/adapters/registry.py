"""Which platform adapters the environment has credentials for."""

from __future__ import annotations

from collections.abc import Mapping

from bot.runtime import AdapterFactory

# The variable whose presence turns each platform on.
PLATFORM_SWITCHES = {"slack": "SLACK_BOT_TOKEN", "discord": "DISCORD_TOKEN"}


def configured_platforms_names(env: Mapping[str, str]) -> list[str]:
    return [name for name, variable in PLATFORM_SWITCHES.items() if env.get(variable)]


def configured_platforms(env: Mapping[str, str]) -> list[tuple[str, AdapterFactory]]:
    """(name, factory) for each platform whose credentials are set; empty means console.

    Each adapter is imported only when its platform is configured, so a console-only run
    never loads slack-bolt or discord.py.
    """
    found: list[tuple[str, AdapterFactory]] = []
    if env.get(PLATFORM_SWITCHES["slack"]):
        from bot.adapters.slack import adapter_from_env as slack_from_env

        slack = slack_from_env(env)
        if slack is not None:
            found.append(("slack", slack))
    if env.get(PLATFORM_SWITCHES["discord"]):
        from bot.adapters.discord import adapter_from_env as discord_from_env

        discord = discord_from_env(env)
        if discord is not None:
            found.append(("discord", discord))
    return found
