"""The Slack adapter, on slack-bolt: daily questions, thread answers, reveals and slash commands.

Importing this package does not import slack-bolt (`SlackAdapter` is loaded on first use), so
reading the platform's settings (`variables`) costs nothing when Slack is not configured.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bot.adapters.slack.config import SlackConfig

if TYPE_CHECKING:
    from bot.adapters.base import PlatformAdapter
    from bot.adapters.slack.adapter import SlackAdapter
    from bot.core.engine import Engine

__all__ = ["SlackAdapter", "SlackConfig", "adapter_from_env"]


def adapter_from_env(env: Mapping[str, str]) -> Callable[[Engine], PlatformAdapter] | None:
    """A factory for the Slack adapter; None without SLACK_BOT_TOKEN (one workspace) or
    SLACK_OAUTH=on (many workspaces).

    Raises PracticeError, naming what is missing, when the bot token is there but neither
    SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is, when SLACK_OAUTH=on
    lacks one of its variables, or when the two modes' variables are mixed.
    """
    config = SlackConfig.from_env(env)
    if config is None:
        return None

    def build(engine: Engine) -> PlatformAdapter:
        from bot.adapters.slack.adapter import SlackAdapter

        return SlackAdapter(engine, config)

    return build


def __getattr__(name: str) -> Any:
    if name == "SlackAdapter":  # the adapter, with slack-bolt, only when someone asks for it
        from bot.adapters.slack.adapter import SlackAdapter

        return SlackAdapter
    raise AttributeError(name)
