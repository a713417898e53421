"""Rounds: one per channel per local day, claimed, posted, revealed (`RoundStore`).

The claims run as one unit each: whether the day is free, where the channel is in its cycle
(`rules.next_pick` chooses the question from that), and the insert.
"""

from __future__ import annotations

import sqlite3
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
from bot.store import deliveries
from bot.store.base import (
    ROUND_COLUMNS,
    SUBSCRIPTION_COLUMNS,
    StoreBase,
    from_ts,
    round_of,
    subscription_of,
    to_ts,
)
from bot.store.outbox_kinds import add_recap

# A space's community pack (its approved suggestions), for a claim that reads it itself.
COMMUNITY_SQL = (
    "SELECT id FROM suggestions WHERE platform = ? AND space_id = ? AND status = 'approved' "
    "ORDER BY id"
)


def cycle_state(db: sqlite3.Connection, subscription_id: int) -> CycleState:
    rows = db.execute(
        """
        SELECT question_id, cycle FROM rounds WHERE subscription_id = ?
          AND cycle = (SELECT MAX(cycle) FROM rounds WHERE subscription_id = ?)
        ORDER BY local_date DESC
        """,
        (subscription_id, subscription_id),
    ).fetchall()
    if not rows:
        return CycleState(0, frozenset(), None)
    latest = rows[0]
    return CycleState(
        latest["cycle"], frozenset(r["question_id"] for r in rows), latest["question_id"]
    )


