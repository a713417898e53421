"""The engine's facade for installations on many workspaces (its `installs` part)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.core.installs import Installs, Space
from bot.core.models import Subscription
from bot.core.storage_installs import InstallationRecord, InstallKind
from bot.core.wiring import Wiring


class InstallsFacade:
    """`Engine`'s queries for an adapter's installation and OAuth state stores."""

    installs: Installs
    _w: Wiring

    async def save_installations(self, records: Sequence[InstallationRecord]) -> list[Subscription]:
        """Keep them; the channels an uninstall paused in their workspaces resume (returned)."""
        return await self.installs.save(records)

    async def find_installation(
        self, platform: str, kind: InstallKind, enterprise_id: str, team_id: str,
        user_id: str | None = None,
    ) -> InstallationRecord | None:  # fmt: skip
        return await self._w.store.find_installation(
            platform, kind, enterprise_id, team_id, user_id
        )

    async def delete_installations(
        self, platform: str, enterprise_id: str, team_id: str, *,
        kind: InstallKind | None = None, user_id: str | None = None,
    ) -> int:  # fmt: skip
        return await self._w.store.delete_installations(
            platform, enterprise_id, team_id, kind=kind, user_id=user_id
        )

    async def issue_oauth_state(self, platform: str, state: str, lifetime: timedelta) -> None:
        await self.installs.issue_state(platform, state, lifetime)

    async def consume_oauth_state(self, platform: str, state: str) -> bool:
        """True once for a state issued and not expired; never again."""
        return await self.installs.consume_state(platform, state)

    async def pause_space(self, space: Space, problem: str) -> list[Subscription]:
        """The workspace is gone (the app uninstalled): its active channels paused."""
        return await self.installs.pause(space, problem)

    async def resume_space(self, space: Space) -> list[Subscription]:
        return await self.installs.resume(space)
