"""Rounds on PostgreSQL (`RoundStore`), as `bot.store.rounds`.

A claim locks the channel's subscription row first (`FOR UPDATE`), so two processes claiming
the same channel's day take turns: the second finds the day held.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, cast

from bot.core.models import Round, RoundStatus, Subscription
from bot.core.records import CycleState, DeliveryKind, DueClaim, DuePlan
from bot.core.rules import due_claim, next_pick
from bot.core.schedule import day_is_free
from bot.store.base import (
    ROUND_COLUMNS,
    SUBSCRIPTION_COLUMNS,
    from_ts,
    round_of,
    subscription_of,
    to_ts,
)
from bot.store.postgres import deliveries
from bot.store.postgres.base import PgBase
from bot.store.postgres.outbox_kinds import add_recap
from bot.store.postgres.tx import Tx


async def cycle_state(tx: Tx, subscription_id: int) -> CycleState:
    rows = await tx.all(
        """
        SELECT question_id, cycle FROM rounds WHERE subscription_id = ?
          AND cycle = (SELECT MAX(cycle) FROM rounds WHERE subscription_id = ?)
        ORDER BY local_date DESC
        """,
        (subscription_id, subscription_id),
    )
    if not rows:
        return CycleState(0, frozenset(), None)
    latest = rows[0]
    return CycleState(
        latest["cycle"], frozenset(r["question_id"] for r in rows), latest["question_id"]
    )


async def claim(
    tx: Tx,
    subscription_id: int,
    local_date: date,
    question_id: str,
    cycle: int,
    kind: Literal["scheduled", "manual"],
    now: datetime,
    reveal_at: datetime,
    deliver_until: datetime | None = None,
) -> Round | None:
    """Insert a claim and its post delivery (of no use after `deliver_until`, else the reveal)."""
    new_id = await tx.value(
        """
        INSERT INTO rounds (subscription_id, local_date, question_id, cycle, kind, status,
            claimed_at, reveal_at)
        VALUES (?, ?, ?, ?, ?, 'claimed', ?, ?)
        ON CONFLICT (subscription_id, local_date) DO NOTHING RETURNING id
        """,
        (subscription_id, local_date.isoformat(), question_id, cycle, kind,
         to_ts(now), to_ts(reveal_at)),
    )  # fmt: skip
    if new_id is None:
        return None
    round_id = int(new_id)
    await deliveries.add(
        tx, DeliveryKind.POST, subscription_id, round_id, to_ts(now),
        not_after=to_ts(deliver_until or reveal_at),
    )  # fmt: skip
    return Round(
        id=round_id, subscription_id=subscription_id, local_date=local_date,
        question_id=question_id, cycle=cycle, kind=kind, status=RoundStatus.CLAIMED,
        reveal_at=cast(datetime, from_ts(to_ts(reveal_at))), posted_at=None, revealed_at=None,
        message_id=None, thread_id=None,
    )  # fmt: skip


async def round_marks(tx: Tx, subscription_id: int) -> tuple[date | None, datetime | None]:
    row = await tx.one(
        "SELECT MAX(local_date) AS last_date, MAX(claimed_at) AS last_claimed FROM rounds "
        "WHERE subscription_id = ?",
        (subscription_id,),
    )
    assert row is not None
    last_date = date.fromisoformat(row["last_date"]) if row["last_date"] else None
    return last_date, from_ts(row["last_claimed"])


async def claim_next(tx: Tx, subscription_id: int, due: DueClaim) -> tuple[Round, bool]:
    """As `bot.store.rounds.claim_next`, with the channel's row locked for the transaction."""
    await tx.execute("SELECT 1 FROM subscriptions WHERE id = ? FOR UPDATE", (subscription_id,))
    taken = await tx.one(
        f"SELECT {ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? AND local_date = ?",
        (subscription_id, due.local_date.isoformat()),
    )
    if taken is not None:
        return round_of(taken), False
    last_date, last_posted = await round_marks(tx, subscription_id)
    if not day_is_free(due.local_date, due.timezone, last_date, last_posted):
        latest = await tx.one(
            f"SELECT {ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? "
            "ORDER BY claimed_at DESC, id DESC LIMIT 1",
            (subscription_id,),
        )
        assert latest is not None
        return round_of(latest), False
    pick = next_pick(due.choice, await cycle_state(tx, subscription_id))
    claimed = await claim(
        tx, subscription_id, due.local_date, pick.question_id, pick.cycle, due.kind, due.now,
        due.reveal_at, due.deliver_until,
    )  # fmt: skip
    assert claimed is not None  # the date was free, and the channel is locked
    return claimed, True


