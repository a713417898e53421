"""Installations on many workspaces: kept for the adapter (its installation and OAuth state
stores); an uninstall pauses the workspace's channels, and installing the app again resumes
them, with what the outbox had parked for them meanwhile."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from bot.core.models import Subscription
from bot.core.outbox import Outbox
from bot.core.storage_installs import InstallationRecord
from bot.core.wiring import Wiring

log = logging.getLogger(__name__)
Space = tuple[str, str]  # (platform, space id)


class Installs:
    def __init__(self, wiring: Wiring, outbox: Outbox) -> None:
        self._w = wiring
        self._outbox = outbox

    async def save(self, records: Sequence[InstallationRecord]) -> list[Subscription]:
        """Keep the records; a workspace that has its bot again gets its paused channels back."""
        await self._w.store.save_installations(records)
        resumed: list[Subscription] = []
        for space in sorted({(r.platform, r.team_id) for r in records if r.kind == "bot"}):
            if space[1]:
                resumed += await self.resume(space)
        return resumed

    async def issue_state(self, platform: str, state: str, lifetime: timedelta) -> None:
        now = self._w.clock.now()
        await self._w.store.issue_oauth_state(platform, state, now + lifetime, now)

    async def consume_state(self, platform: str, state: str) -> bool:
        return await self._w.store.consume_oauth_state(platform, state, self._w.clock.now())

    async def pause(self, space: Space, problem: str) -> list[Subscription]:
        """The space's active channels paused with `problem` (their jobs go with them)."""
        ids = await self._w.store.pause_space(*space, problem, self._w.clock.now())
        paused = await self._changed(ids)
        if paused:
            log.warning("paused %d channels of %s:%s: %s", len(paused), *space, problem)
        return paused

    async def resume(self, space: Space) -> list[Subscription]:
        """The channels `pause` paused, active again; their parked deliveries due now."""
        ids = await self._w.store.resume_space(*space, self._w.clock.now())
        resumed = await self._changed(ids)
        for subscription in resumed:
            await self._outbox.resume(subscription.id)
        if resumed:
            log.info("resumed %d channels of %s:%s", len(resumed), *space)
        return resumed

    async def _changed(self, ids: Sequence[int]) -> list[Subscription]:
        changed = []
        for subscription_id in ids:
            subscription = await self._w.store.subscription_by_id(subscription_id)
            if subscription is not None:
                self._w.listener.subscription_changed(subscription)
                changed.append(subscription)
        return changed
