"""The Web API client for a workspace's channels: the one bot token's (single workspace), or,
for many workspaces, one made with the token of that workspace's installation (the outbox's
posts, reveals and look-ups, notes to authors). It keeps the app client's settings: base URL,
timeout, proxy, and slack_sdk's retry handlers (429s are retried)."""

from __future__ import annotations

from collections import OrderedDict

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.installs import DatabaseInstallationStore

_CLIENTS_KEPT = 256


class NotInstalledError(Exception):
    """The workspace has no installation (the app was uninstalled, or never installed)."""

    def __init__(self, team_id: str) -> None:
        super().__init__(f"practicebot is not installed in Slack workspace {team_id}")
        self.team_id = team_id


class TeamClients:
    def __init__(
        self, app_client: AsyncWebClient, installations: DatabaseInstallationStore | None = None
    ) -> None:
        self._app_client = app_client
        self._installations = installations
        self._clients: OrderedDict[str, AsyncWebClient] = OrderedDict()  # by token

    @property
    def many_workspaces(self) -> bool:
        return self._installations is not None

    async def for_team(self, team_id: str) -> AsyncWebClient:
        """The client for `team_id`'s channels; NotInstalledError when it has no installation.

        The installation is read every time (one indexed row): a reinstall or an uninstall,
        also by another process on the same database, is followed at once."""
        if self._installations is None:
            return self._app_client
        bot = await self._installations.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise NotInstalledError(team_id)
        client = self._clients.get(bot.bot_token)
        if client is None:
            app = self._app_client
            client = AsyncWebClient(
                token=bot.bot_token, base_url=app.base_url, timeout=app.timeout, ssl=app.ssl,
                proxy=app.proxy, headers=app.headers, team_id=team_id, logger=app.logger,
                retry_handlers=list(app.retry_handlers),
            )  # fmt: skip
            self._clients[bot.bot_token] = client
            while len(self._clients) > _CLIENTS_KEPT:
                self._clients.popitem(last=False)
        self._clients.move_to_end(bot.bot_token)
        return client
