"""`practicebot run` picks the platforms whose credentials are set."""

from __future__ import annotations

import importlib

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


def test_each_platform_declares_its_own_settings_and_they_cost_no_imports() -> None:
    """A platform's variables come from its package (`variables`), listed by the registry:
    the settings table, `practicebot config` and .env.example see them; reading them loads
    neither slack-bolt nor discord.py."""
    import subprocess
    import sys

    from bot.adapters import registry
    from bot.ops import settings

    for platform in registry.PLATFORMS:
        declared = importlib.import_module(f"{platform.module}.variables").VARIABLES
        assert platform.switch in {v.name for v in declared}, platform.name
        assert set(declared) <= set(settings.VARIABLES)
    probe = (
        "import sys; import bot.ops.settings as s; s.validate({}); "
        "print('slack_bolt' in sys.modules, 'discord' in sys.modules)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.split() == ["False", "False"]
