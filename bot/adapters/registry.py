"""Which platform adapters the environment has credentials for."""

from __future__ import annotations

from collections.abc import Mapping

from bot.runtime import AdapterFactory


def configured_platforms(env: Mapping[str, str]) -> list[tuple[str, AdapterFactory]]:
    """(name, factory) for each platform whose credentials are set; empty means console."""
    found: list[tuple[str, AdapterFactory]] = []
    return found