class PgRounds(PgBase):
    async def claim_round(
        self,
        subscription_id: int,
        local_date: date,
        question_id: str,
        cycle: int,
        kind: Literal["scheduled", "manual"],
        now: datetime,
        reveal_at: datetime,
    ) -> Round | None:
        return await self._run(
            lambda tx: claim(
                tx, subscription_id, local_date, question_id, cycle, kind, now, reveal_at
            )
        )

    async def claim_next_round(self, subscription_id: int, due: DueClaim) -> tuple[Round, bool]:
        return await self._run(lambda tx: claim_next(tx, subscription_id, due))

    async def claim_due_round(
        self, subscription_id: int, plan: DuePlan
    ) -> tuple[Subscription | None, Round | None, bool]:
        async def unit(tx: Tx) -> tuple[Subscription | None, Round | None, bool]:
            row = await tx.one(
                f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = ? FOR UPDATE",
                (subscription_id,),
            )
            if row is None:
                return None, None, False
            subscription = subscription_of(row)
            due = due_claim(subscription, plan)
            if due is None:
                return subscription, None, False
            claimed, fresh = await claim_next(tx, subscription_id, due)
            if fresh:  # the week's first scheduled round brings its recap (when opted in)
                await add_recap(
                    tx, subscription, claimed, to_ts(due.now),
                    to_ts(due.deliver_until or due.reveal_at),
                )  # fmt: skip
            return subscription, claimed, fresh

        return await self._run(unit)

    async def mark_posted(
        self,
        round_id: int,
        message_id: str,
        thread_id: str,
        posted_at: datetime,
        reveal_at: datetime,
    ) -> Round:
        async def unit(tx: Tx) -> Round:
            await tx.execute(
                "UPDATE rounds SET status = 'posted', message_id = ?, thread_id = ?, posted_at = ?, "
                "reveal_at = ? WHERE id = ? AND status = 'claimed'",
                (message_id, thread_id, to_ts(posted_at), to_ts(reveal_at), round_id),
            )
            await tx.execute(  # its post delivery went out with it
                "UPDATE deliveries SET status = 'delivered', message_id = ?, thread_id = ?, "
                "delivered_at = ?, lease_until = NULL WHERE round_id = ? AND kind = 'post' "
                "AND status != 'delivered'",
                (message_id, thread_id, to_ts(posted_at), round_id),
            )
            row = await tx.one(f"SELECT {ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,))
            assert row is not None
            return round_of(row)

        return await self._run(unit)

    async def release_claim(self, round_id: int) -> None:
        await self._write("DELETE FROM rounds WHERE id = ? AND status = 'claimed'", (round_id,))

    async def round(self, round_id: int) -> Round | None:
        row = await self._one(f"SELECT {ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,))
        return round_of(row) if row else None

    async def round_marks(self, subscription_id: int) -> tuple[date | None, datetime | None]:
        return await self._run(lambda tx: round_marks(tx, subscription_id))

    async def rounds_with_status(
        self, status: RoundStatus, subscription_id: int | None = None
    ) -> list[Round]:
        sql = f"SELECT {ROUND_COLUMNS} FROM rounds WHERE status = ?"
        params: list[Any] = [status.value]
        if subscription_id is not None:
            sql += " AND subscription_id = ?"
            params.append(subscription_id)
        rows = await self._all(sql + " ORDER BY local_date, id", params)
        return [round_of(r) for r in rows]

    async def rounds_revealed_since(self, since: datetime) -> list[Round]:
        rows = await self._all(
            f"SELECT {ROUND_COLUMNS} FROM rounds WHERE status = 'revealed' AND revealed_at >= ? "
            "ORDER BY revealed_at, id",
            (to_ts(since),),
        )
        return [round_of(r) for r in rows]

    async def latest_round(self, subscription_id: int) -> Round | None:
        row = await self._one(
            f"SELECT {ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? "
            "ORDER BY local_date DESC LIMIT 1",
            (subscription_id,),
        )
        return round_of(row) if row else None
