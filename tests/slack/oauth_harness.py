"""The real Bolt app in many-workspace mode (SLACK_OAUTH=on) on loopback, and a browser going
through the install: GET /slack/install, Slack's authorize page (FakeSlack's installs approve
it), back to /slack/oauth_redirect with the code, the state and the state cookie."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import aiohttp

from bot.core.ports import StoreOpener
from bot.store import SqliteStore
from tests.slack.fake_oauth import CLIENT_ID, CLIENT_SECRET
from tests.slack.harness import ADMIN, SlackHarness

OAUTH_ENV = {
    "SLACK_BOT_TOKEN": "",  # unset: many workspaces have no single token
    "SLACK_OAUTH": "on",
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
}
AUTHORIZE = "https://slack.com/oauth/v2/authorize"
STATE_COOKIE = "slack-app-oauth-state"


@dataclass(frozen=True)
class Started:
    """What GET /slack/install answered: a redirect to Slack, and the state cookie."""

    status: int
    location: str
    query: dict[str, str]  # of the authorize URL
    cookie: str  # the state cookie's value

    @property
    def state(self) -> str:
        return self.query.get("state", "")


async def open_many(tmp_path: Path, open_store: StoreOpener = SqliteStore.open) -> SlackHarness:
    return await SlackHarness.open(tmp_path, mode_env=OAUTH_ENV, open_store=open_store)


def base(slack: SlackHarness) -> str:
    return f"http://127.0.0.1:{slack.adapter.port}"


async def start_install(slack: SlackHarness) -> Started:
    async with aiohttp.ClientSession() as browser, browser.get(
        f"{base(slack)}/slack/install", allow_redirects=False
    ) as response:
        location = response.headers.get("Location", "")
        cookies = SimpleCookie(response.headers.get("Set-Cookie", ""))
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        cookie = cookies[STATE_COOKIE].value if STATE_COOKIE in cookies else ""
        return Started(response.status, location, query, cookie)


async def come_back(
    slack: SlackHarness, *, code: str, state: str, cookie: str
) -> tuple[int, str]:
    """The browser back from Slack's page at /slack/oauth_redirect."""
    query = urllib.parse.urlencode({"code": code, "state": state})
    async with aiohttp.ClientSession() as browser, browser.get(
        f"{base(slack)}/slack/oauth_redirect?{query}", allow_redirects=False,
        headers={"Cookie": f"{STATE_COOKIE}={cookie}"},
    ) as response:  # fmt: skip
        return response.status, await response.text()


async def install(slack: SlackHarness, team: str, installer: str = ADMIN) -> str:
    """A whole install into `team`; the bot token Slack issued for it."""
    started = await start_install(slack)
    code = slack.fake.installs.approve(team, installer, started.query["scope"])
    status, _ = await come_back(slack, code=code, state=started.state, cookie=started.cookie)
    assert status == 200, status
    return next(t for t, w in slack.fake.installs.tokens.items() if w.team_id == team)
