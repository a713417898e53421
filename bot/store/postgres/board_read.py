"""Reading a board from the standings on PostgreSQL, as `bot.store.board_read` (read its text):
the same walk down the board's index, with names ordered as bytes (`COLLATE "C"`, as SQLite and
Python order them). The whole read runs in one REPEATABLE READ transaction.

(The SQLite text follows.) Reading a board from the standings (see `standings`); reading never writes.

Between two upkeeps (`standings.keep`), the stored counts lag behind in two ways: answers
still in the log, and answers that left a window after its edge. Both are counted for the few
people concerned (`_lag`) and set right in memory. Everyone else's stored key is exact, so
walking down the board's index until `size` of them are seen settles the top (see `_top`).
When too many people lag (no upkeep for a long while: more than `lag_limit`), the read does
the upkeep itself first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.core.models import ChannelRef, LeaderboardEntry, Window
from bot.store.postgres.standings import edges, fold_log, move_edge
from bot.store.postgres.tx import Tx
from bot.store.standings import BOARD_KEYS, WINDOW_COLUMNS


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


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

    def select(self, condition: str = "", *, person: bool = False) -> str:
        """Rows of the board (down its index), or of given people (`person`: by key)."""
        table = f"{self.table} t"
        return (
            f"SELECT t.user_id, t.name, t.current_streak, t.best_streak, {self.count} AS n "
            f"FROM {table} "
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


async def _scope(
    tx: Tx,
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
    found = await tx.one(
        "SELECT id FROM subscriptions WHERE platform = ? AND space_id = ? AND channel_id = ?",
        (channel.platform, channel.space_id, channel.channel_id),
    )
    if found is None:
        return None
    return _Scope(
        "members", "t.subscription_id = ?", (found["id"],), count, key, channel.platform, board
    )


async def _lag(
    tx: Tx, scope: _Scope, whole_space: bool, window: Window, since: int | None
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
        edge = (await edges(tx))[window] if window != "all" else 0
        for user, delta in await tx.all(
            f"SELECT a.user_id, SUM(a.delta * (a.answered_at >= ?)::int) FROM {logged} "
            f"WHERE {where} GROUP BY a.user_id",
            (edge, *scope.params),
        ):
            lag[user] = lag.get(user, 0) + delta
        if since is not None and since != edge:
            # Answers between the edge and `since` are counted and should not be (or the
            # other way round, were the clock behind the edge).
            low, high, sign = (edge, since, -1) if since > edge else (since, edge, 1)
            for user, n in await tx.all(
                f"SELECT a.user_id, COUNT(*) FROM {answers} WHERE {where} "
                "AND a.answered_at >= ? AND a.answered_at < ? GROUP BY a.user_id",
                (*scope.params, low, high),
            ):
                lag[user] = lag.get(user, 0) + sign * n
    return {user: delta for user, delta in lag.items() if delta}


async def _rows(
    tx: Tx, scope: _Scope, sql: str, params: tuple[object, ...]
) -> list[_Row]:
    by_streak = scope.key[0] == "t.current_streak"
    return [
        _Row(r["user_id"], r["name"], r["current_streak"], r["best_streak"], r["n"], by_streak)
        for r in await tx.all(sql, (*scope.params, *params))
    ]


async def _lagging_rows(tx: Tx, scope: _Scope, lag: Mapping[str, int]) -> dict[str, _Row]:
    """The rows of the lagging people, set right (a person new to the space has none yet)."""
    users = list(lag)
    found: dict[str, _Row] = {}
    for start in range(0, len(users), 500):
        chunk = users[start : start + 500]
        for row in await _rows(
            tx, scope, scope.select("AND t.user_id = ANY(?::text[])", person=True), (chunk,)
        ):
            found[row.user_id] = row
    by_streak = scope.key[0] == "t.current_streak"
    for user in users:
        if user not in found:
            name = await tx.one(
                "SELECT name FROM users WHERE platform = ? AND user_id = ?", (scope.platform, user)
            )
            found[user] = _Row(user, name["name"] if name else user, 0, 0, 0, by_streak)
    for row in found.values():
        row.count += lag[row.user_id]
    return found


async def _top(tx: Tx, scope: _Scope, lag: Mapping[str, int], size: int) -> list[_Row]:
    """Every row that could be in the top `size` once set right.

    The board's index is in board order (key, then name). Walking down it until `size` people
    who do not lag are seen gives those people's places for certain; a lagging person seen on
    the way is set right; one not seen can only climb in if their count went up (answers still
    in the log), so those are fetched on their own.
    """
    first, second = scope.key
    walk = scope.select(
        f"AND ({first} > 0 OR {second} > 0) "
        f'ORDER BY {first} DESC, {second} DESC, t.name COLLATE "C", t.user_id LIMIT ?'
    )
    limit = 2 * size
    while True:
        rows = await _rows(tx, scope, walk, (limit,))
        steady = sum(row.user_id not in lag for row in rows)
        if steady >= size or len(rows) < limit:
            break
        limit *= 4
    candidates = {row.user_id: row for row in rows}
    for row in candidates.values():
        row.count += lag.get(row.user_id, 0)
    climbing = {user: delta for user, delta in lag.items() if delta > 0 and user not in candidates}
    candidates.update(await _lagging_rows(tx, scope, climbing))
    return [row for row in candidates.values() if row.shown]


async def read_board(
    tx: Tx,
    *,
    channel: ChannelRef,
    whole_space: bool,
    window: Window,
    since: datetime | None,
    ranked_by: Literal["streak", "answers"],
    caller_id: str | None,
    size: int,
    lag_limit: int,
) -> Board:
    """The top `size` of a board, ties ranked alike and ordered by name, and the caller's row.

    Ranked by (streak, answers) or (answers, streak), both highest first; people with neither
    are left out. `since` is where the window starts (None: all time).
    """
    scope = await _scope(tx, channel, whole_space, window, ranked_by)
    if scope is None:
        return Board((), None)
    moment = _ts(since) if since is not None else None
    lag = await _lag(tx, scope, whole_space, window, moment)
    if len(lag) > lag_limit:  # long without upkeep: do it now, then nobody lags
        await fold_log(tx)
        if since is not None:
            await move_edge(tx, window, since)
        lag = {}
    rows = await _top(tx, scope, lag, size)
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
    lagging = await _lagging_rows(tx, scope, lag)  # all of them: each may cross the caller's key
    mine = lagging.get(caller_id)
    if mine is None:
        found = await _rows(
            tx, scope, scope.select("AND t.user_id = ?", person=True), (caller_id,)
        )
        mine = found[0] if found else None
    if mine is None or not mine.shown:
        return Board(entries, None)
    # Its rank: one more than the rows ahead of it, counted on the stored keys, then set
    # right for the lagging people. A channel counts down its index; a space, which may have
    # a hundred thousand people, adds up how many stand at each key above (space_board_keys).
    first, second = scope.key
    if whole_space and scope.key == tuple(f"t.{c}" for c in BOARD_KEYS[scope.board]):
        ahead = int(await tx.value(
            "SELECT COALESCE(SUM(n), 0) AS n FROM space_board_keys WHERE platform = ? "
            "AND space_id = ? AND board = ? AND (k1, k2) > (?, ?)",
            (*scope.params, scope.board, *mine.key),
        ))
    else:
        ahead = int(await tx.value(
            f"SELECT COUNT(*) AS n FROM {scope.table} t WHERE {scope.where} "
            f"AND ({first}, {second}) > (?, ?)",
            (*scope.params, *mine.key),
        ))
    for row in lagging.values():
        stored = (row.streak, row.count - lag[row.user_id]) if row.ranked_by_streak else (
            row.count - lag[row.user_id], row.streak)  # fmt: skip
        ahead += (row.key > mine.key) - (stored > mine.key)
    return Board(entries, LeaderboardEntry(ahead + 1, mine.user_id, mine.name, mine.streak,
                                           mine.best, mine.count))  # fmt: skip
