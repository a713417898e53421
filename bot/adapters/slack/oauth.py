"""Slack for many workspaces: Bolt's OAuth v2 flow (GET /slack/install, /slack/oauth_redirect)
over our installation and state stores, and the events that take a workspace away.

An uninstall (`app_uninstalled`), or the bot token revoked (`tokens_revoked`), deletes what was
stored for the workspace, as Bolt's own revocation listeners do, and pauses the workspace's
channels (`Engine.pause_space`); installing the app again resumes them (`save_installations`).
Bolt runs no authorize for these two events: the tokens are already gone.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

from bot.adapters.slack.config import INSTALL_PATH, REDIRECT_PATH, OAuthCredentials
from bot.adapters.slack.installs import DatabaseInstallationStore, DatabaseStateStore
from bot.adapters.slack.refs import PLATFORM
from bot.core.engine import Engine
from bot.present.admin import APP_UNINSTALLED

log = logging.getLogger(__name__)
# The bot scopes an install asks for: slack/manifest.yml's (tests/slack/test_manifest.py).
BOT_SCOPES = (
    "chat:write", "commands", "channels:history", "groups:history", "users:read",
    "files:write", "im:write",
)  # fmt: skip


def oauth_settings(
    credentials: OAuthCredentials,
    installations: DatabaseInstallationStore,
    states: DatabaseStateStore,
) -> AsyncOAuthSettings:
    """Bolt's OAuth settings over our stores: /slack/install redirects straight to Slack's
    authorize page (no page of ours in between), with a state cookie Bolt checks on return."""
    return AsyncOAuthSettings(
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=credentials.redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=False,
        installation_store=installations,
        state_store=states,
        state_expiration_seconds=int(states.lifetime.total_seconds()),
        logger=logging.getLogger("bot.adapters.slack.bolt"),
    )


def register_uninstalls(
    app: AsyncApp, engine: Engine, installations: DatabaseInstallationStore
) -> None:
    async def uninstalled(body: dict[str, Any]) -> None:
        enterprise, team = body.get("enterprise_id"), str(body.get("team_id") or "")
        await installations.async_delete_all(enterprise_id=enterprise, team_id=team)
        log.warning("the app was uninstalled from workspace %s", team)
        await engine.pause_space((PLATFORM, team), APP_UNINSTALLED)

    async def revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        enterprise, team = body.get("enterprise_id"), str(body.get("team_id") or "")
        tokens = event.get("tokens") or {}
        for user in tokens.get("oauth") or []:  # people's tokens: the bot carries on
            await installations.async_delete_installation(
                enterprise_id=enterprise, team_id=team, user_id=str(user)
            )
        if tokens.get("bot"):
            await installations.async_delete_bot(enterprise_id=enterprise, team_id=team)
            log.warning("the bot token of workspace %s was revoked", team)
            await engine.pause_space((PLATFORM, team), APP_UNINSTALLED)

    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)
