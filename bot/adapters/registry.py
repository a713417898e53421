"""Which platform adapters the environment has credentials for.

Each platform is one entry in `PLATFORMS`: its name, the variable whose presence turns it on,
and the module whose `adapter_from_env(env)` builds it. The module is imported only when its
platform is configured, so a console-only run never loads slack-bolt or discord.py.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.ops.variables import Variable

if TYPE_CHECKING:
    from bot.adapters.base import PlatformAdapter
    from bot.core.engine import Engine

AdapterFactory = Callable[["Engine"], "PlatformAdapter"]


@dataclass(frozen=True)
class Platform:
    name: str  # ChannelRef.platform
    switch: str  # the variable whose presence turns it on
    module: str  # has adapter_from_env(env) -> AdapterFactory | None; `.variables` declares
    # VARIABLES and cross_check(values) without importing the platform's library
    also: tuple[str, ...] = ()  # other variables that turn it on (unless set to "off")

    def switched_on(self, env: Mapping[str, str]) -> bool:
        return bool(env.get(self.switch)) or any(
            env.get(name, "").strip().lower() not in ("", "off") for name in self.also
        )


# Adding a platform: its package, and one line here.
PLATFORMS: tuple[Platform, ...] = (
    Platform("slack", "SLACK_BOT_TOKEN", "bot.adapters.slack", also=("SLACK_OAUTH",)),
    Platform("discord", "DISCORD_TOKEN", "bot.adapters.discord"),
)


def _variables_module(platform: Platform) -> Any:
    return importlib.import_module(f"{platform.module}.variables")


def platform_variables() -> tuple[Variable, ...]:
    """Every platform's declared settings, in registry order."""
    return tuple(v for p in PLATFORMS for v in _variables_module(p).VARIABLES)


def platform_checks() -> list[Callable[[Mapping[str, str]], list[str]]]:
    """Each platform's check across its own variables."""
    return [_variables_module(p).cross_check for p in PLATFORMS]


def configured_platforms_names(env: Mapping[str, str]) -> list[str]:
    return [p.name for p in PLATFORMS if p.switched_on(env)]


def configured_platforms(env: Mapping[str, str]) -> list[tuple[str, AdapterFactory]]:
    """(name, factory) for each platform whose credentials are set; empty means console."""
    found: list[tuple[str, AdapterFactory]] = []
    for platform in PLATFORMS:
        if not platform.switched_on(env):
            continue
        build: Callable[[Mapping[str, str]], AdapterFactory | None]
        build = importlib.import_module(platform.module).adapter_from_env
        factory = build(env)
        if factory is not None:
            found.append((platform.name, factory))
    return found
