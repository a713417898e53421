"""The store: every SQL statement the bot runs (besides the migrations) lives here.

One aiosqlite connection serves the whole bot. Its statements are serialised by a lock, so a
write transaction (BEGIN IMMEDIATE … COMMIT) from one coroutine never interleaves with another.
The busy paths (reads, answers, posts, reveals, leaderboards) run as whole units of work on the
connection's thread, and the units that arrive together share one transaction: see `batch`
(group commit, and why an acknowledged answer survives a crash) and `standings`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, cast

import aiosqlite

from bot.core.models import (
    ChannelRef,
    Leaderboard,
    LeaderboardEntry,
    Round,
    RoundStatus,
    StreakView,
    Subscription,
    Window,
)
from bot.core.schedule import Schedule, day_is_free, days_from_cron, days_to_cron
from bot.store import answers, standings
from bot.store.batch import GroupCommit, T, Unit
from bot.store.migrate import connect, migrate, require_current
from bot.store.outcomes import Answerer, ChangeOutcome, MessageOutcome

Row = Any  # an aiosqlite row (a tuple)


def to_ts(moment: datetime) -> int:
    return int(moment.timestamp())


def from_ts(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


__all__ = [
    "Answerer",
    "ChangeOutcome",
    "CycleState",
    "DueClaim",
    "MessageOutcome",
    "QuizRecord",
    "Store",
]


@dataclass(frozen=True)
class CycleState:
    cycle: int
    used: frozenset[str]
    last_question: str | None


@dataclass(frozen=True)
class QuizRecord:
    id: int
    platform: str
    user_id: str
    question_id: str
    asked_at: datetime
    revealed_at: datetime | None


_SUBSCRIPTION_COLUMNS = (
    "id, platform, space_id, channel_id, post_time, timezone, days, reveal_after_s, packs, "
    "active, problem, subscribed_by"
)
_ROUND_COLUMNS = (
    "id, subscription_id, local_date, question_id, cycle, kind, status, reveal_at, posted_at, "
    "revealed_at, message_id, thread_id"
)
_ROUND_COLUMNS_R = ", ".join("r." + c.strip() for c in _ROUND_COLUMNS.split(","))


def _subscription(row: Row) -> Subscription:
    hour, minute = map(int, row[4].split(":"))
    return Subscription(
        id=row[0],
        channel=ChannelRef(row[1], row[2], row[3]),
        schedule=Schedule(
            time(hour, minute), row[5], days_from_cron(row[6]), timedelta(seconds=row[7])
        ),
        packs=tuple(row[8].split(",")) if row[8] else None,
        active=bool(row[9]),
        problem=row[10],
        subscribed_by=row[11],
    )


def _round(row: Row) -> Round:
    return Round(
        id=row[0],
        subscription_id=row[1],
        local_date=date.fromisoformat(row[2]),
        question_id=row[3],
        cycle=row[4],
        kind=row[5],
        status=RoundStatus(row[6]),
        reveal_at=cast(datetime, from_ts(row[7])),
        posted_at=from_ts(row[8]),
        revealed_at=from_ts(row[9]),
        message_id=row[10],
        thread_id=row[11],
    )


def _cycle_state(db: sqlite3.Connection, subscription_id: int) -> CycleState:
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
    return CycleState(rows[0][1], frozenset(r[0] for r in rows), rows[0][0])


def _claim(
    db: sqlite3.Connection,
    subscription_id: int,
    local_date: date,
    question_id: str,
    cycle: int,
    kind: Literal["scheduled", "manual"],
    now: datetime,
    reveal_at: datetime,
) -> Round | None:
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
    return Round(
        id=cast(int, inserted.lastrowid), subscription_id=subscription_id, local_date=local_date,
        question_id=question_id, cycle=cycle, kind=kind, status=RoundStatus.CLAIMED,
        reveal_at=cast(datetime, from_ts(to_ts(reveal_at))), posted_at=None, revealed_at=None,
        message_id=None, thread_id=None,
    )  # fmt: skip


@dataclass(frozen=True)
class DueClaim:
    """A round to claim: its date, its kind, the time, its reveal, and how to pick the question."""

    local_date: date
    kind: Literal["scheduled", "manual"]
    now: datetime
    reveal_at: datetime
    pick: Callable[[CycleState], tuple[str, int]]  # (question id, cycle) from the cycle state
    timezone: str  # the channel's timezone now, in which `local_date` is a day


def _round_marks(db: sqlite3.Connection, subscription_id: int) -> tuple[date | None, datetime | None]:
    """The date of a channel's latest round, and when its latest round went out."""
    row = db.execute(
        "SELECT MAX(local_date), MAX(claimed_at) FROM rounds WHERE subscription_id = ?",
        (subscription_id,),
    ).fetchone()
    return (date.fromisoformat(row[0]) if row[0] else None), from_ts(row[1])


