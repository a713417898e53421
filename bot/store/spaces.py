"""Per-space and per-channel settings (`SpaceStore`): one row per setting that differs from its
default. One statement a call, so the same class serves both stores (`bot.store.statements`)."""

from __future__ import annotations

from datetime import datetime

from bot.store.base import to_ts
from bot.store.statements import Statements

SET_CHANNEL_SETTING = (
    "INSERT INTO channel_settings (platform, space_id, channel_id, key, value, updated_by, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (platform, space_id, channel_id, key) DO UPDATE SET "
    "value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at"
)


class Spaces:
    async def space_settings(
        self: Statements, platform: str, space_id: str
    ) -> dict[str, str]:
        """The settings of a space that differ from their defaults, as stored text."""
        rows = await self._all(
            "SELECT key, value FROM space_settings WHERE platform = ? AND space_id = ?",
            (platform, space_id),
        )
        return {r["key"]: r["value"] for r in rows}

    async def set_space_setting(
        self: Statements, platform: str, space_id: str, key: str, value: str | None,
        by: str | None, now: datetime,
    ) -> None:  # fmt: skip
        """Store one setting's text; None removes it (the default applies again)."""
        if value is None:
            await self._write(
                "DELETE FROM space_settings WHERE platform = ? AND space_id = ? AND key = ?",
                (platform, space_id, key),
            )
            return
        await self._write(
            "INSERT INTO space_settings (platform, space_id, key, value, updated_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, space_id, key) DO UPDATE SET "
            "value = excluded.value, updated_by = excluded.updated_by, "
            "updated_at = excluded.updated_at",
            (platform, space_id, key, value, by, to_ts(now)),
        )  # fmt: skip

    async def channel_settings(
        self: Statements, platform: str, space_id: str, channel_id: str
    ) -> dict[str, str]:
        rows = await self._all(
            "SELECT key, value FROM channel_settings "
            "WHERE platform = ? AND space_id = ? AND channel_id = ?",
            (platform, space_id, channel_id),
        )
        return {r["key"]: r["value"] for r in rows}

    async def set_channel_setting(
        self: Statements, platform: str, space_id: str, channel_id: str, key: str,
        value: str | None, by: str | None, now: datetime,
    ) -> None:  # fmt: skip
        if value is None:
            await self._write(
                "DELETE FROM channel_settings "
                "WHERE platform = ? AND space_id = ? AND channel_id = ? AND key = ?",
                (platform, space_id, channel_id, key),
            )
            return
        await self._write(
            SET_CHANNEL_SETTING, (platform, space_id, channel_id, key, value, by, to_ts(now))
        )
