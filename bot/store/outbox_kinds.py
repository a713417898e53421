"""The outbox's kinds beyond posts and reveals (`DeliveryStore`): the weekly recap written by a
week's first scheduled claim, each opted-in answerer's feedback written by the reveal, and the
admin's notice written with the channel's problem; and dropping what is of no use any more.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.core.models import Round, Subscription
from bot.core.recap import recap_week
from bot.core.records import Delivery, DeliveryKind
from bot.core.spaces import WEEKLY_RECAP, stored_value
from bot.store import deliveries
from bot.store.base import StoreBase, to_ts

# A week had rounds: only then is there something to sum up.
HAD_ROUNDS = "SELECT 1 FROM rounds WHERE subscription_id = ? AND local_date >= ? AND local_date < ?"
RECAP_SETTING = (
    "SELECT value FROM channel_settings "
    "WHERE platform = ? AND space_id = ? AND channel_id = ? AND key = ?"
)
# Everyone who answered the round on time and asked for private feedback on daily rounds.
FEEDBACK_WANTED = """
    INSERT INTO deliveries (kind, subscription_id, round_id, body, due_at, created_at)
    SELECT 'feedback', ?, ?, a.user_id, ?, ? FROM answers a
    JOIN user_settings u ON u.platform = ? AND u.user_id = a.user_id AND u.daily_feedback = 1
    WHERE a.round_id = ? ORDER BY a.answered_at, a.user_id
    ON CONFLICT DO NOTHING
"""


def add_recap(
    db: sqlite3.Connection, subscription: Subscription, round: Round, now: int,
    not_after: int | None,
) -> int | None:  # fmt: skip
    """A fresh claim's recap, when `recap.recap_week` says one is due, the channel opted in,
    and that week had rounds (at most one per channel and week: a unique key)."""
    week = recap_week(subscription, round)
    if week is None:
        return None
    channel = subscription.channel
    row = db.execute(
        RECAP_SETTING, (channel.platform, channel.space_id, channel.channel_id, WEEKLY_RECAP.key)
    ).fetchone()
    if not stored_value(WEEKLY_RECAP, row["value"] if row else None):
        return None
    end = week + timedelta(weeks=1)
    if db.execute(HAD_ROUNDS, (subscription.id, week.isoformat(), end.isoformat())).fetchone() is None:
        return None
    return deliveries.add(
        db, DeliveryKind.RECAP, subscription.id, round.id, now, body=week.isoformat(),
        not_after=not_after,
    )  # fmt: skip


def add_feedback(
    db: sqlite3.Connection, subscription_id: int, round_id: int, platform: str, now: int
) -> None:
    """A revealed round's feedback deliveries, one per opted-in answerer."""
    db.execute(FEEDBACK_WANTED, (subscription_id, round_id, now, now, platform, round_id))


class OutboxKinds(StoreBase):
    async def report_problem(
        self, subscription_id: int, problem: str, *, pause: bool, now: datetime
    ) -> Delivery | None:
        moment = to_ts(now)

        def unit(db: sqlite3.Connection) -> Delivery | None:
            row = db.execute(
                "SELECT problem FROM subscriptions WHERE id = ?", (subscription_id,)
            ).fetchone()
            if row is None or row["problem"] == problem:
                return None
            db.execute(
                "UPDATE subscriptions SET problem = ?, active = CASE WHEN ? THEN 0 ELSE active "
                "END, updated_at = ? WHERE id = ?",
                (problem, int(pause), moment, subscription_id),
            )
            added = deliveries.add(
                db, DeliveryKind.NOTICE, subscription_id, None, moment, body=problem
            )
            return deliveries.one(db, added) if added is not None else None

        return await self._run(unit)

    async def drop_delivery(self, delivery_id: int, reason: str, now: datetime) -> bool:
        changed = await self._write(
            "UPDATE deliveries SET status = 'dropped', error = ?, lease_until = NULL "
            "WHERE id = ? AND status IN ('pending', 'claimed')",
            (reason, delivery_id),
        )
        return changed == 1
