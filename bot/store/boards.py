"""Leaderboards and streaks (`BoardStore`), read from the standings (`standings`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from bot.core.models import ChannelRef, Leaderboard, LeaderboardEntry, StreakView, Window
from bot.store import board_read, standings
from bot.store.base import Row, StoreBase, to_ts


def entry_of(row: Row) -> LeaderboardEntry:
    """A board row, from either store (PostgreSQL's counts arrive as other integer types)."""
    return LeaderboardEntry(
        rank=int(row["rank"]),
        user_id=row["user_id"],
        name=row["name"],
        current_streak=row["current_streak"],
        best_streak=row["best_streak"],
        answers=int(row["answers"]),
    )


# A person's streak in a channel: the same statement on both stores (`?` placeholders; the
# PostgreSQL store numbers them).
STREAK_SQL = """
    SELECT m.current_streak, m.best_streak, m.answers,
           EXISTS (SELECT 1 FROM answers a JOIN rounds r ON r.id = a.round_id
                   WHERE r.subscription_id = m.subscription_id AND r.status = 'posted'
                     AND a.user_id = m.user_id) AS answered_open_round
    FROM members m WHERE m.subscription_id = ? AND m.user_id = ?
"""


def streak_of(row: Row | None) -> StreakView:
    if row is None:
        return StreakView(0, 0, 0, False)
    return StreakView(
        current=row["current_streak"],
        best=row["best_streak"],
        answers=int(row["answers"]),
        answered_open_round=bool(row["answered_open_round"]),
    )


class Boards(StoreBase):
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
        lag_limit = self._tuning.lag_limit

        def unit(db: sqlite3.Connection) -> board_read.Board:
            return board_read.read_board(
                db, channel=channel, whole_space=whole_space, window=window, since=since,
                ranked_by=ranked_by, caller_id=caller_id, size=size, lag_limit=lag_limit,
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
        entries = [entry_of(r) for r in rows if r["position"] <= size]
        outside = [entry_of(r) for r in rows if r["position"] > size]
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
        step = self._tuning.keep_step
        while not await self._run(lambda db: standings.keep(db, window_starts, step)):
            pass

    async def rebuild_standings(self, window_starts: Mapping[Window, datetime]) -> None:
        """Derive every leaderboard count again from the answers (after a bulk import).

        `window_starts` gives where the month and the week windows start now.
        """
        await self._run(lambda db: standings.rebuild(db, window_starts))

    async def streak(self, subscription_id: int, user_id: str) -> StreakView:
        return streak_of(await self._one(STREAK_SQL, (subscription_id, user_id)))