def _claim_next(db: sqlite3.Connection, subscription_id: int, due: DueClaim) -> tuple[Round, bool]:
    """Claim a date for the channel's next question: (round, True), or (the round that holds
    the day, False). A day is held by its own round, or by a round that went out on that local
    day before the channel's timezone changed (see `day_is_free`)."""
    taken = db.execute(
        f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? AND local_date = ?",
        (subscription_id, due.local_date.isoformat()),
    ).fetchone()
    if taken is not None:
        return _round(taken), False
    last_date, last_posted = _round_marks(db, subscription_id)
    if not day_is_free(due.local_date, due.timezone, last_date, last_posted):
        latest = db.execute(
            f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? "
            "ORDER BY claimed_at DESC, id DESC LIMIT 1",
            (subscription_id,),
        ).fetchone()
        return _round(latest), False
    question_id, cycle = due.pick(_cycle_state(db, subscription_id))
    claimed = _claim(
        db, subscription_id, due.local_date, question_id, cycle, due.kind, due.now, due.reveal_at
    )
    assert claimed is not None  # the date was free inside this same transaction
    return claimed, True


class Store:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._batch = GroupCommit(conn, self._lock)

    @classmethod
    async def open(
        cls, path: Path, migrations: Path | None = None, *, read_only: bool = False
    ) -> Store:
        """Open (and migrate) the database; `read_only` opens only an existing, current one."""
        conn = await connect(path, create=not read_only)
        try:
            if read_only:
                await require_current(conn, path)
            else:
                await migrate(conn, migrations)
        except BaseException:
            await conn.close()
            raise
        return cls(conn)

    async def close(self) -> None:
        await self._batch.drain()
        await self._conn.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- plumbing ---------------------------------------------------------------------------

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    async def _run(self, unit: Unit[T]) -> T:
        """Run a unit of work in the next batch; it is committed when this returns."""
        return await self._batch.run(unit)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await self._run(lambda db: db.execute(sql, params).fetchall())

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = await self._run(lambda db: db.execute(sql, params).fetchone())
        return row

    @staticmethod
    async def _fetchone(
        conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()
    ) -> Row | None:
        async with conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    @staticmethod
    async def _changes(conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> int:
        async with conn.execute(sql, params) as cursor:
            return cursor.rowcount

    # -- subscriptions ----------------------------------------------------------------------

    async def save_subscription(
        self,
        channel: ChannelRef,
        schedule: Schedule,
        packs: Sequence[str] | None,
        subscribed_by: str | None,
        now: datetime,
    ) -> Subscription:
        """Create or replace a channel's subscription; it becomes active with no problem."""
        async with self._write() as conn:
            await conn.execute(
                """
                INSERT INTO subscriptions (platform, space_id, channel_id, post_time, timezone, days,
                    reveal_after_s, packs, active, problem, subscribed_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?)
                ON CONFLICT (platform, space_id, channel_id) DO UPDATE SET
                    post_time = excluded.post_time, timezone = excluded.timezone,
                    days = excluded.days, reveal_after_s = excluded.reveal_after_s,
                    packs = excluded.packs, active = 1, problem = NULL,
                    subscribed_by = excluded.subscribed_by, updated_at = excluded.updated_at
                """,
                (
                    channel.platform, channel.space_id, channel.channel_id,
                    f"{schedule.post_time:%H:%M}", schedule.timezone, days_to_cron(schedule.days),
                    int(schedule.reveal_after.total_seconds()), ",".join(packs) if packs else None,
                    subscribed_by, to_ts(now), to_ts(now),
                ),
            )  # fmt: skip
            row = await self._fetchone(
                conn,
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions "
                "WHERE platform = ? AND space_id = ? AND channel_id = ?",
                (channel.platform, channel.space_id, channel.channel_id),
            )
        return _subscription(row)

    async def subscription(self, channel: ChannelRef) -> Subscription | None:
        row = await self._one(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions "
            "WHERE platform = ? AND space_id = ? AND channel_id = ?",
            (channel.platform, channel.space_id, channel.channel_id),
        )
        return _subscription(row) if row else None

    async def subscription_by_id(self, subscription_id: int) -> Subscription | None:
        row = await self._one(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = ?", (subscription_id,)
        )
        return _subscription(row) if row else None

    async def subscriptions(self, *, active_only: bool = True) -> list[Subscription]:
        where = "WHERE active = 1" if active_only else ""
        rows = await self._all(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions {where} ORDER BY id"
        )
        return [_subscription(r) for r in rows]

    async def set_subscription_state(
        self, subscription_id: int, *, active: bool, problem: str | None, now: datetime
    ) -> None:
        async with self._write() as conn:
            await conn.execute(
                "UPDATE subscriptions SET active = ?, problem = ?, updated_at = ? WHERE id = ?",
                (int(active), problem, to_ts(now), subscription_id),
            )

    # -- rounds -----------------------------------------------------------------------------

    async def cycle_state(self, subscription_id: int) -> CycleState:
        """Where a channel is in its cycle through the questions."""
        return await self._run(lambda db: _cycle_state(db, subscription_id))

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
        return await self._run(
            lambda db: _claim(
                db, subscription_id, local_date, question_id, cycle, kind, now, reveal_at
            )
        )

    async def claim_next_round(
        self,
        subscription_id: int,
        local_date: date,
        kind: Literal["scheduled", "manual"],
        now: datetime,
        reveal_at: datetime,
        pick: Callable[[CycleState], tuple[str, int]],
        timezone: str,
    ) -> tuple[Round, bool]:
        """Claim a channel's date for its next question, in one transaction.

        `pick` chooses (question id, cycle) from where the channel is in its cycle; it runs on
        the database thread, so it must be a pure function. Returns (the claimed round, True),
        or (the round that holds the day, False).
        """

        due = DueClaim(local_date, kind, now, reveal_at, pick, timezone)
        return await self._run(lambda db: _claim_next(db, subscription_id, due))

    async def claim_due_round(
        self, subscription_id: int, plan: Callable[[Subscription], DueClaim | None]
    ) -> tuple[Subscription | None, Round | None, bool]:
        """A scheduled post's database side, from its subscription to its claim, in one unit.

        `plan` says what is due for the subscription (None: nothing); it runs on the database
        thread, so it must be a pure function. Returns the subscription (None: there is none),
        the round (claimed now, or already holding the date; None when nothing was due) and
        whether it was claimed now.
        """

        def unit(db: sqlite3.Connection) -> tuple[Subscription | None, Round | None, bool]:
            row = db.execute(
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = ?",
                (subscription_id,),
            ).fetchone()
            if row is None:
                return None, None, False
            subscription = _subscription(row)
            due = plan(subscription)
            if due is None:
                return subscription, None, False
            return subscription, *_claim_next(db, subscription_id, due)

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
            row = db.execute(
                f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,)
            ).fetchone()
            return _round(row)

        return await self._run(unit)

    async def release_claim(self, round_id: int) -> None:
        """Give a date back after a failed post (only a claim: never a posted round)."""
        async with self._write() as conn:
            await conn.execute(
                "DELETE FROM rounds WHERE id = ? AND status = 'claimed'", (round_id,)
            )

    async def round(self, round_id: int) -> Round | None:
        row = await self._one(f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,))
        return _round(row) if row else None

    async def round_marks(self, subscription_id: int) -> tuple[date | None, datetime | None]:
        """The date of the channel's latest round, and when its latest round went out."""
        return await self._run(lambda db: _round_marks(db, subscription_id))

    async def round_on(self, subscription_id: int, local_date: date) -> Round | None:
        row = await self._one(
            f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? AND local_date = ?",
            (subscription_id, local_date.isoformat()),
        )
        return _round(row) if row else None

    async def round_by_thread(self, platform: str, thread_id: str) -> Round | None:
        row = await self._one(
            f"""
            SELECT {", ".join("r." + c.strip() for c in _ROUND_COLUMNS.split(","))}
            FROM rounds r JOIN subscriptions s ON s.id = r.subscription_id
            WHERE r.thread_id = ? AND s.platform = ?
            """,
            (thread_id, platform),
        )
        return _round(row) if row else None

    async def rounds_with_status(
        self, status: RoundStatus, subscription_id: int | None = None
    ) -> list[Round]:
        sql = f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE status = ?"
        params: list[Any] = [status.value]
        if subscription_id is not None:
            sql += " AND subscription_id = ?"
            params.append(subscription_id)
        rows = await self._all(sql + " ORDER BY local_date, id", params)
        return [_round(r) for r in rows]

    async def latest_round(self, subscription_id: int) -> Round | None:
        row = await self._one(
            f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE subscription_id = ? "
            "ORDER BY local_date DESC LIMIT 1",
            (subscription_id,),
        )
        return _round(row) if row else None

    # -- answers ----------------------------------------------------------------------------

    async def record_message(
        self,
        *,
        platform: str,
        message_id: str,
        event_id: str | None,
        round_id: int,
        user_id: str,
        user_name: str,
        text: str,
        truncated: bool,
        now: datetime,
    ) -> MessageOutcome:
        """Store a message in a round's thread and count it as an answer when in time."""
        return await self._run(
            lambda db: answers.record_message(
                db, platform=platform, message_id=message_id, event_id=event_id,
                round_id=round_id, user_id=user_id, user_name=user_name, text=text,
                truncated=truncated, now=to_ts(now),
            )
        )  # fmt: skip

    async def record_thread_message(
        self,
        *,
        platform: str,
        thread_id: str,
        message_id: str,
        event_id: str | None,
        user_id: str,
        user_name: str,
        text: str,
        truncated: bool,
        now: datetime,
    ) -> tuple[Round | None, MessageOutcome | None]:
        """A message in some thread: find the round it answers and record it, in one unit.

        (None, None) when the thread is no round's; (round, None) when the round is only
        claimed (not posted yet); else the round and what `record_message` made of it.
        """

        def unit(db: sqlite3.Connection) -> tuple[Round | None, MessageOutcome | None]:
            row = db.execute(
                f"SELECT {_ROUND_COLUMNS_R} FROM rounds r "
                "JOIN subscriptions s ON s.id = r.subscription_id "
                "WHERE r.thread_id = ? AND s.platform = ?",
                (thread_id, platform),
            ).fetchone()
            if row is None:
                return None, None
            found = _round(row)
            if found.status is RoundStatus.CLAIMED:
                return found, None
            return found, answers.record_message(
                db, platform=platform, message_id=message_id, event_id=event_id,
                round_id=found.id, user_id=user_id, user_name=user_name, text=text,
                truncated=truncated, now=to_ts(now),
            )  # fmt: skip

        return await self._run(unit)

    async def edit_message(
        self,
        *,
        platform: str,
        message_id: str,
        event_id: str | None,
        text: str,
        truncated: bool,
        now: datetime,
    ) -> ChangeOutcome:
        return await self._run(
            lambda db: answers.edit_message(
                db, platform=platform, message_id=message_id, event_id=event_id, text=text,
                truncated=truncated, now=to_ts(now),
            )
        )  # fmt: skip

    async def delete_message(
        self, *, platform: str, message_id: str, event_id: str | None, now: datetime
    ) -> ChangeOutcome:
        """Forget a message's text; before the reveal, its author's last message takes the answer."""
        return await self._run(
            lambda db: answers.delete_message(
                db, platform=platform, message_id=message_id, event_id=event_id, now=to_ts(now)
            )
        )

    async def thread_messages(self, round_id: int, user_id: str) -> list[str]:
        """The ids of someone's messages in a round's thread (not deleted), oldest first."""
        rows = await self._all(
            "SELECT message_id FROM messages WHERE round_id = ? AND user_id = ? "
            "AND deleted_at IS NULL ORDER BY sent_at, id",
            (round_id, user_id),
        )
        return [r[0] for r in rows]

    async def answer_text(self, round_id: int, user_id: str) -> str:
        rows = await self._all(
            "SELECT text FROM messages WHERE round_id = ? AND user_id = ? AND late = 0 "
            "AND deleted_at IS NULL ORDER BY sent_at, id",
            (round_id, user_id),
        )
        return "\n".join(r[0] for r in rows)

    # -- reveal -----------------------------------------------------------------------------

    async def reveal_round(self, round_id: int, now: datetime) -> list[Answerer] | None:
        """Close a round and move streaks on; None when it was not open."""
        return await self._run(lambda db: answers.reveal_round(db, round_id, to_ts(now)))

    # -- leaderboards and streaks -----------------------------------------------------------

    async def leaderboard(
        self,
        *,
        channel: ChannelRef,
        whole_space: bool,
        window: Window,
        since: datetime | None,
        ranked_by: Literal["streak", "answers"],
        caller_id: str | None,
        size: int = 10,
    ) -> Leaderboard:
        """A board read from the standings (see `standings`), as of `since`."""
        scope_key = f"{channel.platform}:{channel.space_id}" if whole_space else channel.key
        if (since is None) != (window == "all"):  # a window the standings do not keep
            return await self.scan_leaderboard(
                channel=channel, whole_space=whole_space, window=window, since=since,
                ranked_by=ranked_by, caller_id=caller_id, size=size,
            )  # fmt: skip

        def unit(db: sqlite3.Connection) -> standings.Board:
            return standings.read_board(
                db, channel=channel, whole_space=whole_space, window=window, since=since,
                ranked_by=ranked_by, caller_id=caller_id, size=size,
            )  # fmt: skip

        board = await self._run(unit)
        return Leaderboard(scope_key, window, ranked_by, board.entries, board.caller)

    async def scan_leaderboard(
        self,
        *,
        channel: ChannelRef,
        whole_space: bool,
        window: Window,
        since: datetime | None,
        ranked_by: Literal["streak", "answers"],
        caller_id: str | None,
        size: int = 10,
    ) -> Leaderboard:
        """The same board counted from every answer: the definition the standings must equal."""
        scope_where = "s.platform = ? AND s.space_id = ?"
        scope_params: list[Any] = [channel.platform, channel.space_id]
        if not whole_space:
            scope_where += " AND s.channel_id = ?"
            scope_params.append(channel.channel_id)
        if since is None:
            counts = "SELECT m.subscription_id, m.user_id, m.answers AS n FROM members m"
            count_params: list[Any] = []
        else:
            counts = (
                "SELECT a.subscription_id, a.user_id, COUNT(*) AS n FROM answers a "
                "WHERE a.answered_at >= ? GROUP BY a.subscription_id, a.user_id"
            )
            count_params = [to_ts(since)]
        order = (
            "current_streak DESC, answers DESC"
            if ranked_by == "streak"
            else "answers DESC, current_streak DESC"
        )
        sql = f"""
            WITH scope AS (SELECT s.id FROM subscriptions s WHERE {scope_where}),
            counts AS ({counts}),
            board AS (
                SELECT m.user_id, MAX(m.current_streak) AS current_streak,
                       MAX(m.best_streak) AS best_streak, COALESCE(SUM(c.n), 0) AS answers
                FROM members m
                LEFT JOIN counts c ON c.subscription_id = m.subscription_id AND c.user_id = m.user_id
                WHERE m.subscription_id IN (SELECT id FROM scope)
                GROUP BY m.user_id
            ),
            ranked AS (
                SELECT b.*, COALESCE(u.name, b.user_id) AS name,
                       RANK() OVER (ORDER BY {order}) AS rank,
                       ROW_NUMBER() OVER (ORDER BY {order}, COALESCE(u.name, b.user_id)) AS position
                FROM board b LEFT JOIN users u ON u.platform = ? AND u.user_id = b.user_id
                WHERE b.answers > 0 OR b.current_streak > 0
            )
            SELECT rank, user_id, name, current_streak, best_streak, answers, position
            FROM ranked WHERE position <= ? OR user_id = ? ORDER BY position
        """
        rows = await self._all(
            sql, [*scope_params, *count_params, channel.platform, size, caller_id]
        )
        entries = [LeaderboardEntry(*r[:6]) for r in rows if r[6] <= size]
        outside = [LeaderboardEntry(*r[:6]) for r in rows if r[6] > size]
        scope_key = f"{channel.platform}:{channel.space_id}" if whole_space else channel.key
        return Leaderboard(
            scope_key, window, ranked_by, tuple(entries), outside[0] if outside else None
        )

    async def keep_standings(self, window_starts: Mapping[Window, datetime]) -> None:
        """Upkeep of the leaderboards' counts: fold in new answers, move the windows' edges.

        Boards are right without it, but each read then sets right more people in memory;
        the scheduler runs it every minute. It goes in short transactions (see
        `standings.keep`), so boards and answers are served in between.
        """
        while not await self._run(lambda db: standings.keep(db, window_starts)):
            pass

    async def rebuild_standings(self, window_starts: Mapping[Window, datetime]) -> None:
        """Derive every leaderboard count again from the answers (after a bulk import).

        `window_starts` gives where the month and the week windows start now.
        """
        await self._run(lambda db: standings.rebuild(db, window_starts))

    async def streak(self, subscription_id: int, user_id: str) -> StreakView:
        row = await self._one(
            """
            SELECT m.current_streak, m.best_streak, m.answers,
                   EXISTS (SELECT 1 FROM answers a JOIN rounds r ON r.id = a.round_id
                           WHERE r.subscription_id = m.subscription_id AND r.status = 'posted'
                             AND a.user_id = m.user_id)
            FROM members m WHERE m.subscription_id = ? AND m.user_id = ?
            """,
            (subscription_id, user_id),
        )
        return (
            StreakView(row[0], row[1], row[2], bool(row[3])) if row else StreakView(0, 0, 0, False)
        )

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

    async def user_name(self, platform: str, user_id: str) -> str | None:
        row = await self._one(
            "SELECT name FROM users WHERE platform = ? AND user_id = ?", (platform, user_id)
        )
        return row[0] if row else None

    async def ping(self) -> bool:
        """True when the database answers a query."""
        row = await self._one("SELECT 1")
        return row is not None and row[0] == 1

    # -- named values ---------------------------------------------------------------------

    async def get_state(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM bot_state WHERE key = ?", (key,))
        return row[0] if row else None

    async def set_state(self, key: str, value: str, now: datetime) -> None:
        async with self._write() as conn:
            await conn.execute(
                "INSERT INTO bot_state (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (key, value, to_ts(now)),
            )

    # -- spaced repetition -----------------------------------------------------------------

    async def review_cards(self, platform: str, user_id: str) -> dict[str, tuple[str, datetime]]:
        """Every card of a person: question id → (card JSON, due)."""
        rows = await self._all(
            "SELECT question_id, card, due_at FROM review_cards WHERE platform = ? AND user_id = ?",
            (platform, user_id),
        )
        return {r[0]: (r[1], cast(datetime, from_ts(r[2]))) for r in rows}

    async def save_review(
        self,
        *,
        platform: str,
        user_id: str,
        question_id: str,
        card: str,
        due: datetime,
        rating: str,
        source: Literal["quiz", "daily"],
        quiz_id: int | None,
        round_id: int | None,
        log: str,
        now: datetime,
    ) -> bool:
        """Store a rating and the card it produced; False when that quiz or round was rated before."""
        async with self._write() as conn:
            logged = await self._changes(
                conn,
                """
                INSERT INTO review_log (platform, user_id, question_id, rating, source, round_id,
                    quiz_id, reviewed_at, log)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                (
                    platform,
                    user_id,
                    question_id,
                    rating,
                    source,
                    round_id,
                    quiz_id,
                    to_ts(now),
                    log,
                ),
            )
            if not logged:
                return False
            await conn.execute(
                """
                INSERT INTO review_cards (platform, user_id, question_id, card, due_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (platform, user_id, question_id) DO UPDATE SET
                    card = excluded.card, due_at = excluded.due_at, updated_at = excluded.updated_at
                """,
                (platform, user_id, question_id, card, to_ts(due), to_ts(now)),
            )
            return True

    async def review_count(self, platform: str, user_id: str) -> int:
        row = await self._one(
            "SELECT COUNT(*) FROM review_log WHERE platform = ? AND user_id = ?",
            (platform, user_id),
        )
        return int(row[0]) if row else 0

    async def rated_round(self, platform: str, user_id: str, round_id: int) -> bool:
        row = await self._one(
            "SELECT 1 FROM review_log WHERE platform = ? AND user_id = ? AND round_id = ?",
            (platform, user_id, round_id),
        )
        return row is not None

    async def quiz_rated(self, quiz_id: int) -> bool:
        return await self._one("SELECT 1 FROM review_log WHERE quiz_id = ?", (quiz_id,)) is not None

    async def answered(self, round_id: int, user_id: str) -> bool:
        row = await self._one(
            "SELECT 1 FROM answers WHERE round_id = ? AND user_id = ?", (round_id, user_id)
        )
        return row is not None

    async def set_daily_feedback(self, platform: str, user_id: str, enabled: bool) -> None:
        async with self._write() as conn:
            await conn.execute(
                "INSERT INTO user_settings (platform, user_id, daily_feedback) VALUES (?, ?, ?) "
                "ON CONFLICT (platform, user_id) DO UPDATE SET daily_feedback = excluded.daily_feedback",
                (platform, user_id, int(enabled)),
            )

    async def daily_feedback_users(self, platform: str) -> set[str]:
        rows = await self._all(
            "SELECT user_id FROM user_settings WHERE platform = ? AND daily_feedback = 1",
            (platform,),
        )
        return {r[0] for r in rows}

    async def set_quiz_answer(self, quiz_id: int, text: str) -> None:
        async with self._write() as conn:
            await conn.execute(
                "UPDATE quizzes SET answer_text = ? WHERE id = ? AND revealed_at IS NULL",
                (text, quiz_id),
            )

    async def quiz_answer(self, quiz_id: int) -> str | None:
        row = await self._one("SELECT answer_text FROM quizzes WHERE id = ?", (quiz_id,))
        return row[0] if row else None

    # -- quizzes ----------------------------------------------------------------------------

    async def quiz_history(self, platform: str, user_id: str) -> dict[str, datetime]:
        """When the user was last quizzed on each question."""
        rows = await self._all(
            "SELECT question_id, MAX(asked_at) FROM quizzes WHERE platform = ? AND user_id = ? "
            "GROUP BY question_id",
            (platform, user_id),
        )
        return {r[0]: cast(datetime, from_ts(r[1])) for r in rows}

    async def add_quiz(
        self, platform: str, user_id: str, question_id: str, now: datetime
    ) -> QuizRecord:
        async with (
            self._write() as conn,
            conn.execute(
                "INSERT INTO quizzes (platform, user_id, question_id, asked_at) VALUES (?, ?, ?, ?)",
                (platform, user_id, question_id, to_ts(now)),
            ) as cursor,
        ):
            quiz_id = cast(int, cursor.lastrowid)
        return QuizRecord(quiz_id, platform, user_id, question_id, now, None)

    async def quiz(self, quiz_id: int) -> QuizRecord | None:
        row = await self._one(
            "SELECT id, platform, user_id, question_id, asked_at, revealed_at FROM quizzes WHERE id = ?",
            (quiz_id,),
        )
        return self._quiz(row) if row else None

    async def latest_quiz(self, platform: str, user_id: str) -> QuizRecord | None:
        row = await self._one(
            "SELECT id, platform, user_id, question_id, asked_at, revealed_at FROM quizzes "
            "WHERE platform = ? AND user_id = ? ORDER BY asked_at DESC, id DESC LIMIT 1",
            (platform, user_id),
        )
        return self._quiz(row) if row else None

    async def mark_quiz_revealed(self, quiz_id: int, now: datetime) -> None:
        async with self._write() as conn:
            await conn.execute(
                "UPDATE quizzes SET revealed_at = COALESCE(revealed_at, ?) WHERE id = ?",
                (to_ts(now), quiz_id),
            )

    @staticmethod
    def _quiz(row: Row) -> QuizRecord:
        return QuizRecord(
            row[0], row[1], row[2], row[3], cast(datetime, from_ts(row[4])), from_ts(row[5])
        )
