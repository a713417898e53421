"""Named values, per-space settings and the pictures' history on PostgreSQL (`StateStore`,
`SpaceStore`, `HistoryStore`), as `bot.store.state`, `spaces` and `history`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.core.history import RoundAttendance, WeekCounts
from bot.store.base import to_ts
from bot.store.postgres import standings
from bot.store.postgres.base import PgBase
from bot.store.postgres.tx import Tx
from bot.store.spaces import Spaces


class PgState(PgBase):
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
        try:
            row = await self._one("SELECT 1 AS one")
        except (OSError, ConnectionError):
            return False
        return row is not None and row["one"] == 1


class PgSpaces(Spaces, PgBase):
    """`bot.store.spaces`' statements, on PostgreSQL."""


class PgHistory(PgBase):
    async def weekly_answers(
        self, subscription_ids: Sequence[int], since: date
    ) -> list[WeekCounts]:
        if not subscription_ids:
            return []
        rows = await self._all(
            """
            SELECT date_trunc('week', r.local_date::date)::date AS week,
                   COUNT(DISTINCT r.id) AS n, COUNT(a.user_id) AS a,
                   COUNT(DISTINCT a.user_id) AS p
            FROM rounds r LEFT JOIN answers a ON a.round_id = r.id
            WHERE r.subscription_id = ANY(?::bigint[]) AND r.local_date >= ?
            GROUP BY week ORDER BY week
            """,
            (list(subscription_ids), since.isoformat()),
        )
        return [WeekCounts(r["week"], r["n"], r["a"], r["p"]) for r in rows]

    async def rounds_of(
        self, subscription_id: int, user_id: str, since: date
    ) -> list[RoundAttendance]:
        rows = await self._all(
            """
            SELECT r.local_date, r.status = 'revealed' AS revealed,
                   EXISTS (SELECT 1 FROM answers a WHERE a.round_id = r.id AND a.user_id = ?)
                       AS answered
            FROM rounds r WHERE r.subscription_id = ? AND r.local_date >= ?
            ORDER BY r.local_date
            """,
            (user_id, subscription_id, since.isoformat()),
        )
        return [
            RoundAttendance(date.fromisoformat(r["local_date"]), r["revealed"], r["answered"])
            for r in rows
        ]

    async def user_name(self, platform: str, user_id: str) -> str | None:
        row = await self._one(
            "SELECT name FROM users WHERE platform = ? AND user_id = ?", (platform, user_id)
        )
        return str(row["name"]) if row else None

    async def rename_user(self, platform: str, user_id: str, name: str) -> bool:
        """A name learned after the answer was stored under a stand-in: the boards follow."""

        async def unit(tx: Tx) -> bool:
            changed = await tx.execute(
                "UPDATE users SET name = ? WHERE platform = ? AND user_id = ? AND name != ?",
                (name, platform, user_id, name),
            )
            if changed:
                await standings.rename(tx, platform, user_id, name)
            return bool(changed)

        return await self._run(unit)
