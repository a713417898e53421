"""The Slack adapter, on slack-bolt: daily questions, thread answers, reveals and slash commands."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.adapters.base import PlatformAdapter
from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.config import SlackConfig
from bot.core.engine import Engine

__all__ = ["SlackAdapter", "SlackConfig", "adapter_from_env"]


def adapter_from_env(env: Mapping[str, str]) -> Callable[[Engine], PlatformAdapter] | None:
    """A factory for the Slack adapter; None without SLACK_BOT_TOKEN.

    Raises PracticeError, naming what is missing, when the bot token is there but neither
    SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is.
    """
    config = SlackConfig.from_env(env)
    if config is None:
        return None

    def build(engine: Engine) -> PlatformAdapter:
        return SlackAdapter(engine, config)

    return build
