"""The outbox's kinds beyond posts and reveals on PostgreSQL, as `bot.store.outbox_kinds`."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.models import Round, Subscription
from bot.core.recap import recap_week
from bot.core.records import Delivery, DeliveryKind
from bot.core.spaces import WEEKLY_RECAP, stored_value
from bot.store.base import to_ts
from bot.store.outbox_kinds import FEEDBACK_WANTED, HAD_ROUNDS, RECAP_SETTING
from bot.store.postgres import deliveries
from bot.store.postgres.base import PgBase
from bot.store.postgres.tx import Tx


async def add_recap(
    tx: Tx, subscription: Subscription, round: Round, now: int, not_after: int | None
) -> int | None:
    week = recap_week(subscription, round)
    if week is None:
        return None
    channel = subscription.channel
    value = await tx.value(
        RECAP_SETTING, (channel.platform, channel.space_id, channel.channel_id, WEEKLY_RECAP.key)
    )
    if not stored_value(WEEKLY_RECAP, value):
        return None
    end = week + timedelta(weeks=1)
    if await tx.one(HAD_ROUNDS, (subscription.id, week.isoformat(), end.isoformat())) is None:
        return None
    return await deliveries.add(
        tx, DeliveryKind.RECAP, subscription.id, round.id, now, body=week.isoformat(),
        not_after=not_after,
    )  # fmt: skip


async def add_feedback(
    tx: Tx, subscription_id: int, round_id: int, platform: str, now: int
) -> None:
    await tx.execute(FEEDBACK_WANTED, (subscription_id, round_id, now, now, platform, round_id))


class PgOutboxKinds(PgBase):
    async def report_problem(
        self, subscription_id: int, problem: str, *, pause: bool, now: datetime
    ) -> Delivery | None:
        moment = to_ts(now)

        async def unit(tx: Tx) -> Delivery | None:
            row = await tx.one(
                "SELECT problem FROM subscriptions WHERE id = ? FOR UPDATE", (subscription_id,)
            )
            if row is None or row["problem"] == problem:
                return None
            await tx.execute(
                "UPDATE subscriptions SET problem = ?, active = CASE WHEN ? THEN 0 ELSE active "
                "END, updated_at = ? WHERE id = ?",
                (problem, pause, moment, subscription_id),
            )
            added = await deliveries.add(
                tx, DeliveryKind.NOTICE, subscription_id, None, moment, body=problem
            )
            return await deliveries.one(tx, added) if added is not None else None

        return await self._run(unit)

    async def drop_delivery(self, delivery_id: int, reason: str, now: datetime) -> bool:
        changed = await self._write(
            "UPDATE deliveries SET status = 'dropped', error = ?, lease_until = NULL "
            "WHERE id = ? AND status IN ('pending', 'claimed')",
            (reason, delivery_id),
        )
        return changed == 1
