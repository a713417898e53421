"""Rounds on PostgreSQL (`RoundStore`), as `bot.store.rounds`.

A claim locks the channel's subscription row first (`FOR UPDATE`), so two processes claiming
the same channel's day take turns: the second finds the day held.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal, cast

from bot.core.models import Round, RoundStatus, Subscription
from bot.core.records import (
    CycleState,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    DueClaim,
    DuePlan,
)
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
from bot.store.deliveries import written
from bot.store.postgres import deliveries
from bot.store.postgres.base import PgBase
from bot.store.postgres.outbox_kinds import add_recap
from bot.store.postgres.tx import Tx
from bot.store.rounds import COMMUNITY_SQL


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
    lease: timedelta | None = None,
    claimed_by: str | None = None,
) -> tuple[Round, Delivery] | None:
    """Insert a claim and its post delivery, as `bot.store.rounds.claim`."""
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
    moment, not_after = to_ts(now), to_ts(deliver_until or reveal_at)
    lease_until = None if lease is None else to_ts(now + lease)
    post = await deliveries.add(
        tx, DeliveryKind.POST, subscription_id, round_id, moment, not_after=not_after,
        lease_until=lease_until, claimed_by=claimed_by,
    )  # fmt: skip
    assert post is not None  # a new round has no delivery yet
    return Round(
        id=round_id, subscription_id=subscription_id, local_date=local_date,
        question_id=question_id, cycle=cycle, kind=kind, status=RoundStatus.CLAIMED,
        reveal_at=cast(datetime, from_ts(to_ts(reveal_at))), posted_at=None, revealed_at=None,
        message_id=None, thread_id=None,
    ), written(
        post, DeliveryKind.POST, subscription_id, round_id, moment, not_after=not_after,
        lease_until=lease_until, claimed_by=claimed_by,
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


async def claim_next(
    tx: Tx, subscription_id: int, due: DueClaim, *, locked: bool = False
) -> tuple[Round, Delivery | None]:
    """As `bot.store.rounds.claim_next`, with the channel's row locked for the transaction
    (`locked`: the caller has locked it already)."""
    if not locked:
        await tx.execute(
            "SELECT 1 FROM subscriptions WHERE id = ? FOR UPDATE", (subscription_id,)
        )
    taken = await tx.one(
        f"SELECT {ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? AND local_date = ?",
        (subscription_id, due.local_date.isoformat()),
    )
    if taken is not None:
        return round_of(taken), None
    last_date, last_posted = await round_marks(tx, subscription_id)
    if not day_is_free(due.local_date, due.timezone, last_date, last_posted):
        latest = await tx.one(
            f"SELECT {ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? "
            "ORDER BY claimed_at DESC, id DESC LIMIT 1",
            (subscription_id,),
        )
        assert latest is not None
        return round_of(latest), None
    pick = next_pick(due.choice, await cycle_state(tx, subscription_id))
    claimed = await claim(
        tx, subscription_id, due.local_date, pick.question_id, pick.cycle, due.kind, due.now,
        due.reveal_at, due.deliver_until, due.lease, due.claimed_by,
    )  # fmt: skip
    assert claimed is not None  # the date was free, and the channel is locked
    return claimed


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
        async def unit(tx: Tx) -> Round | None:
            claimed = await claim(
                tx, subscription_id, local_date, question_id, cycle, kind, now, reveal_at
            )
            return None if claimed is None else claimed[0]

        return await self._run(unit)

    async def claim_next_round(
        self, subscription_id: int, due: DueClaim
    ) -> tuple[Round, Delivery | None]:
        return await self._run(lambda tx: claim_next(tx, subscription_id, due))

    async def claim_due_round(
        self, subscription_id: int, plan: DuePlan
    ) -> tuple[Subscription | None, Round | None, Delivery | None]:
        async def unit(tx: Tx) -> tuple[Subscription | None, Round | None, Delivery | None]:
            row = await tx.one(
                f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = ? FOR UPDATE",
                (subscription_id,),
            )
            if row is None:
                return None, None, None
            subscription = subscription_of(row)
            asked = plan
            if asked.community_in_claim:  # the space's community pack, read here
                space = subscription.channel.space
                rows = await tx.all(COMMUNITY_SQL, space)
                asked = asked.with_community(space, [r["id"] for r in rows])
            due = due_claim(subscription, asked)
            claimed = None
            if due is not None:
                claimed, post = await claim_next(tx, subscription_id, due, locked=True)
                if post is not None:  # the week's first scheduled round brings its recap
                    recap = await add_recap(
                        tx, subscription, claimed, to_ts(due.now),
                        to_ts(due.deliver_until or due.reveal_at),
                    )  # fmt: skip
                    if recap is not None and post.status is DeliveryStatus.CLAIMED:
                        post = await deliveries.unlease(tx, post)  # the worker's order: recap first
                    return subscription, claimed, post
            # Nothing written but the channel's row lock (another process claimed the day, or
            # none is due): nothing to lose in a crash, so no wait for the WAL flush. At a busy
            # minute every process but one takes this way for every channel.
            await tx.execute("SET LOCAL synchronous_commit = off")
            return subscription, claimed, None

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
