"""Read-only history for the pictures: a channel's answers per week, and one person's rounds.

Plain functions over the connection: the store runs each as a unit on its connection thread
(as every unit of the store does); they read and write nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from bot.core.history import RoundAttendance, WeekCounts
from bot.store import standings
from bot.store.base import StoreBase


def weekly_answers(
    db: sqlite3.Connection, subscription_ids: Sequence[int], since: date
) -> list[WeekCounts]:
    marks = ", ".join("?" for _ in subscription_ids)
    # date(d, 'weekday 0', '-6 days'): the Monday of d's week (a Sunday stays, then back six).
    rows = db.execute(
        f"""
        SELECT date(r.local_date, 'weekday 0', '-6 days') AS week, COUNT(DISTINCT r.id),
               COUNT(a.user_id), COUNT(DISTINCT a.user_id)
        FROM rounds r LEFT JOIN answers a ON a.round_id = r.id
        WHERE r.subscription_id IN ({marks}) AND r.local_date >= ?
        GROUP BY week ORDER BY week
        """,
        (*subscription_ids, since.isoformat()),
    ).fetchall()
    return [WeekCounts(date.fromisoformat(w), n, a, p) for w, n, a, p in rows]


def rounds_of(
    db: sqlite3.Connection, subscription_id: int, user_id: str, since: date
) -> list[RoundAttendance]:
    rows = db.execute(
        """
        SELECT r.local_date, r.status = 'revealed',
               EXISTS (SELECT 1 FROM answers a WHERE a.round_id = r.id AND a.user_id = ?)
        FROM rounds r WHERE r.subscription_id = ? AND r.local_date >= ?
        ORDER BY r.local_date
        """,
        (user_id, subscription_id, since.isoformat()),
    ).fetchall()
    return [RoundAttendance(date.fromisoformat(d), bool(v), bool(a)) for d, v, a in rows]


class History(StoreBase):
    """What the pictures read (`HistoryStore`)."""

    async def weekly_answers(
        self, subscription_ids: Sequence[int], since: date
    ) -> list[WeekCounts]:
        """Per week (Monday first) with a round since `since`: rounds, answers, people answering."""
        if not subscription_ids:
            return []
        ids = tuple(subscription_ids)
        return await self._run(lambda db: weekly_answers(db, ids, since))

    async def rounds_of(
        self, subscription_id: int, user_id: str, since: date
    ) -> list[RoundAttendance]:
        """A channel's rounds dated `since` or later, oldest first, with whether `user_id` answered."""
        return await self._run(lambda db: rounds_of(db, subscription_id, user_id, since))

    async def user_name(self, platform: str, user_id: str) -> str | None:
        """The name a person was last seen with, if ever."""
        row = await self._one(
            "SELECT name FROM users WHERE platform = ? AND user_id = ?", (platform, user_id)
        )
        return str(row["name"]) if row else None

    async def rename_user(self, platform: str, user_id: str, name: str) -> bool:
        """A person's display name, learned after their answer was stored under a stand-in
        (an adapter never waits for a name before storing): the boards follow. False when the
        person is not stored, or already has this name."""

        def rename(db: sqlite3.Connection) -> bool:
            changed = db.execute(
                "UPDATE users SET name = ? WHERE platform = ? AND user_id = ? AND name != ?",
                (name, platform, user_id, name),
            ).rowcount
            if changed:
                standings.rename(db, platform, user_id, name)
            return bool(changed)

        return await self._run(rename)
