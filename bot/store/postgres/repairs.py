"""Streak repairs on PostgreSQL (`RepairStore`), as `bot.store.repairs` (whose text this
follows): repairing a revealed round derives the channel's streaks again with
`streaks.recompute`, inside the repair's transaction.

A repair locks its round's row (`FOR UPDATE`), as a reveal does, so the two never interleave:
a reveal after a repair sees it and resets nobody, and a repair after a reveal recomputes.
The recompute takes the standings lock (`fold_log`) before any row of members, as a reveal
does, so a reveal of another round of the channel comes wholly before or after it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import asyncpg

from bot.core.records import StreakRepair
from bot.core.streaks import recompute
from bot.store.base import at, to_ts
from bot.store.postgres import standings
from bot.store.postgres.base import PgBase
from bot.store.postgres.tx import Tx


async def is_repaired(tx: Tx, round_id: int) -> bool:
    found = await tx.one("SELECT 1 FROM streak_repairs WHERE round_id = ?", (round_id,))
    return found is not None


def _repair_of(row: asyncpg.Record) -> StreakRepair:
    return StreakRepair(
        subscription_id=row["subscription_id"],
        round_id=row["round_id"],
        local_date=date.fromisoformat(row["local_date"]),
        repaired_by=row["repaired_by"],
        repaired_at=at(row["repaired_at"]),
    )


_SELECT = (
    "SELECT p.round_id, p.subscription_id, p.repaired_by, p.repaired_at, r.local_date "
    "FROM streak_repairs p JOIN rounds r ON r.id = p.round_id"
)


async def recompute_streaks(tx: Tx, subscription_id: int) -> None:
    """Set the channel's streaks to the definition over its revealed rounds."""
    await standings.fold_log(tx)  # takes the standings lock before any row of members
    rounds = await tx.all(
        "SELECT r.id, EXISTS (SELECT 1 FROM streak_repairs p WHERE p.round_id = r.id) AS fixed "
        "FROM rounds r WHERE r.subscription_id = ? AND r.status = 'revealed' "
        "ORDER BY r.revealed_at, r.id",
        (subscription_id,),
    )
    answered: dict[int, set[str]] = defaultdict(set)
    for row in await tx.all(
        "SELECT a.round_id, a.user_id FROM answers a JOIN rounds r ON r.id = a.round_id "
        "WHERE r.subscription_id = ? AND r.status = 'revealed'",
        (subscription_id,),
    ):
        answered[row["round_id"]].add(row["user_id"])
    states = recompute(
        [answered[r["id"]] for r in rounds], {n for n, r in enumerate(rounds) if r["fixed"]}
    )
    users = sorted(
        r["user_id"]
        for r in await tx.all(
            "SELECT user_id FROM members WHERE subscription_id = ?", (subscription_id,)
        )
    )
    await tx.execute(
        """
        UPDATE members SET current_streak = s.current, best_streak = s.best
        FROM unnest(?::text[], ?::int[], ?::int[]) AS s (user_id, current, best)
        WHERE members.subscription_id = ? AND members.user_id = s.user_id
        """,
        (
            users,
            [states[u].current if u in states else 0 for u in users],
            [states[u].best if u in states else 0 for u in users],
            subscription_id,
        ),
    )
    await standings.refresh_space_streaks(tx, subscription_id, set(users))


class PgRepairs(PgBase):
    async def repair_round(
        self, subscription_id: int, local_date: date, by: str | None, now: datetime
    ) -> tuple[StreakRepair, bool] | None:
        """Repair the channel's round of that date: (the repair, whether it is new), or None
        when the channel had no round that day. Repairing twice keeps the first record."""

        async def unit(tx: Tx) -> tuple[StreakRepair, bool] | None:
            found = await tx.one(
                "SELECT id, status FROM rounds WHERE subscription_id = ? AND local_date = ? "
                "FOR UPDATE",
                (subscription_id, local_date.isoformat()),
            )
            if found is None:
                return None
            added = await tx.execute(
                "INSERT INTO streak_repairs (round_id, subscription_id, repaired_by, repaired_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (round_id) DO NOTHING",
                (found["id"], subscription_id, by, to_ts(now)),
            )
            if added and found["status"] == "revealed":
                await recompute_streaks(tx, subscription_id)
            row = await tx.one(f"{_SELECT} WHERE p.round_id = ?", (found["id"],))
            assert row is not None, "the repair was just recorded or was there"
            return _repair_of(row), bool(added)

        return await self._run(unit)

    async def streak_repairs(self, subscription_id: int) -> list[StreakRepair]:
        """The channel's repaired rounds, latest date first."""
        rows = await self._all(
            f'{_SELECT} WHERE p.subscription_id = ? ORDER BY r.local_date DESC',
            (subscription_id,),
        )
        return [_repair_of(r) for r in rows]
