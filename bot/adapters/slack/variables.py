"""The Slack adapter's settings (read by `bot.ops.settings`; no Slack library imported here).

Two modes, chosen explicitly: one workspace with SLACK_BOT_TOKEN (Socket Mode or HTTP), or many
workspaces with SLACK_OAUTH=on (Bolt's OAuth flow in HTTP mode, installations in our database).
slack-bolt would turn its own OAuth flow on by itself whenever SLACK_CLIENT_ID and
SLACK_CLIENT_SECRET are in the environment; here those two without SLACK_OAUTH=on are refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.errors import InputError
from bot.ops.variables import Variable, one_of, whole_number

CLIENT_VARIABLES = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
OAUTH_NEEDS = (*CLIENT_VARIABLES, "SLACK_SIGNING_SECRET")
BOTH_MODES = (
    "SLACK_OAUTH: on (many workspaces, each one's token kept in the database) and SLACK_BOT_TOKEN "
    "(one workspace) are both set: unset SLACK_BOT_TOKEN for many workspaces, or SLACK_OAUTH "
    "for one."
)
OAUTH_NOT_ON = (
    "{names}: set, but SLACK_OAUTH is not on. slack-bolt would switch its own install flow on "
    "when it sees them; practicebot does not guess: set SLACK_OAUTH=on (without "
    "SLACK_BOT_TOKEN) for many workspaces, or unset {names} for one."
)
OAUTH_NOT_SOCKET = (
    "SLACK_APP_TOKEN: many workspaces (SLACK_OAUTH=on) run in HTTP mode, as the Slack Marketplace "
    "requires, not in Socket Mode: unset SLACK_APP_TOKEN."
)


def _user_ids(value: str) -> None:
    if not all(re.fullmatch(r"[A-Z0-9]+", part.strip()) for part in value.split(",")):
        raise InputError("must be Slack user ids separated by commas, like U012AB3CD,U045EF6GH")


def _https_url(value: str) -> None:
    if not re.match(r"https?://[^/\s]+", value):
        raise InputError(f"must be a URL like https://bot.example.com/slack/oauth_redirect (got '{value}')")


HISTORY_PER_MINUTE = "PRACTICEBOT_SLACK_HISTORY_PER_MINUTE"


VARIABLES: tuple[Variable, ...] = (
    Variable("SLACK_BOT_TOKEN", "Slack bot token (xoxb-…): turns the Slack adapter on", secret=True),
    Variable("SLACK_APP_TOKEN", "Slack app-level token (xapp-…) for Socket Mode", secret=True),
    Variable("SLACK_SIGNING_SECRET", "Slack signing secret, for HTTP mode instead of Socket Mode", secret=True),
    Variable("SLACK_OAUTH", "on: Slack for many workspaces (OAuth install flow, HTTP mode), no SLACK_BOT_TOKEN",
             "off", check=one_of("on", "off")),
    Variable("SLACK_CLIENT_ID", "with SLACK_OAUTH=on: the app's Client ID (Basic Information)"),
    Variable("SLACK_CLIENT_SECRET", "with SLACK_OAUTH=on: the app's Client Secret (Basic Information)",
             secret=True),
    Variable("SLACK_REDIRECT_URI", "with SLACK_OAUTH=on: the public URL of /slack/oauth_redirect, when the app has several",
             check=_https_url),
    Variable("SLACK_API_URL", "replaces the Slack Web API base URL (a proxy; tests)"),
    Variable("PRACTICEBOT_SLACK_PORT", "port for Slack HTTP mode (/slack/events)", "3000",
             check=whole_number(1, 65535)),
    Variable("PRACTICEBOT_SLACK_ADMINS", "Slack user ids allowed to run /practice besides workspace admins",
             check=_user_ids),
    Variable(HISTORY_PER_MINUTE,
             "conversations.replies calls a minute when reading threads back after a restart "
             "(1 fits apps distributed outside the Marketplace; internal and Marketplace apps "
             "have Tier 3, 50 and more)", "1", check=whole_number(1, 600)),
)  # fmt: skip


def oauth_on(values: Mapping[str, str]) -> bool:
    return values.get("SLACK_OAUTH", "").strip().lower() == "on"


def mode_problems(values: Mapping[str, str]) -> list[str]:
    """What keeps the choice between one workspace and many from being explicit and whole."""
    clients = [name for name in CLIENT_VARIABLES if values.get(name, "").strip()]
    if oauth_on(values) and values.get("SLACK_BOT_TOKEN", "").strip():
        return [BOTH_MODES]
    if not oauth_on(values):
        return [OAUTH_NOT_ON.format(names=" and ".join(clients))] if clients else []
    problems = [OAUTH_NOT_SOCKET] if values.get("SLACK_APP_TOKEN", "").strip() else []
    return problems + [
        f"{name}: missing; SLACK_OAUTH=on needs it." for name in OAUTH_NEEDS
        if not values.get(name, "").strip()
    ]  # fmt: skip


def cross_check(values: Mapping[str, str]) -> list[str]:
    """The tokens that only work together, and the mode they choose."""
    problems = mode_problems(values)
    if problems or oauth_on(values):
        return problems
    if values.get("SLACK_BOT_TOKEN") and not (
        values.get("SLACK_APP_TOKEN") or values.get("SLACK_SIGNING_SECRET")
    ):
        problems.append(
            "SLACK_APP_TOKEN: missing. Socket Mode needs it (or set SLACK_SIGNING_SECRET for HTTP mode)."
        )
    for name in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        if values.get(name) and not values.get("SLACK_BOT_TOKEN"):
            problems.append(f"SLACK_BOT_TOKEN: missing, but {name} is set.")
    return problems
