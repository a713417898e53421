"""FakeSlack's side of installing an app into many workspaces: the workspaces and their bot
tokens, the codes Slack's authorize page hands the browser, and `oauth.v2.access`, answered
as Slack documents it (api.slack.com/methods/oauth.v2.access): a bot token, the team, the bot
user id, `enterprise: null`, the installer as `authed_user`. A code is good once; the client
id and secret come as HTTP Basic auth (as slack_sdk sends them) or as form fields."""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from typing import Any

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret"
APP_ID = "A1"


@dataclass(frozen=True)
class FakeWorkspace:
    team_id: str
    name: str
    bot_token: str
    bot_user: str
    bot_id: str


@dataclass
class FakeInstalls:
    """What FakeSlack knows of the app's workspaces: tokens that work, and codes to exchange."""

    tokens: dict[str, FakeWorkspace] = field(default_factory=dict)  # live bot tokens
    # code -> (the workspace, who installed, the scopes granted: those the app asked for)
    codes: dict[str, tuple[FakeWorkspace, str, str]] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, workspace: FakeWorkspace) -> None:
        self.tokens[workspace.bot_token] = workspace

    def approve(self, team_id: str, installer: str, scopes: str, *, name: str | None = None) -> str:
        """Someone clicked Allow on Slack's page for `team_id`: the code Slack redirects with.
        Each install issues a new bot token (the old one of that team stops working)."""
        n = next(self._numbers)
        workspace = FakeWorkspace(
            team_id, name or f"Team {team_id}", f"xoxb-{team_id}-{n}-fake", f"UBOT{team_id}",
            f"BBOT{team_id}",
        )  # fmt: skip
        code = f"code-{team_id}-{n}"
        self.codes[code] = (workspace, installer, scopes)
        return code

    def revoke(self, team_id: str) -> None:
        """The app uninstalled from `team_id`: its tokens stop working (token_revoked)."""
        for token, workspace in list(self.tokens.items()):
            if workspace.team_id == team_id:
                del self.tokens[token]
                self.revoked.add(token)

    def access(self, params: dict[str, Any], authorization: str) -> dict[str, Any]:
        client_id, secret = str(params.get("client_id") or ""), str(params.get("client_secret") or "")
        if authorization.startswith("Basic "):
            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, secret) != (CLIENT_ID, CLIENT_SECRET):
            return {"ok": False, "error": "invalid_client_id" if client_id != CLIENT_ID else "bad_client_secret"}
        found = self.codes.pop(str(params.get("code") or ""), None)
        if found is None:
            return {"ok": False, "error": "invalid_code"}
        workspace, installer, scopes = found
        self.revoke(workspace.team_id)
        self.revoked -= {workspace.bot_token}
        self.add(workspace)
        return {
            "ok": True, "app_id": APP_ID, "authed_user": {"id": installer},
            "scope": scopes, "token_type": "bot", "access_token": workspace.bot_token,
            "bot_user_id": workspace.bot_user,
            "team": {"id": workspace.team_id, "name": workspace.name},
            "enterprise": None, "is_enterprise_install": False,
        }  # fmt: skip

    def auth_test(self, token: str) -> dict[str, Any]:
        workspace = self.tokens[token]
        return {
            "ok": True, "url": f"https://{workspace.team_id.lower()}.slack.com/",
            "team": workspace.name, "team_id": workspace.team_id, "user": "practicebot",
            "user_id": workspace.bot_user, "bot_id": workspace.bot_id, "is_enterprise_install": False,
        }  # fmt: skip
