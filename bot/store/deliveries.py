"""The outbox (`DeliveryStore`): deliveries, claimed under a lease, delivered or parked.

The claims (`rounds.claim`) and the reveal (`answers.reveal_round`) write their deliveries with
`add` inside their own units, so a state change and the message it causes commit together.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, cast

from bot.core.models import Round
from bot.core.ownership import EVERYTHING, Ownership
from bot.core.records import Delivery, DeliveryKind, DeliveryStatus
from bot.store.base import ROUND_COLUMNS, Row, StoreBase, at, from_ts, round_of, to_ts
from bot.store.statements import Statements

DELIVERY_COLUMNS = (
    "id, kind, subscription_id, round_id, body, status, due_at, not_after, attempts, "
    "first_claimed_at, message_id, thread_id, error, claimed_by"
)


def delivery_of(row: Row, *, in_doubt: bool = False) -> Delivery:
    """A delivery from a row of `DELIVERY_COLUMNS` (a sqlite3.Row, or an asyncpg.Record)."""
    return Delivery(
        id=row["id"],
        kind=DeliveryKind(row["kind"]),
        subscription_id=row["subscription_id"],
        round_id=row["round_id"],
        body=row["body"],
        status=DeliveryStatus(row["status"]),
        due_at=at(row["due_at"]),
        not_after=from_ts(row["not_after"]),
        attempts=row["attempts"],
        first_claimed_at=from_ts(row["first_claimed_at"]),
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        error=row["error"],
        claimed_by=row["claimed_by"],
        in_doubt=in_doubt,
    )


# A delivery written already claimed by its writer (`lease_until` given), or pending.
ADD_SQL = """
    INSERT INTO deliveries (kind, subscription_id, round_id, body, due_at, not_after,
        created_at, status, lease_until, attempts, first_claimed_at, claimed_by)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING
