"""Bolt listeners: thin functions that acknowledge Slack first, then call the engine."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.listeners import (
    actions,
    commands,
    events,
    home,
    practice,
    suggestions,
    views,
)
from bot.adapters.slack.listeners.deps import Deps

__all__ = ["Deps", "register"]


def register(app: AsyncApp, deps: Deps) -> None:
    events.register(app, deps)
    commands.register(app, deps)
    practice.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
    suggestions.register(app, deps)
    home.register(app, deps)
