"""Which Slack mode the environment allows, and clear errors when it allows none."""

from __future__ import annotations

import pytest
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

from bot.adapters.slack import SlackAdapter, SlackConfig, adapter_from_env
from bot.core.errors import PracticeError
from tests.helpers import World

BOT = "xoxb-1-secret-bot"
APP = "xapp-1-secret-app"


def test_no_bot_token_means_no_slack() -> None:
    assert adapter_from_env({}) is None
    assert adapter_from_env({"SLACK_BOT_TOKEN": "  ", "SLACK_APP_TOKEN": APP}) is None


def test_bot_token_alone_names_the_missing_variable() -> None:
    with pytest.raises(PracticeError, match="SLACK_APP_TOKEN") as caught:
        adapter_from_env({"SLACK_BOT_TOKEN": BOT})
    assert "SLACK_SIGNING_SECRET" in str(caught.value)
    assert BOT not in str(caught.value)


def test_socket_mode_is_the_default_when_the_app_token_is_set() -> None:
    config = SlackConfig.from_env(
        {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP, "SLACK_SIGNING_SECRET": "s"}
    )
    assert config is not None and config.mode == "socket"
    assert BOT not in repr(config) and APP not in repr(config) and "'s'" not in repr(config)


def test_http_mode_with_a_signing_secret() -> None:
    config = SlackConfig.from_env(
        {
            "SLACK_BOT_TOKEN": BOT,
            "SLACK_SIGNING_SECRET": "s",
            "PRACTICEBOT_SLACK_PORT": "8080",
            "SLACK_API_URL": "http://proxy.internal:9000/api",
            "PRACTICEBOT_SLACK_ADMINS": "U1, U2 ,U3",
        }
    )
    assert config is not None and config.mode == "http"
    assert config.port == 8080
    assert config.api_url == "http://proxy.internal:9000/api/"
    assert config.admins == frozenset({"U1", "U2", "U3"})


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PRACTICEBOT_SLACK_PORT": "http"}, "PRACTICEBOT_SLACK_PORT"),
        ({"PRACTICEBOT_SLACK_PORT": "70000"}, "PRACTICEBOT_SLACK_PORT"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({"SLACK_APP_TOKEN": "xoxb-2-wrong"}, "SLACK_APP_TOKEN"),
    ],
)
def test_bad_values_are_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(PracticeError, match=named):
        SlackConfig.from_env({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": "s", **env})


def test_swapped_tokens_are_caught() -> None:
    with pytest.raises(PracticeError, match="SLACK_BOT_TOKEN"):
        SlackConfig.from_env({"SLACK_BOT_TOKEN": APP, "SLACK_APP_TOKEN": APP})


async def test_the_adapter_retries_rate_limits_and_describes_itself(world: World) -> None:
    factory = adapter_from_env({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP})
    assert factory is not None
    adapter = factory(world.engine)
    assert isinstance(adapter, SlackAdapter) and adapter.name == "slack"
    handlers = adapter.app.client.retry_handlers
    assert any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in handlers)
    assert adapter.describe() == "Slack (Socket Mode)"
    assert adapter.health() == (False, "not connected")
