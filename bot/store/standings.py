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
whenever it reaches `FOLD_AT` lines. The upkeep also moves each window's edge, taking out
the answers that left it. In between, a board read sets right in memory what the stored
counts lag (see "reading a board"): reading never writes.

The invariants, once the log is folded (the property tests check every board against
`Store.scan_leaderboard`, which counts from the answers themselves):

- `answers` counts a person's answers in the channel (summed over the space's channels);
- `month_answers` / `week_answers` count those answered at or after the window's edge
  (`window_edges`);
- `space_members` streaks are the best over the person's channels in that space;
- `name` is the person's name in `users`.

These are plain functions over a sqlite3 connection, run inside the store's transactions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from bot.core.models import ChannelRef, LeaderboardEntry, Window

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
_INDEXES = {"streak": "streak", "all": "answers", "month": "month", "week": "week"}


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def edges(db: sqlite3.Connection) -> dict[str, int]:
    return {name: edge for name, edge in db.execute("SELECT name, edge FROM window_edges")}


# -- keeping the counts --------------------------------------------------------------------------

FOLD_AT = 1000  # log lines folded in at once, at the latest


def count_answer(
    db: sqlite3.Connection,
    *,
    subscription_id: int,
    user_id: str,
    name: str,
    answered_at: int,
    delta: Literal[1, -1],
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
    if (logged.lastrowid or 0) >= FOLD_AT:  # the log starts again at 1 once folded
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
    """A person's name changed (or they are new): their rows on the boards follow."""
    db.execute(
        "UPDATE members SET name = ? WHERE user_id = ? AND name != ? "
        "AND subscription_id IN (SELECT id FROM subscriptions WHERE platform = ?)",
        (name, user_id, name, platform),
    )
    db.execute(
        "UPDATE space_members SET name = ? WHERE platform = ? AND user_id = ? AND name != ?",
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
        ((scope[0], scope[1], user) for user in users),
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
    for kind, name, _ in indexes:
        db.execute(f'DROP {kind.upper()} "{name}"')
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
    for _, _, sql in indexes:
        db.execute(sql)
    db.execute("DELETE FROM space_board_keys")
    every_key = " UNION ALL ".join(
        f"SELECT platform, space_id, '{board}', {k1}, {k2}, COUNT(*) FROM space_members "
        f"GROUP BY platform, space_id, {k1}, {k2}"
        for board, (k1, k2) in BOARD_KEYS.items()
    )
    db.execute(f"INSERT INTO space_board_keys (platform, space_id, board, k1, k2, n) {every_key}")


# -- reading a board -----------------------------------------------------------------------------

# Reading a board writes nothing. Between two upkeeps (`keep`), the stored counts lag behind in
# two ways: answers still in the log, and answers that left a window after its edge. Both are
# counted for the few people concerned (`_lag`) and set right in memory. Everyone else's stored
# key is exact, so walking down the board's index until `size` of them are seen settles the
# top (see `_top`). When too many people lag (no upkeep for a long while), the read does the
# upkeep itself first.
LAG_LIMIT = 2000  # people lagging, beyond which a read folds the log and moves the edge


@dataclass(frozen=True)
class Board:
    entries: tuple[LeaderboardEntry, ...]  # the top `size`, in order
    caller: LeaderboardEntry | None  # the caller's row when it is not among them


@dataclass(frozen=True)
class _Scope:
    """Which stored rows a board ranks, and how."""

    table: str
    where: str  # on alias t
    params: tuple[object, ...]
    count: str  # the column counted in the window
    key: tuple[str, str]  # ranked by, highest first
    platform: str
    board: str  # which of BOARD_KEYS (whose index the walk down the board uses)

    @property
    def table_indexed(self) -> str:
        """The table, walked down the board's index (without statistics SQLite may not)."""
        return f"{self.table} t INDEXED BY {self.table}_by_{_INDEXES[self.board]}"

    def select(self, condition: str = "", *, person: bool = False) -> str:
        """Rows of the board (down its index), or of given people (`person`: by key)."""
        table = f"{self.table} t" if person else self.table_indexed
        return (
            f"SELECT t.user_id, t.name, {self.key[0]}, {self.key[1]}, "
            f"t.current_streak, t.best_streak, {self.count} FROM {table} "
            f"WHERE {self.where} {condition}"
        )


@dataclass
class _Row:
    user_id: str
    name: str
    streak: int
    best: int
    count: int
    ranked_by_streak: bool

    @property
    def key(self) -> tuple[int, int]:
        return (self.streak, self.count) if self.ranked_by_streak else (self.count, self.streak)

    @property
    def shown(self) -> bool:
        return self.count > 0 or self.streak > 0


def _scope(
    db: sqlite3.Connection,
    channel: ChannelRef,
    whole_space: bool,
    window: Window,
    ranked_by: Literal["streak", "answers"],
) -> _Scope | None:
    count = f"t.{WINDOW_COLUMNS[window]}"
    key = ("t.current_streak", count) if ranked_by == "streak" else (count, "t.current_streak")
    board = "streak" if ranked_by == "streak" else window
    if whole_space:
        where = "t.platform = ? AND t.space_id = ?"
        return _Scope(
            "space_members", where, (channel.platform, channel.space_id), count, key,
            channel.platform, board,
        )  # fmt: skip
    found = db.execute(
        "SELECT id FROM subscriptions WHERE platform = ? AND space_id = ? AND channel_id = ?",
        (channel.platform, channel.space_id, channel.channel_id),
    ).fetchone()
    if found is None:
        return None
    return _Scope(
        "members", "t.subscription_id = ?", (found[0],), count, key, channel.platform, board
    )


def _lag(
    db: sqlite3.Connection, scope: _Scope, whole_space: bool, window: Window, since: int | None
) -> dict[str, int]:
    """Per person of the scope: the true count minus the stored one."""
    lag: dict[str, int] = {}
    if whole_space:
        answers = "answers a JOIN subscriptions s ON s.id = a.subscription_id"
        logged = "answer_log a JOIN subscriptions s ON s.id = a.subscription_id"
        where = "s.platform = ? AND s.space_id = ?"
    else:
        answers, logged, where = "answers a", "answer_log a", "a.subscription_id = ?"
    if window != "all" or whole_space:  # a channel's all-time count is never in the log
        edge = edges(db)[window] if window != "all" else 0
        for user, delta in db.execute(
            f"SELECT a.user_id, SUM(a.delta * (a.answered_at >= ?)) FROM {logged} "
            f"WHERE {where} GROUP BY a.user_id",
            (edge, *scope.params),
        ):
            lag[user] = lag.get(user, 0) + delta
        if since is not None and since != edge:
            # Answers between the edge and `since` are counted and should not be (or the
            # other way round, were the clock behind the edge).
            low, high, sign = (edge, since, -1) if since > edge else (since, edge, 1)
            for user, n in db.execute(
                f"SELECT a.user_id, COUNT(*) FROM {answers} WHERE {where} "
                "AND a.answered_at >= ? AND a.answered_at < ? GROUP BY a.user_id",
                (*scope.params, low, high),
            ):
                lag[user] = lag.get(user, 0) + sign * n
    return {user: delta for user, delta in lag.items() if delta}


def _rows(
    db: sqlite3.Connection, scope: _Scope, sql: str, params: tuple[object, ...]
) -> list[_Row]:
    by_streak = scope.key[0] == "t.current_streak"
    return [
        _Row(r[0], r[1], r[4], r[5], r[6], by_streak)
        for r in db.execute(sql, (*scope.params, *params))
    ]


def _lagging_rows(db: sqlite3.Connection, scope: _Scope, lag: Mapping[str, int]) -> dict[str, _Row]:
    """The rows of the lagging people, set right (a person new to the space has none yet)."""
    users = list(lag)
    found: dict[str, _Row] = {}
    for start in range(0, len(users), 500):
        chunk = users[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in _rows(
            db, scope, scope.select(f"AND t.user_id IN ({marks})", person=True), tuple(chunk)
        ):
            found[row.user_id] = row
    by_streak = scope.key[0] == "t.current_streak"
    for user in users:
        if user not in found:
            name = db.execute(
                "SELECT name FROM users WHERE platform = ? AND user_id = ?", (scope.platform, user)
            ).fetchone()
            found[user] = _Row(user, name[0] if name else user, 0, 0, 0, by_streak)
    for row in found.values():
        row.count += lag[row.user_id]
    return found


def _top(db: sqlite3.Connection, scope: _Scope, lag: Mapping[str, int], size: int) -> list[_Row]:
    """Every row that could be in the top `size` once set right.

    The board's index is in board order (key, then name). Walking down it until `size` people
    who do not lag are seen gives those people's places for certain; a lagging person seen on
    the way is set right; one not seen can only climb in if their count went up (answers still
    in the log), so those are fetched on their own.
    """
    first, second = scope.key
    walk = scope.select(
        f"AND ({first} > 0 OR {second} > 0) "
        f"ORDER BY {first} DESC, {second} DESC, t.name, t.user_id LIMIT ?"
    )
    limit = 2 * size
    while True:
        rows = _rows(db, scope, walk, (limit,))
        steady = sum(row.user_id not in lag for row in rows)
        if steady >= size or len(rows) < limit:
            break
        limit *= 4
    candidates = {row.user_id: row for row in rows}
    for row in candidates.values():
        row.count += lag.get(row.user_id, 0)
    climbing = {user: delta for user, delta in lag.items() if delta > 0 and user not in candidates}
    candidates.update(_lagging_rows(db, scope, climbing))
    return [row for row in candidates.values() if row.shown]


def read_board(
    db: sqlite3.Connection,
    *,
    channel: ChannelRef,
    whole_space: bool,
    window: Window,
    since: datetime | None,
    ranked_by: Literal["streak", "answers"],
    caller_id: str | None,
    size: int,
) -> Board:
    """The top `size` of a board, ties ranked alike and ordered by name, and the caller's row.

    Ranked by (streak, answers) or (answers, streak), both highest first; people with neither
    are left out. `since` is where the window starts (None: all time).
    """
    scope = _scope(db, channel, whole_space, window, ranked_by)
    if scope is None:
        return Board((), None)
    moment = _ts(since) if since is not None else None
    lag = _lag(db, scope, whole_space, window, moment)
    if len(lag) > LAG_LIMIT:  # long without upkeep: do it now, then nobody lags
        fold_log(db)
        if since is not None:
            move_edge(db, window, since)
        lag = {}
    rows = _top(db, scope, lag, size)
    rows.sort(key=lambda r: (-r.key[0], -r.key[1], r.name, r.user_id))
    ranked: list[LeaderboardEntry] = []
    rank = 0
    for position, row in enumerate(rows, start=1):
        if position == 1 or row.key != rows[position - 2].key:
            rank = position  # ties share the rank of the first of them
        ranked.append(LeaderboardEntry(rank, row.user_id, row.name, row.streak, row.best,
                                       row.count))  # fmt: skip
    entries = tuple(ranked[:size])
    if caller_id is None or any(e.user_id == caller_id for e in entries):
        return Board(entries, None)
    lagging = _lagging_rows(db, scope, lag)  # all of them: each may cross the caller's key
    mine = lagging.get(caller_id)
    if mine is None:
        found = _rows(db, scope, scope.select("AND t.user_id = ?", person=True), (caller_id,))
        mine = found[0] if found else None
    if mine is None or not mine.shown:
        return Board(entries, None)
    # Its rank: one more than the rows ahead of it, counted on the stored keys, then set
    # right for the lagging people. A channel counts down its index; a space, which may have
    # a hundred thousand people, adds up how many stand at each key above (space_board_keys).
    first, second = scope.key
    if whole_space and scope.key == tuple(f"t.{c}" for c in BOARD_KEYS[scope.board]):
        ahead = db.execute(
            "SELECT COALESCE(SUM(n), 0) FROM space_board_keys WHERE platform = ? "
            "AND space_id = ? AND board = ? AND (k1, k2) > (?, ?)",
            (*scope.params, scope.board, *mine.key),
        ).fetchone()[0]
    else:
        ahead = db.execute(
            f"SELECT COUNT(*) FROM {scope.table_indexed} WHERE {scope.where} "
            f"AND ({first}, {second}) > (?, ?)",
            (*scope.params, *mine.key),
        ).fetchone()[0]
    for row in lagging.values():
        stored = (row.streak, row.count - lag[row.user_id]) if row.ranked_by_streak else (
            row.count - lag[row.user_id], row.streak)  # fmt: skip
        ahead += (row.key > mine.key) - (stored > mine.key)
    return Board(entries, LeaderboardEntry(ahead + 1, mine.user_id, mine.name, mine.streak,
                                           mine.best, mine.count))  # fmt: skip


KEEP_STEP = 250  # answers an upkeep takes out of a window per transaction, at most


def keep(db: sqlite3.Connection, starts: Mapping[Window, datetime]) -> bool:
    """One step of the upkeep: fold the log, move the windows' edges towards where they start.

    An edge moves past at most KEEP_STEP answers per step, so that a busy day's upkeep never
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
                (edge, target, KEEP_STEP),
            ).fetchone()
            if step is not None:  # more than a step's answers to pass: go part of the way
                target = max(step[0], edge + 1)
                done = False
        move_edge(db, window, datetime.fromtimestamp(target, UTC))
    return done
