"""The Slack adapter's settings, read from the environment. Secrets stay out of repr and logs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.adapters.slack.variables import HISTORY_PER_MINUTE, mode_problems, oauth_on
from bot.core.errors import PracticeError

DEFAULT_PORT = 3000
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
SLACK_API_URL = "https://slack.com/api/"

Mode = Literal["socket", "http"]


@dataclass(frozen=True)
class OAuthCredentials:
    """Many workspaces: the app's credentials for Bolt's OAuth v2 flow (SLACK_OAUTH=on)."""

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str | None = None  # None: the one Redirect URL set for the app


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str | None = field(repr=False)  # None with many workspaces (`oauth`)
    app_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    api_url: str = SLACK_API_URL
    port: int = DEFAULT_PORT
    host: str = "0.0.0.0"  # HTTP mode listens on every interface; tests use loopback
    admins: frozenset[str] = frozenset()
    oauth: OAuthCredentials | None = None
    history_per_minute: int = 1  # catch-up reads: Slack's strictest tier for history methods

    @property
    def mode(self) -> Mode:
        """Socket Mode whenever an app-level token is present: no public URL needed."""
        return "socket" if self.app_token else "http"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SlackConfig | None:
        """None when neither SLACK_BOT_TOKEN nor SLACK_OAUTH=on is set; PracticeError when the
        rest is incomplete, or mixes the two modes."""
        problems = mode_problems(env)
        if problems:
            raise PracticeError(" ".join(problems))
        if oauth_on(env):
            return cls(
                bot_token=None,
                signing_secret=env["SLACK_SIGNING_SECRET"].strip(),
                oauth=OAuthCredentials(
                    env["SLACK_CLIENT_ID"].strip(), env["SLACK_CLIENT_SECRET"].strip(),
                    env.get("SLACK_REDIRECT_URI", "").strip() or None,
                ),
                **_common(env),
            )  # fmt: skip
        bot_token = env.get("SLACK_BOT_TOKEN", "").strip()
        if not bot_token:
            return None
        app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
        signing_secret = env.get("SLACK_SIGNING_SECRET", "").strip() or None
        if app_token is None and signing_secret is None:
            raise PracticeError(
                "SLACK_BOT_TOKEN is set but SLACK_APP_TOKEN is missing: set SLACK_APP_TOKEN "
                "(an xapp- token, for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP mode)."
            )
        if bot_token.startswith("xapp-"):
            raise PracticeError(
                "SLACK_BOT_TOKEN holds an app-level token (xapp-): it needs the bot token (xoxb-)."
            )
        if app_token is not None and not app_token.startswith("xapp-"):
            raise PracticeError(
                "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                "(Basic Information → App-Level Tokens, scope connections:write)."
            )
        return cls(
            bot_token=bot_token, app_token=app_token, signing_secret=signing_secret,
            **_common(env),
        )  # fmt: skip


def _common(env: Mapping[str, str]) -> dict[str, Any]:
    """The settings both modes share."""
    admins = re.split(r"[\s,]+", env.get("PRACTICEBOT_SLACK_ADMINS", "").strip())
    return {
        "api_url": _api_url(env.get("SLACK_API_URL", "")),
        "port": _port(env.get("PRACTICEBOT_SLACK_PORT", "")),
        "admins": frozenset(admins) - {""},
        "history_per_minute": _per_minute(env.get(HISTORY_PER_MINUTE, "")),
    }


def _api_url(value: str) -> str:
    url = value.strip() or SLACK_API_URL
    if not re.match(r"https?://", url):
        raise PracticeError(f"SLACK_API_URL must be an http(s) URL (got '{url}').")
    return url if url.endswith("/") else url + "/"


def _port(value: str) -> int:
    if not value.strip():
        return DEFAULT_PORT
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise PracticeError(f"PRACTICEBOT_SLACK_PORT must be a port number (got '{value}').")
    return port


def _per_minute(value: str) -> int:
    if not value.strip():
        return 1
    if not value.strip().isdigit() or not 1 <= int(value) <= 600:
        raise PracticeError(
            f"{HISTORY_PER_MINUTE} must be a whole number from 1 to 600 (got '{value}')."
        )
    return int(value)