"""


def add_params(
    kind: DeliveryKind,
    subscription_id: int,
    round_id: int | None,
    now: int,
    body: str,
    not_after: int | None,
    lease_until: int | None,
    claimed_by: str | None = None,
) -> tuple[object, ...]:
    leased = lease_until is not None
    return (
        kind.value, subscription_id, round_id, body, now, not_after, now,
        "claimed" if leased else "pending", lease_until, int(leased), now if leased else None,
        claimed_by if leased else None,
    )  # fmt: skip


# A post written leased to its claimer that must wait its turn (a recap goes first): pending,
# as if written so, for the worker to send after the recap.
UNLEASE_SQL = (
    "UPDATE deliveries SET status = 'pending', lease_until = NULL, attempts = 0, "
    "first_claimed_at = NULL, claimed_by = NULL WHERE id = ? AND status = 'claimed'"
)


def unleased(post: Delivery) -> Delivery:
    """`post` as UNLEASE_SQL leaves it."""
    return replace(
        post, status=DeliveryStatus.PENDING, attempts=0, first_claimed_at=None, claimed_by=None
    )


def unlease(db: sqlite3.Connection, post: Delivery) -> Delivery:
    db.execute(UNLEASE_SQL, (post.id,))
    return unleased(post)


def owned_filter(owned: Ownership) -> tuple[str, list[Any]]:
    """`AND …` keeping the deliveries whose channel is in an owned space (`Ownership.owns`),
    for SQLite and PostgreSQL alike; nothing when everything is owned. A sharded platform's
    space ids are numbers (Discord's guild ids): the CASE keeps the cast to those rows."""
    if owned.whole:
        return "", []
    tests, params = [], []
    for part in owned.shards:
        ids = ", ".join(str(int(i)) for i in sorted(part.ids)) or "NULL"
        tests.append(
            f"CASE WHEN platform = ? THEN (CAST(space_id AS BIGINT) >> {int(part.shift)}) "
            f"% {int(part.count)} IN ({ids}) ELSE TRUE END"
        )
        params.append(part.platform)
    return f"AND subscription_id IN (SELECT id FROM subscriptions WHERE {' AND '.join(tests)})", params


def add(
    db: sqlite3.Connection,
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
    """Write a delivery, due now; None when the round has one of that kind already.

    With `lease_until` it is written claimed until then, its first attempt begun: the writer
    sends it at once (as if it had claimed it with `claim_deliveries`).
    """
    inserted = db.execute(
        ADD_SQL,
        add_params(kind, subscription_id, round_id, now, body, not_after, lease_until, claimed_by),
    )
    return cast(int, inserted.lastrowid) if inserted.rowcount == 1 else None


def written(
    delivery_id: int,
    kind: DeliveryKind,
    subscription_id: int,
    round_id: int | None,
    now: int,
    *,
    not_after: int | None = None,
    lease_until: int | None = None,
    claimed_by: str | None = None,
) -> Delivery:
    """The delivery `add` has just written (no need to read it back)."""
    leased = lease_until is not None
    return Delivery(
        id=delivery_id, kind=kind, subscription_id=subscription_id, round_id=round_id, body="",
        status=DeliveryStatus.CLAIMED if leased else DeliveryStatus.PENDING, due_at=at(now),
        not_after=from_ts(not_after), attempts=int(leased),
        first_claimed_at=at(now) if leased else None, message_id=None, thread_id=None,
        error=None, claimed_by=claimed_by if leased else None,
    )  # fmt: skip


def post_round(db: sqlite3.Connection, delivery: Delivery) -> Round | None:
    """A post's round as stored (None for other kinds)."""
    if delivery.kind is not DeliveryKind.POST or delivery.round_id is None:
        return None
    row = db.execute(
        f"SELECT {ROUND_COLUMNS} FROM rounds WHERE id = ?", (delivery.round_id,)
    ).fetchone()
    return round_of(row) if row else None


def one(db: sqlite3.Connection, delivery_id: int) -> Delivery | None:
    row = db.execute(
        f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE id = ?", (delivery_id,)
    ).fetchone()
    return delivery_of(row) if row else None


class DeliveryUpdates:
    """A delivery's one-statement moves, the same on both stores (`bot.store.statements`)."""

    async def retry_delivery(
        self: Statements, delivery_id: int, due_at: datetime, error: str, now: datetime
    ) -> None:
        await self._write(
            "UPDATE deliveries SET status = 'pending', due_at = ?, error = ?, lease_until = NULL "
            "WHERE id = ? AND status = 'claimed'",
            (to_ts(due_at), error, delivery_id),
        )

    async def park_delivery(
        self: Statements, delivery_id: int, error: str, now: datetime
    ) -> bool:
        changed = await self._write(
            "UPDATE deliveries SET status = 'parked', error = ?, lease_until = NULL "
            "WHERE id = ? AND status IN ('pending', 'claimed')",
            (error, delivery_id),
        )
        return changed == 1

    async def resume_deliveries(
        self: Statements, subscription_id: int, now: datetime
    ) -> int:
        return await self._write(
            "UPDATE deliveries SET status = 'pending', due_at = ? "
            "WHERE subscription_id = ? AND status = 'parked'",
            (to_ts(now), subscription_id),
        )


class Deliveries(DeliveryUpdates, StoreBase):
    async def add_notice(self, subscription_id: int, text: str, now: datetime) -> Delivery:
        def unit(db: sqlite3.Connection) -> Delivery:
            added = add(db, DeliveryKind.NOTICE, subscription_id, None, to_ts(now), body=text)
            assert added is not None  # a notice has no round: never a conflict
            found = one(db, added)
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
        params += owned_params

        def unit(db: sqlite3.Connection) -> list[Delivery]:
            rows = db.execute(
                f"""
                SELECT {DELIVERY_COLUMNS} FROM deliveries
                WHERE status IN ('pending', 'claimed')  -- lets the partial index serve: no scan
                  AND ((status = 'pending' AND due_at <= ?)
                   OR (status = 'claimed' AND lease_until < ?)) {channel} {spaces}
                ORDER BY due_at, id LIMIT ?
                """,
                (*params, limit),
            ).fetchall()
            claimed = []
            for row in rows:
                db.execute(
                    """
                    UPDATE deliveries SET status = 'claimed', lease_until = ?, claimed_by = ?,
                        attempts = attempts + 1, first_claimed_at = COALESCE(first_claimed_at, ?)
                    WHERE id = ?
                    """,
                    (to_ts(now + lease), claimed_by, moment, row["id"]),
                )
                fresh = one(db, row["id"])
                assert fresh is not None
                claimed.append(
                    Delivery(**{**fresh.__dict__, "in_doubt": row["status"] == "claimed"})
                )
            return claimed

        return await self._run(unit)

    async def mark_delivered(
        self, delivery_id: int, message_id: str, thread_id: str | None, now: datetime
    ) -> tuple[Delivery, Round | None] | None:
        moment = to_ts(now)

        def unit(db: sqlite3.Connection) -> tuple[Delivery, Round | None] | None:
            row = db.execute(
                "UPDATE deliveries SET status = 'delivered', message_id = ?, thread_id = ?, "
                "delivered_at = ?, lease_until = NULL, error = NULL "
                f"WHERE id = ? AND status != 'delivered' RETURNING {DELIVERY_COLUMNS}",
                (message_id, thread_id, moment, delivery_id),
            ).fetchone()
            if row is None:  # gone, or delivered before: as it is
                found = one(db, delivery_id)
                return None if found is None else (found, post_round(db, found))
            done = delivery_of(row)
            if done.kind is not DeliveryKind.POST or done.round_id is None:
                return done, None
            posted = db.execute(
                f"""
                UPDATE rounds SET status = 'posted', message_id = ?, thread_id = ?,
                    posted_at = ?, reveal_at = reveal_at + MAX(0, ? - claimed_at)
                WHERE id = ? AND status = 'claimed' RETURNING {ROUND_COLUMNS}
                """,
                (message_id, thread_id or message_id, moment, moment, done.round_id),
            ).fetchone()
            return done, round_of(posted) if posted else post_round(db, done)

        return await self._run(unit)

    async def deliveries(
        self, subscription_id: int, statuses: Sequence[DeliveryStatus] | None = None
    ) -> list[Delivery]:
        sql = f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE subscription_id = ?"
        params: list[Any] = [subscription_id]
        if statuses is not None:
            sql += f" AND status IN ({', '.join('?' for _ in statuses)})"
            params += [s.value for s in statuses]
        return [delivery_of(r) for r in await self._all(sql + " ORDER BY id", params)]

    async def delivery(self, delivery_id: int) -> Delivery | None:
        return await self._run(lambda db: one(db, delivery_id))

    async def round_delivery(self, round_id: int, kind: DeliveryKind) -> Delivery | None:
        row = await self._one(
            f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE round_id = ? AND kind = ?",
            (round_id, kind.value),
        )
        return delivery_of(row) if row else None
