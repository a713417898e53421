"""`practicebot run` picks the platforms whose credentials are set."""

from __future__ import annotations

import pytest

from bot.adapters.registry import configured_platforms
from bot.core.errors import PracticeError


def test_no_credentials_means_the_console() -> None:
    assert configured_platforms({}) == []


def test_each_platform_is_picked_by_its_credentials() -> None:
    slack = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
    discord = {"DISCORD_TOKEN": "MTIz.abc.def"}
    assert [name for name, _ in configured_platforms(slack)] == ["slack"]
    assert [name for name, _ in configured_platforms(discord)] == ["discord"]
    assert [name for name, _ in configured_platforms({**slack, **discord})] == ["slack", "discord"]


def test_a_slack_token_without_a_connection_mode_is_refused() -> None:
    with pytest.raises(PracticeError, match="SLACK_APP_TOKEN"):
        configured_platforms({"SLACK_BOT_TOKEN": "xoxb-1"})
