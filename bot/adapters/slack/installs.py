"""slack_sdk's async installation store and OAuth state store, over our database (through the
engine): Bolt's OAuth flow saves each workspace's installation here, and its authorize finds
the workspace's bot token here for every request.

Records are slack_sdk's own `Installation` and `Bot`, serialised as slack_sdk's file store does
(their attributes as JSON), tokens included: they live in the database (and in its backups),
as with Bolt's SQL stores, and never in a log line. As Bolt's SQLAlchemy store does, an org-wide
install is kept without a team, and a person's installation carries the workspace's newest bot.
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.adapters.slack.refs import PLATFORM
from bot.core.engine import Engine
from bot.core.storage_installs import InstallationRecord

log = logging.getLogger(__name__)
STATE_LIFETIME = timedelta(minutes=10)  # Bolt's default: time to click Allow on Slack's page


def _team(team_id: str | None, is_enterprise_install: bool | None) -> str:
    return "" if is_enterprise_install else team_id or ""


def _record(kind: Any, of: Installation | Bot, user_id: str) -> InstallationRecord:
    return InstallationRecord(
        platform=PLATFORM, kind=kind, enterprise_id=of.enterprise_id or "",
        team_id=_team(of.team_id, of.is_enterprise_install), user_id=user_id,
        data=json.dumps(of.__dict__), installed_at=datetime.fromtimestamp(of.installed_at, UTC),
    )  # fmt: skip


class DatabaseInstallationStore(AsyncInstallationStore):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        records = [_record("installation", installation, installation.user_id or "")]
        if installation.bot_token:
            records.append(_record("bot", installation.to_bot(), ""))
        await self._engine.save_installations(records)
        log.info(
            "installed in workspace %s (enterprise %s) by %s",
            installation.team_id, installation.enterprise_id, installation.user_id,
        )  # fmt: skip

    async def async_save_bot(self, bot: Bot) -> None:
        await self._engine.save_installations([_record("bot", bot, "")])

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self._engine.find_installation(
            PLATFORM, "bot", enterprise_id or "", _team(team_id, is_enterprise_install)
        )
        return Bot(**json.loads(found.data)) if found else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        team = _team(team_id, is_enterprise_install)
        found = await self._engine.find_installation(
            PLATFORM, "installation", enterprise_id or "", team, user_id
        )
        if found is None:
            return None
        installation = Installation(**json.loads(found.data))
        bot = await self.async_find_bot(
            enterprise_id=enterprise_id, team_id=team, is_enterprise_install=not team
        )
        if bot is not None and bot.bot_token != installation.bot_token:
            # Someone else installed the app since: the workspace's bot token is the newer one.
            installation.bot_token, installation.bot_id = bot.bot_token, bot.bot_id
            installation.bot_user_id, installation.bot_scopes = bot.bot_user_id, bot.bot_scopes
            installation.bot_refresh_token = bot.bot_refresh_token
            installation.bot_token_expires_at = bot.bot_token_expires_at
        return installation

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._engine.delete_installations(
            PLATFORM, enterprise_id or "", team_id or "", kind="bot"
        )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self._engine.delete_installations(
            PLATFORM, enterprise_id or "", team_id or "", kind="installation", user_id=user_id
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._engine.delete_installations(PLATFORM, enterprise_id or "", team_id or "")


class DatabaseStateStore(AsyncOAuthStateStore):
    """OAuth states: issued for /slack/install, good once on /slack/oauth_redirect, until they
    expire (the engine's clock)."""

    def __init__(self, engine: Engine, lifetime: timedelta = STATE_LIFETIME) -> None:
        self._engine = engine
        self.lifetime = lifetime

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        await self._engine.issue_oauth_state(PLATFORM, state, self.lifetime)
        return state

    async def async_consume(self, state: str) -> bool:
        return await self._engine.consume_oauth_state(PLATFORM, state)
