"""Streak repairs (`RepairStore`): a repaired round breaks nobody's streak.

Repairing a revealed round derives the channel's streaks again from its history with
`streaks.recompute` (the rule's definition), inside the repair's transaction; repairing an
open round only records it, and its reveal then resets nobody (`answers.reveal_round`).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, datetime

from bot.core.records import StreakRepair
from bot.core.streaks import recompute
from bot.store import standings
from bot.store.base import StoreBase, at, to_ts


def is_repaired(db: sqlite3.Connection, round_id: int) -> bool:
    found = db.execute("SELECT 1 FROM streak_repairs WHERE round_id = ?", (round_id,))
    return found.fetchone() is not None


def _repair_of(row: sqlite3.Row) -> StreakRepair:
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


def recompute_streaks(db: sqlite3.Connection, subscription_id: int) -> None:
    """Set the channel's streaks to the definition over its revealed rounds."""
    standings.fold_log(db)
    rounds = db.execute(
        "SELECT r.id, EXISTS (SELECT 1 FROM streak_repairs p WHERE p.round_id = r.id) AS fixed "
        "FROM rounds r WHERE r.subscription_id = ? AND r.status = 'revealed' "
        "ORDER BY r.revealed_at, r.id",
        (subscription_id,),
    ).fetchall()
    answered: dict[int, set[str]] = defaultdict(set)
    for row in db.execute(
        "SELECT a.round_id, a.user_id FROM answers a JOIN rounds r ON r.id = a.round_id "
        "WHERE r.subscription_id = ? AND r.status = 'revealed'",
        (subscription_id,),
    ):
        answered[row["round_id"]].add(row["user_id"])
    states = recompute(
        [answered[r["id"]] for r in rounds], {n for n, r in enumerate(rounds) if r["fixed"]}
    )
    users = {
        r["user_id"]
        for r in db.execute("SELECT user_id FROM members WHERE subscription_id = ?", (subscription_id,))
    }
    db.executemany(
        "UPDATE members SET current_streak = ?, best_streak = ? "
        "WHERE subscription_id = ? AND user_id = ?",
        (
            (states[u].current if u in states else 0, states[u].best if u in states else 0,
             subscription_id, u)
            for u in users
        ),
    )  # fmt: skip
    standings.refresh_space_streaks(db, subscription_id, users)


class Repairs(StoreBase):
    async def repair_round(
        self, subscription_id: int, local_date: date, by: str | None, now: datetime
    ) -> tuple[StreakRepair, bool] | None:
        """Repair the channel's round of that date: (the repair, whether it is new), or None
        when the channel had no round that day. Repairing twice keeps the first record."""

        def unit(db: sqlite3.Connection) -> tuple[StreakRepair, bool] | None:
            found = db.execute(
                "SELECT id, status FROM rounds WHERE subscription_id = ? AND local_date = ?",
                (subscription_id, local_date.isoformat()),
            ).fetchone()
            if found is None:
                return None
            added = db.execute(
                "INSERT INTO streak_repairs (round_id, subscription_id, repaired_by, repaired_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (round_id) DO NOTHING",
                (found["id"], subscription_id, by, to_ts(now)),
            ).rowcount
            if added and found["status"] == "revealed":
                recompute_streaks(db, subscription_id)
            row = db.execute(f"{_SELECT} WHERE p.round_id = ?", (found["id"],)).fetchone()
            return _repair_of(row), bool(added)

        return await self._run(unit)

    async def streak_repairs(self, subscription_id: int) -> list[StreakRepair]:
        """The channel's repaired rounds, latest date first."""
        rows = await self._all(
            f"{_SELECT} WHERE p.subscription_id = ? ORDER BY r.local_date DESC",
            (subscription_id,),
        )
        return [_repair_of(r) for r in rows]
