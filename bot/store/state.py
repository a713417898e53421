"""Named values and the health probe (`StateStore`)."""

from __future__ import annotations

from datetime import datetime

from bot.store.base import StoreBase, to_ts


class State(StoreBase):
    async def get_state(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM bot_state WHERE key = ?", (key,))
        return row["value"] if row else None

    async def set_state(self, key: str, value: str, now: datetime) -> None:
        await self._write(
            "INSERT INTO bot_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, value, to_ts(now)),
        )

    async def ping(self) -> bool:
        """True when the database answers a query."""
        row = await self._one("SELECT 1 AS one")
        return row is not None and row["one"] == 1
