"""Subscriptions on PostgreSQL (`SubscriptionStore`), as `bot.store.subscriptions`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.models import ChannelRef, Subscription
from bot.core.schedule import Schedule, days_to_cron
from bot.store.base import SUBSCRIPTION_COLUMNS, subscription_of, to_ts
from bot.store.postgres.base import PgBase

_BY_CHANNEL = (
    f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions "
    "WHERE platform = ? AND space_id = ? AND channel_id = ?"
)


class PgSubscriptions(PgBase):
    async def save_subscription(
        self,
        channel: ChannelRef,
        schedule: Schedule,
        packs: Sequence[str] | None,
        subscribed_by: str | None,
        now: datetime,
    ) -> Subscription:
        """Create or replace a channel's subscription; it becomes active with no problem."""
        where = (channel.platform, channel.space_id, channel.channel_id)
        row = await self._one(
            f"""
            INSERT INTO subscriptions (platform, space_id, channel_id, post_time, timezone, days,
                reveal_after_s, packs, active, problem, subscribed_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?)
            ON CONFLICT (platform, space_id, channel_id) DO UPDATE SET
                post_time = excluded.post_time, timezone = excluded.timezone,
                days = excluded.days, reveal_after_s = excluded.reveal_after_s,
                packs = excluded.packs, active = 1, problem = NULL,
                subscribed_by = excluded.subscribed_by, updated_at = excluded.updated_at
            RETURNING {SUBSCRIPTION_COLUMNS}
            """,
            (
                *where, f"{schedule.post_time:%H:%M}", schedule.timezone,
                days_to_cron(schedule.days), int(schedule.reveal_after.total_seconds()),
                ",".join(packs) if packs else None, subscribed_by, to_ts(now), to_ts(now),
            ),
        )  # fmt: skip
        assert row is not None
        return subscription_of(row)

    async def subscription(self, channel: ChannelRef) -> Subscription | None:
        row = await self._one(_BY_CHANNEL, (channel.platform, channel.space_id, channel.channel_id))
        return subscription_of(row) if row else None

    async def subscription_by_id(self, subscription_id: int) -> Subscription | None:
        row = await self._one(
            f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = ?", (subscription_id,)
        )
        return subscription_of(row) if row else None

    async def subscriptions(self, *, active_only: bool = True) -> list[Subscription]:
        where = "WHERE active = 1" if active_only else ""
        rows = await self._all(
            f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions {where} ORDER BY id"
        )
        return [subscription_of(r) for r in rows]

    async def set_subscription_state(
        self, subscription_id: int, *, active: bool, problem: str | None, now: datetime
    ) -> None:
        await self._write(
            "UPDATE subscriptions SET active = ?, problem = ?, updated_at = ? WHERE id = ?",
            (int(active), problem, to_ts(now), subscription_id),
        )
