"""The Slack adapter's settings (read by `bot.ops.settings`; no Slack library imported here)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.errors import InputError
from bot.ops.variables import Variable, whole_number


def _user_ids(value: str) -> None:
    if not all(re.fullmatch(r"[A-Z0-9]+", part.strip()) for part in value.split(",")):
        raise InputError("must be Slack user ids separated by commas, like U012AB3CD,U045EF6GH")


HISTORY_PER_MINUTE = "PRACTICEBOT_SLACK_HISTORY_PER_MINUTE"

VARIABLES: tuple[Variable, ...] = (
    Variable("SLACK_BOT_TOKEN", "Slack bot token (xoxb-…): turns the Slack adapter on", secret=True),
    Variable("SLACK_APP_TOKEN", "Slack app-level token (xapp-…) for Socket Mode", secret=True),
    Variable("SLACK_SIGNING_SECRET", "Slack signing secret, for HTTP mode instead of Socket Mode", secret=True),
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


def cross_check(values: Mapping[str, str]) -> list[str]:
    """The tokens that only work together."""
    problems = []
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
