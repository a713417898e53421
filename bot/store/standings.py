"""Standings: what the leaderboards read, kept up to date as answers come and go.

A leaderboard ranks the people of a channel (or of a whole workspace) by streak or by answers,
over all time, the last 30 days or the last 7. Counting that from the answers on every request
means a pass over every answer in the window: seconds on a big workspace. So each person's
standing is stored, per channel in `members` and per workspace in `space_members`, with one
column per window and a copy of their name, and indexed in each order a board is read in
(ties by name): a board is a walk down an index to its tenth row. A caller's rank is a count
down the index in a channel, and a sum over `space_board_keys` (people per key, kept by
triggers) in a space.

Keeping a dozen index entries right on every answer would make answering (the hot path) twice
as dear, so an answer only counts itself in `members.answers` (what streaks and the channel's
all-time board read) and appends a line to `answer_log`. The log is folded into the windows
and the space table in one pass: by the upkeep (`keep`, every minute), before a reveal, and
whenever it reaches `StandingsTuning.fold_at` lines. The upkeep also moves each window's edge, taking out
the answers that left it. In between, a board read sets right in memory what the stored
counts lag (see "reading a board"): reading never writes.

The invariants, once the log is folded (the property tests check every board against
`Store.scan_leaderboard`, which counts from the answers themselves):

- `answers` counts a person's answers in the channel (summed over the space's channels);
- `month_answers` / `week_answers` count those answered at or after the window's edge
  (`window_edges`);
- `space_members` streaks are the best over the person's channels in that space;
- `name` is the person's name in `users`.

These are plain functions over a sqlite3 connection, run inside the store's transactions;
reading a board is in `board_read`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from bot.core.models import Window

WINDOW_COLUMNS: Mapping[Window, str] = {
    "all": "answers",
    "month": "month_answers",
    "week": "week_answers",
}
MOVING: tuple[Window, ...] = ("month", "week")  # windows whose edge moves with the clock
# Each board's key (ranked by the first column, then the second), and its indexes' names.
BOARD_KEYS: Mapping[str, tuple[str, str]] = {
    "streak": ("current_streak", "answers"),
    "all": ("answers", "current_streak"),
    "month": ("month_answers", "current_streak"),
    "week": ("week_answers", "current_streak"),
}


@dataclass(frozen=True)
class StandingsTuning:
    """How the standings trade work on the hot path against work at upkeep and reads."""

    fold_at: int = 1000  # log lines folded in at once, at the latest
    keep_step: int = 250  # answers an upkeep takes out of a window per transaction, at most
    lag_limit: int = 2000  # people lagging, beyond which a read folds the log and moves the edge


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def edges(db: sqlite3.Connection) -> dict[str, int]:
    rows = db.execute("SELECT name, edge FROM window_edges")
    return {row["name"]: row["edge"] for row in rows}


# -- keeping the counts --------------------------------------------------------------------------


def count_answer(
    db: sqlite3.Connection,
    *,
    subscription_id: int,
    user_id: str,
    name: str,
    answered_at: int,
    delta: Literal[1, -1],
    fold_at: int,
) -> None:
    """An answer was stored (+1) or taken away (-1): count it in the channel, log the rest."""
    db.execute(
        "INSERT INTO members (subscription_id, user_id, name, answers) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (subscription_id, user_id) DO UPDATE SET answers = answers + excluded.answers",
        (subscription_id, user_id, name, delta),
    )
    logged = db.execute(
        "INSERT INTO answer_log (subscription_id, user_id, answered_at, delta) VALUES (?, ?, ?, ?)",
        (subscription_id, user_id, answered_at, delta),
    )
    if (logged.lastrowid or 0) >= fold_at:  # the log starts again at 1 once folded
        fold_log(db)


def fold_log(db: sqlite3.Connection) -> None:
    """Fold the logged answers into the window counts and the space table, and empty the log."""
    edge = edges(db)
    db.execute(
        """
        INSERT INTO members (subscription_id, user_id, name, month_answers, week_answers)
        SELECT subscription_id, user_id, user_id, SUM(delta * (answered_at >= ?)),
               SUM(delta * (answered_at >= ?))
        FROM answer_log WHERE true GROUP BY subscription_id, user_id
        ON CONFLICT (subscription_id, user_id) DO UPDATE SET
            month_answers = month_answers + excluded.month_answers,
            week_answers = week_answers + excluded.week_answers
        """,
        (edge["month"], edge["week"]),
    )
    db.execute(
        """
        INSERT INTO space_members (platform, space_id, user_id, name, answers, month_answers,
            week_answers)
        SELECT s.platform, s.space_id, l.user_id, COALESCE(MAX(u.name), l.user_id),
               SUM(l.delta), SUM(l.delta * (l.answered_at >= ?)),
               SUM(l.delta * (l.answered_at >= ?))
        FROM answer_log l JOIN subscriptions s ON s.id = l.subscription_id
        LEFT JOIN users u ON u.platform = s.platform AND u.user_id = l.user_id
        WHERE true GROUP BY s.platform, s.space_id, l.user_id
        ON CONFLICT (platform, space_id, user_id) DO UPDATE SET
            answers = answers + excluded.answers,
            month_answers = month_answers + excluded.month_answers,
            week_answers = week_answers + excluded.week_answers
        """,
        (edge["month"], edge["week"]),
    )
    db.execute("DELETE FROM answer_log")


def rename(db: sqlite3.Connection, platform: str, user_id: str, name: str) -> None:
    """A person's name changed (or they are new): their rows on the boards follow.

    Both statements name their person index: left to itself, SQLite's planner (no statistics)
    walks a covering board index over every row of the platform instead, milliseconds a
    person on a big workspace, paid by every newcomer's first answer. (The unary `+` keeps
    the channel list from being used as an index key: a person has few rows to check.)
    """
    db.execute(
        "UPDATE members INDEXED BY members_by_user SET name = ? WHERE user_id = ? AND name != ? "
        "AND +subscription_id IN (SELECT id FROM subscriptions WHERE platform = ?)",
        (name, user_id, name, platform),
    )
    db.execute(
        "UPDATE space_members INDEXED BY space_members_by_user SET name = ? "
        "WHERE platform = ? AND user_id = ? AND name != ?",
        (name, platform, user_id, name),
    )


def refresh_space_streaks(db: sqlite3.Connection, subscription_id: int, users: set[str]) -> None:
    """After a reveal: the space streaks of the people whose channel streak just changed.

    The log must be folded first: everyone with a channel row then has a space row.
    """
    scope = db.execute(
        "SELECT platform, space_id FROM subscriptions WHERE id = ?", (subscription_id,)
    ).fetchone()
    if scope is None or not users:
        return
    db.executemany(
        """
        UPDATE space_members SET (current_streak, best_streak) = (
            SELECT MAX(m.current_streak), MAX(m.best_streak)
            FROM members m JOIN subscriptions s ON s.id = m.subscription_id
            WHERE m.user_id = space_members.user_id
              AND s.platform = space_members.platform AND s.space_id = space_members.space_id)
        WHERE platform = ? AND space_id = ? AND user_id = ?
        """,
        ((scope["platform"], scope["space_id"], user) for user in users),
    )


def move_edge(db: sqlite3.Connection, window: Window, to: datetime) -> None:
    """Move a window's edge to `to`, taking the answers it passes out of the counts.

    The log must be folded first, or its answers would leave counts they never entered.
    """
    column = WINDOW_COLUMNS[window]
    old = edges(db)[window]
    new = _ts(to)
    if new == old:
        return
    # Answers in [low, high) leave the window (the edge moves on) or come back into it.
    low, high, sign = (old, new, -1) if new > old else (new, old, 1)
    db.execute(
        f"""
        INSERT INTO members (subscription_id, user_id, name, {column})
        SELECT subscription_id, user_id, user_id, ? * COUNT(*) FROM answers
        WHERE answered_at >= ? AND answered_at < ?
        GROUP BY subscription_id, user_id
        ON CONFLICT (subscription_id, user_id) DO UPDATE SET {column} = {column} + excluded.{column}
        """,
        (sign, low, high),
    )
    db.execute(
        f"""
        INSERT INTO space_members (platform, space_id, user_id, name, {column})
        SELECT s.platform, s.space_id, a.user_id, a.user_id, ? * COUNT(*)
        FROM answers a JOIN subscriptions s ON s.id = a.subscription_id
        WHERE a.answered_at >= ? AND a.answered_at < ?
        GROUP BY s.platform, s.space_id, a.user_id
        ON CONFLICT (platform, space_id, user_id) DO UPDATE SET
            {column} = {column} + excluded.{column}
        """,
        (sign, low, high),
    )
    db.execute("UPDATE window_edges SET edge = ? WHERE name = ?", (new, window))


def rebuild(db: sqlite3.Connection, starts: Mapping[Window, datetime]) -> None:
    """Recompute every count and the space table from the answers and the channel streaks.

    For a database written by other means than the bot (an import, the benchmarks): channel
    streaks are kept in `members` as they are, everything else is derived again, with the
    moving windows starting at `starts`.
    """
    month_edge = _ts(starts["month"])
    week_edge = _ts(starts["week"])
    # Rewriting every row is far quicker without its indexes and triggers: drop them, make
    # them again after (as the schema has them), and count the space's keys afresh.
    indexes = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        "AND sql IS NOT NULL AND tbl_name IN ('members', 'space_members')"
    ).fetchall()
    for index in indexes:
        db.execute(f'DROP {index["type"].upper()} "{index["name"]}"')
    db.execute(
        "UPDATE window_edges SET edge = CASE name WHEN 'month' THEN ? ELSE ? END",
        (month_edge, week_edge),
    )
    db.execute("DELETE FROM answer_log")
    db.execute("UPDATE members SET answers = 0, month_answers = 0, week_answers = 0")
    db.execute(
        """
        INSERT INTO members (subscription_id, user_id, name, answers, month_answers,
            week_answers)
        SELECT subscription_id, user_id, user_id, COUNT(*), SUM(answered_at >= ?),
               SUM(answered_at >= ?)
        FROM answers WHERE true GROUP BY subscription_id, user_id
        ON CONFLICT (subscription_id, user_id) DO UPDATE SET
            answers = excluded.answers, month_answers = excluded.month_answers,
            week_answers = excluded.week_answers
        """,
        (month_edge, week_edge),
    )
    db.execute(
        """
        UPDATE members SET name = COALESCE(
            (SELECT u.name FROM users u JOIN subscriptions s ON s.platform = u.platform
             WHERE s.id = members.subscription_id AND u.user_id = members.user_id), user_id)
        """
    )
    db.execute("DELETE FROM space_members")
    db.execute(
        """
        INSERT INTO space_members (platform, space_id, user_id, name, current_streak,
            best_streak, answers, month_answers, week_answers)
        SELECT s.platform, s.space_id, m.user_id, MAX(m.name), MAX(m.current_streak),
               MAX(m.best_streak),
               SUM(m.answers), SUM(m.month_answers), SUM(m.week_answers)
        FROM members m JOIN subscriptions s ON s.id = m.subscription_id
        GROUP BY s.platform, s.space_id, m.user_id
        """
    )
    for index in indexes:
        db.execute(index["sql"])
    db.execute("DELETE FROM space_board_keys")
    every_key = " UNION ALL ".join(
        f"SELECT platform, space_id, '{board}', {k1}, {k2}, COUNT(*) FROM space_members "
        f"GROUP BY platform, space_id, {k1}, {k2}"
        for board, (k1, k2) in BOARD_KEYS.items()
    )
    db.execute(f"INSERT INTO space_board_keys (platform, space_id, board, k1, k2, n) {every_key}")


def keep(db: sqlite3.Connection, starts: Mapping[Window, datetime], step_size: int) -> bool:
    """One step of the upkeep: fold the log, move the windows' edges towards where they start.

    An edge moves past at most `step_size` answers per step, so that a busy day's upkeep never
    holds the database for long; True once every edge is where it should be.
    """
    fold_log(db)
    db.execute("DELETE FROM space_board_keys WHERE n = 0")
    done = True
    for window, start in starts.items():
        if window not in MOVING:
            continue
        edge, target = edges(db)[window], _ts(start)
        if target > edge:
            step = db.execute(
                "SELECT answered_at FROM answers WHERE answered_at >= ? AND answered_at < ? "
                "ORDER BY answered_at LIMIT 1 OFFSET ?",
                (edge, target, step_size),
            ).fetchone()
            if step is not None:  # more than a step's answers to pass: go part of the way
                target = max(step["answered_at"], edge + 1)
                done = False
        move_edge(db, window, datetime.fromtimestamp(target, UTC))
    return done
