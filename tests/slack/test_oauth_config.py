"""Choosing many workspaces is explicit (SLACK_OAUTH=on) and checked; slack-bolt's own habit of
turning its OAuth flow on when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are in the environment
never switches a single-workspace bot over silently; tokens from the database are never logged."""

from __future__ import annotations

import io
import logging
import re

import pytest

from bot.adapters.registry import configured_platforms
from bot.adapters.slack import SlackAdapter, SlackConfig
from bot.adapters.slack.variables import BOTH_MODES, OAUTH_NOT_SOCKET, cross_check
from bot.core.errors import PracticeError
from bot.ops import logs
from bot.ops.settings import validate
from tests.helpers import World
from tests.test_ops import cli, cli_env

BOT = "xoxb-1-secret-bot"
MANY = {
    "SLACK_OAUTH": "on",
    "SLACK_CLIENT_ID": "1111.2222",
    "SLACK_CLIENT_SECRET": "client-secret-3333",
    "SLACK_SIGNING_SECRET": "signing-4444",
}


def test_slack_oauth_on_with_its_three_variables_is_many_workspaces() -> None:
    config = SlackConfig.from_env({**MANY, "SLACK_REDIRECT_URI": "https://bot.example/slack/oauth_redirect"})
    assert config is not None and config.oauth is not None
    assert config.bot_token is None and config.mode == "http"
    assert config.oauth.client_id == "1111.2222"
    assert config.oauth.redirect_uri == "https://bot.example/slack/oauth_redirect"
    assert "client-secret-3333" not in repr(config) and "signing-4444" not in repr(config)
    assert [name for name, _ in configured_platforms(MANY)] == ["slack"]
    assert validate(MANY) == []
    assert configured_platforms({**MANY, "SLACK_OAUTH": "off", "SLACK_CLIENT_ID": ""}) == []


@pytest.mark.parametrize("missing", ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"])
def test_each_missing_variable_is_named(missing: str) -> None:
    env = {k: v for k, v in MANY.items() if k != missing}
    assert cross_check(env) == [f"{missing}: missing; SLACK_OAUTH=on needs it."]
    with pytest.raises(PracticeError, match=missing):
        SlackConfig.from_env(env)


def test_both_modes_together_get_one_clear_message() -> None:
    env = {**MANY, "SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": "xapp-1-app"}
    assert cross_check(env) == [BOTH_MODES]
    with pytest.raises(PracticeError) as caught:
        SlackConfig.from_env(env)
    assert str(caught.value) == BOTH_MODES and BOT not in str(caught.value)


def test_many_workspaces_are_not_served_over_socket_mode() -> None:
    assert cross_check({**MANY, "SLACK_APP_TOKEN": "xapp-1-app"}) == [OAUTH_NOT_SOCKET]


@pytest.mark.parametrize(
    "extra", [{"SLACK_CLIENT_ID": "1111.2222"}, {"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2"}]
)
def test_client_credentials_beside_a_bot_token_are_refused_not_obeyed(extra: dict[str, str]) -> None:
    env = {"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": "s", **extra}
    [problem] = cross_check(env)
    assert problem.startswith(" and ".join(extra)) and "SLACK_OAUTH=on" in problem
    with pytest.raises(PracticeError, match="SLACK_OAUTH is not on"):
        SlackConfig.from_env(env)
    assert cross_check(extra) == [problem]  # without a bot token too: nothing is guessed


def test_config_and_run_say_so_and_exit_2() -> None:
    shown = cli("config", env=cli_env(**MANY, SLACK_BOT_TOKEN=BOT))
    assert shown.returncode == 2 and BOTH_MODES in shown.stderr
    assert BOT not in shown.stdout + shown.stderr
    fine = cli("config", env=cli_env(**MANY))
    assert fine.returncode == 0, fine.stderr
    assert "client-secret-3333" not in fine.stdout + fine.stderr
    assert re.search(r"SLACK_CLIENT_SECRET\s+set, \d+ characters \(hidden\)", fine.stdout)
    assert re.search(r"SLACK_CLIENT_ID\s+1111\.2222", fine.stdout)  # public: in install URLs


async def test_bolt_reading_client_credentials_from_os_environ_stops_start_up(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our settings never saw them (a .env for another app, a test's own env): Bolt does, and
    would turn its file-based OAuth flow on and drop the bot token. Refused instead."""
    config = SlackConfig.from_env({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": "s"})
    assert config is not None
    assert SlackAdapter(world.engine, config).app.oauth_flow is None  # as it always was
    monkeypatch.setenv("SLACK_CLIENT_ID", "1111.2222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "from-the-environment")
    with pytest.raises(PracticeError, match="SLACK_OAUTH is not on"):
        SlackAdapter(world.engine, config)


def test_slack_tokens_are_blanked_in_logs_whatever_they_are() -> None:
    stream = io.StringIO()
    logs.configure("INFO", "text", [])
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    try:
        logging.getLogger("bot.test").warning(
            "saw xoxb-T2-1-fake, xoxp-9-user and xoxe.xoxb-1-refresh in %s", {"token": "xoxb-77"}
        )
    finally:
        logging.getLogger().removeHandler(handler)
    line = stream.getvalue()
    assert "xox" not in line and line.count(logs.REDACTED) == 4
