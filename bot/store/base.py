"""What every area of the SQLite store shares: the way to the database, and rows to records.

Every statement runs inside a unit of work (a plain function over the sqlite3 connection)
handed to the group commit (`batch`): reads and writes alike, so there is one write path, and a
call returns only once its transaction has committed. Rows are `sqlite3.Row`s, read by column
name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol, cast

from bot.core.models import ChannelRef, Round, RoundStatus, Subscription
from bot.core.records import QuizRecord
from bot.core.schedule import Schedule, days_from_cron
from bot.store.batch import GroupCommit, T, Unit
from bot.store.standings import StandingsTuning


class Row(Protocol):
    """A row read by column name: a sqlite3.Row, or an asyncpg.Record."""

    def __getitem__(self, key: str, /) -> Any: ...


def to_ts(moment: datetime) -> int:
    return int(moment.timestamp())


def from_ts(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def at(value: int) -> datetime:
    """A stored time that is never empty."""
    return datetime.fromtimestamp(value, UTC)


SUBSCRIPTION_COLUMNS = (
    "id, platform, space_id, channel_id, post_time, timezone, days, reveal_after_s, packs, "
    "active, problem, subscribed_by"
)
ROUND_COLUMNS = (
    "id, subscription_id, local_date, question_id, cycle, kind, status, reveal_at, posted_at, "
    "revealed_at, message_id, thread_id"
)
ROUND_COLUMNS_R = ", ".join("r." + c.strip() for c in ROUND_COLUMNS.split(","))
QUIZ_COLUMNS = "id, platform, user_id, question_id, asked_at, revealed_at"


def subscription_of(row: Row) -> Subscription:
    hour, minute = map(int, row["post_time"].split(":"))
    schedule = Schedule(
        time(hour, minute),
        row["timezone"],
        days_from_cron(row["days"]),
        timedelta(seconds=row["reveal_after_s"]),
    )
    return Subscription(
        id=row["id"],
        channel=ChannelRef(row["platform"], row["space_id"], row["channel_id"]),
        schedule=schedule,
        packs=tuple(row["packs"].split(",")) if row["packs"] else None,
        active=bool(row["active"]),
        problem=row["problem"],
        subscribed_by=row["subscribed_by"],
    )


def round_of(row: Row) -> Round:
    return Round(
        id=row["id"],
        subscription_id=row["subscription_id"],
        local_date=date.fromisoformat(row["local_date"]),
        question_id=row["question_id"],
        cycle=row["cycle"],
        kind=row["kind"],
        status=RoundStatus(row["status"]),
        reveal_at=at(row["reveal_at"]),
        posted_at=from_ts(row["posted_at"]),
        revealed_at=from_ts(row["revealed_at"]),
        message_id=row["message_id"],
        thread_id=row["thread_id"],
    )


def quiz_of(row: Row) -> QuizRecord:
    return QuizRecord(
        id=row["id"],
        platform=row["platform"],
        user_id=row["user_id"],
        question_id=row["question_id"],
        asked_at=at(row["asked_at"]),
        revealed_at=from_ts(row["revealed_at"]),
    )


class StoreBase:
    """The plumbing the area mixins use; `SqliteStore` provides the group commit."""

    _batch: GroupCommit
    _tuning: StandingsTuning

    async def _run(self, unit: Unit[T]) -> T:
        """Run a unit of work in the next batch; it is committed when this returns."""
        return await self._batch.run(unit)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return await self._run(lambda db: db.execute(sql, params).fetchall())

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        return cast(
            "sqlite3.Row | None", await self._run(lambda db: db.execute(sql, params).fetchone())
        )

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement in its own unit; the number of rows it changed."""
        return await self._run(lambda db: db.execute(sql, params).rowcount)
