"""Installations, OAuth states and the channels an uninstall paused on PostgreSQL
(`InstallationStore`), as `bot.store.installs`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.storage_installs import InstallationRecord
from bot.store.base import to_ts
from bot.store.installs import (
    INSTALLATION_COLUMNS,
    KEY,
    InstallationLookups,
    installation_key,
)
from bot.store.postgres.base import PgBase
from bot.store.postgres.tx import Tx


class PgInstalls(InstallationLookups, PgBase):
    async def save_installations(self, records: Sequence[InstallationRecord]) -> None:
        async def unit(tx: Tx) -> None:
            for record in records:
                await tx.execute(f"DELETE FROM installations WHERE {KEY}", installation_key(record))
                await tx.execute(
                    f"INSERT INTO installations ({INSTALLATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*installation_key(record), record.data, to_ts(record.installed_at)),
                )

        await self._run(unit)

    async def issue_oauth_state(
        self, platform: str, state: str, expires_at: datetime, now: datetime
    ) -> None:
        async def unit(tx: Tx) -> None:
            await tx.execute("DELETE FROM oauth_states WHERE expires_at <= ?", (to_ts(now),))
            await tx.execute(
                "INSERT INTO oauth_states (platform, state, expires_at) VALUES (?, ?, ?)",
                (platform, state, to_ts(expires_at)),
            )

        await self._run(unit)

    async def consume_oauth_state(self, platform: str, state: str, now: datetime) -> bool:
        expires_at = await self._run(
            lambda tx: tx.value(
                "DELETE FROM oauth_states WHERE platform = ? AND state = ? RETURNING expires_at",
                (platform, state),
            )
        )
        return expires_at is not None and int(expires_at) > to_ts(now)

    async def pause_space(
        self, platform: str, space_id: str, problem: str, now: datetime
    ) -> list[int]:
        async def unit(tx: Tx) -> list[int]:
            rows = await tx.all(
                "UPDATE subscriptions SET active = 0, problem = ?, updated_at = ? "
                "WHERE platform = ? AND space_id = ? AND active = 1 RETURNING id",
                (problem, to_ts(now), platform, space_id),
            )
            ids = sorted(int(r["id"]) for r in rows)
            for subscription_id in ids:
                await tx.execute(
                    "INSERT INTO space_pauses (subscription_id, paused_at) VALUES (?, ?) "
                    "ON CONFLICT (subscription_id) DO NOTHING",
                    (subscription_id, to_ts(now)),
                )
            return ids

        return await self._run(unit)

    async def resume_space(self, platform: str, space_id: str, now: datetime) -> list[int]:
        async def unit(tx: Tx) -> list[int]:
            rows = await tx.all(
                "DELETE FROM space_pauses p USING subscriptions s "
                "WHERE s.id = p.subscription_id AND s.platform = ? AND s.space_id = ? "
                "RETURNING p.subscription_id",
                (platform, space_id),
            )
            ids = sorted(int(r["subscription_id"]) for r in rows)
            await tx.execute(
                "UPDATE subscriptions SET active = 1, problem = NULL, updated_at = ? "
                "WHERE id = ANY(?::bigint[])",
                (to_ts(now), ids),
            )
            return ids

        return await self._run(unit)
