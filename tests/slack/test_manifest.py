"""The shipped manifest asks for exactly what the adapter uses, and the app answers its commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.slack.harness import ALICE, SlackHarness

MANIFEST = Path(__file__).parents[2] / "slack" / "manifest.yml"


def _manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_exactly_the_scopes_and_events_needed() -> None:
    manifest = _manifest()
    assert manifest["oauth_config"]["scopes"]["bot"] == [
        "chat:write",
        "commands",
        "channels:history",
        "groups:history",
        "users:read",
        "files:write",
        "im:write",
    ]
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [
        "message.channels",
        "message.groups",
        "app_home_opened",
    ]
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


async def test_every_manifest_command_is_answered(slack: SlackHarness) -> None:
    commands = [c["command"] for c in _manifest()["features"]["slash_commands"]]
    assert commands == ["/quiz", "/review", "/leaderboard", "/streak", "/practice"]
    for command in commands:
        reply = await slack.command(command, user=ALICE)
        assert reply.status == 200 and len(reply.responses) == 1, command
    unknown = await slack.command("/nope", user=ALICE)
    assert unknown.status == 404 and unknown.responses == []
