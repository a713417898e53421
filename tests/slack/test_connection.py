"""Starting and stopping: Socket Mode over a loopback socket, HTTP mode, refused credentials."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack import SlackAdapter, SlackConfig
from bot.core.errors import PracticeError
from tests.helpers import World
from tests.slack.fake_slack import APP_TOKEN, BOT_TOKEN, TEAM, FakeSlack
from tests.slack.harness import ADMIN, ALICE, SlackHarness


@pytest.fixture
async def socket_slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    harness = await SlackHarness.open(tmp_path, mode_env={"SLACK_APP_TOKEN": APP_TOKEN})
    yield harness
    await harness.close()


def _command(slack: SlackHarness, text: str, user: str) -> tuple[str, dict[str, Any]]:
    hook = slack.fake.new_hook()
    return hook, {
        "team_id": TEAM,
        "channel_id": "C1",
        "channel_name": "general",
        "user_id": user,
        "command": "/practice",
        "text": text,
        "response_url": slack.fake.hook_url(hook),
        "trigger_id": "t",
        "api_app_id": "A1",
    }


async def test_socket_mode_takes_commands_and_events(socket_slack: SlackHarness) -> None:
    slack = socket_slack
    assert slack.adapter.config.mode == "socket"
    assert slack.adapter.health() == (True, "Socket Mode connected")
    assert slack.adapter.describe().startswith("Slack (Socket Mode in workspace Acme")
    [opened] = slack.fake.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN

    hook, payload = _command(slack, "subscribe 09:30 Europe/Berlin", ADMIN)
    envelope = {"envelope_id": "env-1", "type": "slash_commands", "payload": payload}
    await slack.fake.push({**envelope, "accepts_response_payload": True})
    assert "Subscribed <#C1>" in slack.fake.responses[hook][0]["text"]

    await slack.world.scheduler.advance(timedelta(hours=2))
    round = await slack.open_round()
    event = slack.reply(round, ALICE, "answered over the socket")
    body = slack.event_body(event, "EvSOCKET")
    for attempt in (0, 1):  # Slack redelivers over the socket too
        await slack.fake.push(
            {
                "envelope_id": f"env-event-{attempt}",
                "type": "events_api",
                "payload": json.loads(body),
                "accepts_response_payload": False,
                "retry_attempt": attempt,
                "retry_reason": "timeout" if attempt else "",
            }
        )
    assert await slack.answer_text(round, ALICE) == "answered over the socket"

    await slack.adapter.stop()
    assert slack.adapter.health()[0] is False


async def test_http_mode_describes_where_it_listens(slack: SlackHarness) -> None:
    assert slack.adapter.port is not None and slack.adapter.port > 0
    live, detail = slack.adapter.health()
    assert live and detail == f"HTTP mode listening on port {slack.adapter.port}"
    description = slack.adapter.describe()
    assert f"/slack/events on port {slack.adapter.port}" in description
    assert BOT_TOKEN not in description


async def _adapter(world: World, fake: FakeSlack, **env: str) -> SlackAdapter:
    config = SlackConfig.from_env(
        {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": fake.api_url, **env}
    )
    assert config is not None
    return SlackAdapter(world.engine, replace(config, host="127.0.0.1"))


async def test_refused_tokens_stop_the_start_with_a_clear_error(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeSlack()
    await fake.start()
    try:
        wrong_bot = await _adapter(
            world, fake, SLACK_SIGNING_SECRET="s", SLACK_BOT_TOKEN="xoxb-wrong"
        )
        with pytest.raises(PracticeError, match=r"SLACK_BOT_TOKEN \(invalid_auth\)"):
            await wrong_bot.start()
        wrong_app = await _adapter(world, fake, SLACK_APP_TOKEN="xapp-wrong")
        with pytest.raises(PracticeError, match=r"SLACK_APP_TOKEN \(invalid_auth\)"):
            await wrong_app.start()
        await wrong_app.stop()
    finally:
        await fake.close()
    assert "xoxb-wrong" not in caplog.text and "xapp-wrong" not in caplog.text


async def test_a_busy_port_names_the_variable(slack: SlackHarness, world: World) -> None:
    second = await _adapter(
        world,
        slack.fake,
        SLACK_SIGNING_SECRET="s",
        PRACTICEBOT_SLACK_PORT=str(slack.adapter.port),
    )
    with pytest.raises(PracticeError, match="PRACTICEBOT_SLACK_PORT"):
        await second.start()
