"""The outbox on PostgreSQL (`DeliveryStore`), as `bot.store.deliveries`.

The claims (`rounds.claim`) and the reveal (`answers.reveal_round`) write their deliveries with
`add` inside their own units, so a state change and the message it causes commit together.
Several processes may share the table: `claim_deliveries` takes its rows with
`FOR UPDATE SKIP LOCKED` (a row another worker is claiming right now is left to it), and
`mark_delivered` locks a post's round before its delivery, in the order `release_claim` (a
round's delete cascading to its deliveries) and `mark_posted` take them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.core.models import Round
from bot.core.ownership import EVERYTHING, Ownership
from bot.core.records import Delivery, DeliveryKind, DeliveryStatus
from bot.store.base import ROUND_COLUMNS, round_of, to_ts
from bot.store.deliveries import (
    ADD_SQL,
    DELIVERY_COLUMNS,
    UNLEASE_SQL,
    DeliveryUpdates,
    add_params,
    delivery_of,
    owned_filter,
    unleased,
)
from bot.store.postgres.base import PgBase
from bot.store.postgres.tx import Tx

_COLUMNS_D = ", ".join(f"d.{c.strip()}" for c in DELIVERY_COLUMNS.split(","))


async def add(
    tx: Tx,
    kind: DeliveryKind,
    subscription_id: int,
    round_id: int | None,
    now: int,
    *,
    body: str = "",
    not_after: int | None = None,
    lease_until: int | None = None,
    claimed_by: str | None = None,
) -> int | None:
    """Write a delivery, due now; None when the round has one of that kind already (leased
    to its writer with `lease_until`, as `bot.store.deliveries.add`)."""
    new_id = await tx.value(
        ADD_SQL + " RETURNING id",
        add_params(kind, subscription_id, round_id, now, body, not_after, lease_until, claimed_by),
    )
    return None if new_id is None else int(new_id)


async def unlease(tx: Tx, post: Delivery) -> Delivery:
    """A post written leased that must wait for its recap: pending (`deliveries.UNLEASE_SQL`)."""
    await tx.execute(UNLEASE_SQL, (post.id,))
    return unleased(post)


async def one(tx: Tx, delivery_id: int, *, lock: bool = False) -> Delivery | None:
    row = await tx.one(
        f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE id = ?"
        + (" FOR UPDATE" if lock else ""),
        (delivery_id,),
    )
    return delivery_of(row) if row else None


async def post_round(tx: Tx, delivery: Delivery) -> Round | None:
    """A post's round as stored (None for other kinds)."""
    if delivery.kind is not DeliveryKind.POST or delivery.round_id is None:
        return None
    row = await tx.one(f"SELECT {ROUND_COLUMNS} FROM rounds WHERE id = ?", (delivery.round_id,))
    return round_of(row) if row else None


class PgDeliveries(DeliveryUpdates, PgBase):
    async def add_notice(self, subscription_id: int, text: str, now: datetime) -> Delivery:
        async def unit(tx: Tx) -> Delivery:
            added = await add(
                tx, DeliveryKind.NOTICE, subscription_id, None, to_ts(now), body=text
            )
            assert added is not None  # a notice has no round: never a conflict
            found = await one(tx, added)
            assert found is not None
            return found

        return await self._run(unit)

    async def claim_deliveries(
        self,
        now: datetime,
        lease: timedelta,
        limit: int,
        subscription_id: int | None = None,
        owned: Ownership = EVERYTHING,
        *,
        claimed_by: str | None = None,
    ) -> list[Delivery]:
        moment = to_ts(now)
        channel = "" if subscription_id is None else "AND subscription_id = ?"
        params: list[Any] = [moment, moment]
        if subscription_id is not None:
            params.append(subscription_id)
        spaces, owned_params = owned_filter(owned)
        params += [*owned_params, limit, to_ts(now + lease), claimed_by, moment]
        # One statement: the due rows no other transaction holds, locked, then claimed; each
        # row comes back with the status it had (a claimed one past its lease is in doubt).
        sql = f"""
            WITH picked AS (
                SELECT id, status AS was FROM deliveries
                WHERE ((status = 'pending' AND due_at <= ?)
                   OR (status = 'claimed' AND lease_until < ?)) {channel} {spaces}
                ORDER BY due_at, id LIMIT ?
                FOR UPDATE SKIP LOCKED
            )
            UPDATE deliveries d SET status = 'claimed', lease_until = ?, claimed_by = ?,
                attempts = d.attempts + 1, first_claimed_at = COALESCE(d.first_claimed_at, ?)
            FROM picked WHERE d.id = picked.id
            RETURNING {_COLUMNS_D}, picked.was
        """
        rows = await self._all(sql, params)
        claimed = [delivery_of(r, in_doubt=r["was"] == "claimed") for r in rows]
        return sorted(claimed, key=lambda d: (d.due_at, d.id))  # RETURNING keeps no order

    async def mark_delivered(
        self, delivery_id: int, message_id: str, thread_id: str | None, now: datetime
    ) -> tuple[Delivery, Round | None] | None:
        moment = to_ts(now)

        async def unit(tx: Tx) -> tuple[Delivery, Round | None] | None:
            # A post's round is locked first, as release_claim and mark_posted lock them (a
            # delivery's kind and round never change); the update then waits for the
            # delivery's row and checks its status again once it has it.
            post_of = await tx.value(
                "SELECT r.id FROM rounds r JOIN deliveries d ON d.round_id = r.id "
                "WHERE d.id = ? AND d.kind = 'post' FOR UPDATE OF r",
                (delivery_id,),
            )
            row = await tx.one(
                "UPDATE deliveries SET status = 'delivered', message_id = ?, thread_id = ?, "
                "delivered_at = ?, lease_until = NULL, error = NULL "
                f"WHERE id = ? AND status != 'delivered' RETURNING {DELIVERY_COLUMNS}",
                (message_id, thread_id, moment, delivery_id),
            )
            if row is None:  # gone, or delivered meanwhile: as it is
                found = await one(tx, delivery_id)
                return None if found is None else (found, await post_round(tx, found))
            done = delivery_of(row)
            if post_of is None:
                return done, None
            posted = await tx.one(
                f"""
                UPDATE rounds SET status = 'posted', message_id = ?, thread_id = ?,
                    posted_at = ?, reveal_at = reveal_at + GREATEST(0, ?::bigint - claimed_at)
                WHERE id = ? AND status = 'claimed' RETURNING {ROUND_COLUMNS}
                """,
                (message_id, thread_id or message_id, moment, moment, post_of),
            )
            return done, round_of(posted) if posted else await post_round(tx, done)

        return await self._run(unit)

    async def deliveries(
        self, subscription_id: int, statuses: Sequence[DeliveryStatus] | None = None
    ) -> list[Delivery]:
        sql = f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE subscription_id = ?"
        params: list[Any] = [subscription_id]
        if statuses is not None:
            sql += " AND status = ANY(?::text[])"
            params.append([s.value for s in statuses])
        return [delivery_of(r) for r in await self._all(sql + " ORDER BY id", params)]

    async def delivery(self, delivery_id: int) -> Delivery | None:
        return await self._run(lambda tx: one(tx, delivery_id))

    async def round_delivery(self, round_id: int, kind: DeliveryKind) -> Delivery | None:
        row = await self._one(
            f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE round_id = ? AND kind = ?",
            (round_id, kind.value),
        )
        return delivery_of(row) if row else None