def claim(
    db: sqlite3.Connection,
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
    """Insert a claim and its post delivery (of no use after `deliver_until`, else the reveal;
    leased to the claimer for `lease`, else pending)."""
    inserted = db.execute(
        """
        INSERT INTO rounds (subscription_id, local_date, question_id, cycle, kind, status,
            claimed_at, reveal_at)
        VALUES (?, ?, ?, ?, ?, 'claimed', ?, ?)
        ON CONFLICT (subscription_id, local_date) DO NOTHING
        """,
        (subscription_id, local_date.isoformat(), question_id, cycle, kind,
         to_ts(now), to_ts(reveal_at)),
    )  # fmt: skip
    if inserted.rowcount != 1:
        return None
    round_id = cast(int, inserted.lastrowid)
    moment, not_after = to_ts(now), to_ts(deliver_until or reveal_at)
    lease_until = None if lease is None else to_ts(now + lease)
    post = deliveries.add(
        db, DeliveryKind.POST, subscription_id, round_id, moment, not_after=not_after,
        lease_until=lease_until, claimed_by=claimed_by,
    )  # fmt: skip
    assert post is not None  # a new round has no delivery yet
    return Round(
        id=round_id, subscription_id=subscription_id, local_date=local_date,
        question_id=question_id, cycle=cycle, kind=kind, status=RoundStatus.CLAIMED,
        reveal_at=cast(datetime, from_ts(to_ts(reveal_at))), posted_at=None, revealed_at=None,
        message_id=None, thread_id=None,
    ), deliveries.written(
        post, DeliveryKind.POST, subscription_id, round_id, moment, not_after=not_after,
        lease_until=lease_until, claimed_by=claimed_by,
    )  # fmt: skip


def round_marks(
    db: sqlite3.Connection, subscription_id: int
) -> tuple[date | None, datetime | None]:
    """The date of a channel's latest round, and when its latest round went out."""
    row = db.execute(
        "SELECT MAX(local_date) AS last_date, MAX(claimed_at) AS last_claimed FROM rounds "
        "WHERE subscription_id = ?",
        (subscription_id,),
    ).fetchone()
    last_date = date.fromisoformat(row["last_date"]) if row["last_date"] else None
    return last_date, from_ts(row["last_claimed"])


def claim_next(
    db: sqlite3.Connection, subscription_id: int, due: DueClaim
) -> tuple[Round, Delivery | None]:
    """Claim a date for the channel's next question: (round, its post delivery), or (the round
    that holds the day, None). A day is held by its own round, or by a round that went out on
    that local day before the channel's timezone changed (see `day_is_free`)."""
    taken = db.execute(
        f"SELECT {ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? AND local_date = ?",
        (subscription_id, due.local_date.isoformat()),
    ).fetchone()
    if taken is not None:
        return round_of(taken), None
    last_date, last_posted = round_marks(db, subscription_id)
    if not day_is_free(due.local_date, due.timezone, last_date, last_posted):
        latest = db.execute(
            f"SELECT {ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? "
            "ORDER BY claimed_at DESC, id DESC LIMIT 1",
            (subscription_id,),
        ).fetchone()
        return round_of(latest), None
    pick = next_pick(due.choice, cycle_state(db, subscription_id))
    claimed = claim(
        db, subscription_id, due.local_date, pick.question_id, pick.cycle, due.kind, due.now,
        due.reveal_at, due.deliver_until, due.lease, due.claimed_by,
    )  # fmt: skip
    assert claimed is not None  # the date was free inside this same transaction
    return claimed


def with_community(db: sqlite3.Connection, subscription: Subscription, plan: DuePlan) -> DuePlan:
    """The plan, with the channel's space's community pack read here when it asks for that."""
    if not plan.community_in_claim:
        return plan
    space = subscription.channel.space
    rows = db.execute(COMMUNITY_SQL, space).fetchall()
    return plan.with_community(space, [r["id"] for r in rows])


class Rounds(StoreBase):
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
        """Take a channel's local date for a round; None when the date is already taken."""
        def unit(db: sqlite3.Connection) -> Round | None:
            claimed = claim(
                db, subscription_id, local_date, question_id, cycle, kind, now, reveal_at
            )
            return None if claimed is None else claimed[0]

        return await self._run(unit)

    async def claim_next_round(
        self, subscription_id: int, due: DueClaim
    ) -> tuple[Round, Delivery | None]:
        return await self._run(lambda db: claim_next(db, subscription_id, due))

    async def claim_due_round(
        self, subscription_id: int, plan: DuePlan
    ) -> tuple[Subscription | None, Round | None, Delivery | None]:
        def unit(
            db: sqlite3.Connection,
        ) -> tuple[Subscription | None, Round | None, Delivery | None]:
            row = db.execute(
                f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = ?",
                (subscription_id,),
            ).fetchone()
            if row is None:
                return None, None, None
            subscription = subscription_of(row)
            due = due_claim(subscription, with_community(db, subscription, plan))
            if due is None:
                return subscription, None, None
            claimed, post = claim_next(db, subscription_id, due)
            if post is not None:  # the week's first scheduled round brings its recap (opted in)
                recap = add_recap(
                    db, subscription, claimed, to_ts(due.now),
                    to_ts(due.deliver_until or due.reveal_at),
                )  # fmt: skip
                if recap is not None and post.status is DeliveryStatus.CLAIMED:
                    post = deliveries.unlease(db, post)  # the worker's order: recap, then post
            return subscription, claimed, post

        return await self._run(unit)

    async def mark_posted(
        self,
        round_id: int,
        message_id: str,
        thread_id: str,
        posted_at: datetime,
        reveal_at: datetime,
    ) -> Round:
        def unit(db: sqlite3.Connection) -> Round:
            db.execute(
                "UPDATE rounds SET status = 'posted', message_id = ?, thread_id = ?, posted_at = ?, "
                "reveal_at = ? WHERE id = ? AND status = 'claimed'",
                (message_id, thread_id, to_ts(posted_at), to_ts(reveal_at), round_id),
            )
            db.execute(  # its post delivery went out with it
                "UPDATE deliveries SET status = 'delivered', message_id = ?, thread_id = ?, "
                "delivered_at = ?, lease_until = NULL WHERE round_id = ? AND kind = 'post' "
                "AND status != 'delivered'",
                (message_id, thread_id, to_ts(posted_at), round_id),
            )
            row = db.execute(
                f"SELECT {ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,)
            ).fetchone()
            return round_of(row)

        return await self._run(unit)

    async def release_claim(self, round_id: int) -> None:
        """Give a date back after a failed post (only a claim: never a posted round)."""
        await self._write("DELETE FROM rounds WHERE id = ? AND status = 'claimed'", (round_id,))

    async def round(self, round_id: int) -> Round | None:
        row = await self._one(f"SELECT {ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,))
        return round_of(row) if row else None

    async def round_marks(self, subscription_id: int) -> tuple[date | None, datetime | None]:
        """The date of the channel's latest round, and when its latest round went out."""
        return await self._run(lambda db: round_marks(db, subscription_id))

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
