"""The shipped manifest asks for exactly what the adapter uses, and the app answers its commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.adapters.slack.config import EVENTS_PATH, REDIRECT_PATH
from bot.adapters.slack.oauth import BOT_SCOPES
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


def test_the_many_workspace_manifest_is_the_same_app_in_http_mode_with_the_install_flow() -> None:
    """slack/manifest-many-workspaces.yml: what SLACK_OAUTH=on needs, and nothing else differs."""
    one = _manifest()
    loaded = yaml.safe_load((MANIFEST.parent / "manifest-many-workspaces.yml").read_text("utf-8"))
    assert isinstance(loaded, dict)
    many: dict[str, Any] = loaded
    assert many["display_information"] == one["display_information"]
    assert many["oauth_config"]["scopes"] == one["oauth_config"]["scopes"]
    assert list(BOT_SCOPES) == one["oauth_config"]["scopes"]["bot"]  # what an install asks for
    [redirect] = many["oauth_config"]["redirect_urls"]
    assert redirect.startswith("https://") and redirect.endswith(REDIRECT_PATH)
    settings = many["settings"]
    assert settings["socket_mode_enabled"] is False  # the Marketplace requires HTTP mode
    assert settings["event_subscriptions"]["bot_events"] == [
        *one["settings"]["event_subscriptions"]["bot_events"], "app_uninstalled", "tokens_revoked",
    ]  # fmt: skip
    host = redirect.removesuffix(REDIRECT_PATH)
    assert settings["event_subscriptions"]["request_url"] == host + EVENTS_PATH
    assert settings["interactivity"]["request_url"] == host + EVENTS_PATH
    commands = many["features"].pop("slash_commands")
    assert [{k: v for k, v in c.items() if k != "url"} for c in commands] == one["features"][
        "slash_commands"
    ]
    assert {c["url"] for c in commands} == {host + EVENTS_PATH}
    assert many["features"] == {
        k: v for k, v in one["features"].items() if k != "slash_commands"
    }
