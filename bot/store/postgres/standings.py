"""The standings on PostgreSQL: the same tables and invariants as `bot.store.standings` (read
its text), written with `ON CONFLICT`, `GREATEST` and data-modifying CTEs.

Differences from SQLite, where one writer at a time is the rule:
- the log is folded in one statement (`DELETE … RETURNING` feeding both inserts), so answers
  committed by other transactions meanwhile are never deleted unfolded;
- whoever writes the shared rows (`space_members`, whose trigger keeps `space_board_keys`, and
  the window counts) holds the standings lock (`Tx.lock_standings`) until commit, so those
  writers never deadlock one another;
- the log's ids never start again, so it is folded when an id is a multiple of `fold_at`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Literal

from bot.core.models import Window
from bot.store.postgres.tx import Tx
from bot.store.standings import BOARD_KEYS, MOVING, WINDOW_COLUMNS


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


async def edges(tx: Tx) -> dict[str, int]:
    rows = await tx.all("SELECT name, edge FROM window_edges")
    return {row["name"]: row["edge"] for row in rows}


async def count_answer(
    tx: Tx,
    *,
    subscription_id: int,
    user_id: str,
    name: str,
    answered_at: int,
    delta: Literal[1, -1],
    fold_at: int,
) -> None:
    """An answer was stored (+1) or taken away (-1): count it in the channel, log the rest."""
    logged = int(
        await tx.value(
            "INSERT INTO answer_log (subscription_id, user_id, answered_at, delta) "
            "VALUES (?, ?, ?, ?) RETURNING id",
            (subscription_id, user_id, answered_at, delta),
        )
    )
    fold = logged % fold_at == 0
    if fold:  # the lock before any row lock, as every holder of it takes them
        await tx.lock_standings()
    await tx.execute(
        "INSERT INTO members (subscription_id, user_id, name, answers) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (subscription_id, user_id) DO UPDATE SET "
        "answers = members.answers + excluded.answers",
        (subscription_id, user_id, name, delta),
    )
    if fold:
        await fold_log(tx)


async def fold_log(tx: Tx) -> None:
    """Fold the logged answers into the window counts and the space table, and empty the log."""
    await tx.lock_standings()
    edge = await edges(tx)
    await tx.execute(
        """
        WITH gone AS (
            DELETE FROM answer_log RETURNING subscription_id, user_id, answered_at, delta
        ),
        channel AS (
            INSERT INTO members (subscription_id, user_id, name, month_answers, week_answers)
            SELECT subscription_id, user_id, user_id, SUM(delta * (answered_at >= ?)::int),
                   SUM(delta * (answered_at >= ?)::int)
            FROM gone GROUP BY subscription_id, user_id
            ON CONFLICT (subscription_id, user_id) DO UPDATE SET
                month_answers = members.month_answers + excluded.month_answers,
                week_answers = members.week_answers + excluded.week_answers
        )
        INSERT INTO space_members (platform, space_id, user_id, name, answers, month_answers,
            week_answers)
        SELECT s.platform, s.space_id, l.user_id, COALESCE(MAX(u.name), l.user_id),
               SUM(l.delta), SUM(l.delta * (l.answered_at >= ?)::int),
               SUM(l.delta * (l.answered_at >= ?)::int)
        FROM gone l JOIN subscriptions s ON s.id = l.subscription_id
        LEFT JOIN users u ON u.platform = s.platform AND u.user_id = l.user_id
        GROUP BY s.platform, s.space_id, l.user_id
        ON CONFLICT (platform, space_id, user_id) DO UPDATE SET
            answers = space_members.answers + excluded.answers,
            month_answers = space_members.month_answers + excluded.month_answers,
            week_answers = space_members.week_answers + excluded.week_answers
        """,
        (edge["month"], edge["week"], edge["month"], edge["week"]),
    )


async def rename(tx: Tx, platform: str, user_id: str, name: str) -> None:
    """A person's name changed (or they are new): their rows on the boards follow."""
    await tx.execute(
        "UPDATE members SET name = ? WHERE user_id = ? AND name != ? "
        "AND subscription_id IN (SELECT id FROM subscriptions WHERE platform = ?)",
        (name, user_id, name, platform),
    )
    if await tx.value(
        "SELECT EXISTS (SELECT 1 FROM space_members WHERE platform = ? AND user_id = ? "
        "AND name != ?)",
        (platform, user_id, name),
    ):
        await tx.lock_standings()
        await tx.execute(
            "UPDATE space_members SET name = ? WHERE platform = ? AND user_id = ? AND name != ?",
            (name, platform, user_id, name),
        )


async def refresh_space_streaks(tx: Tx, subscription_id: int, users: set[str]) -> None:
    """After a reveal: the space streaks of the people whose channel streak just changed."""
    scope = await tx.one(
        "SELECT platform, space_id FROM subscriptions WHERE id = ?", (subscription_id,)
    )
    if scope is None or not users:
        return
    await tx.lock_standings()
    await tx.execute(
        """
        UPDATE space_members SET (current_streak, best_streak) = (
            SELECT MAX(m.current_streak), MAX(m.best_streak)
            FROM members m JOIN subscriptions s ON s.id = m.subscription_id
            WHERE m.user_id = space_members.user_id
              AND s.platform = space_members.platform AND s.space_id = space_members.space_id)
        WHERE platform = ? AND space_id = ? AND user_id = ANY(?::text[])
        """,
        (scope["platform"], scope["space_id"], sorted(users)),
    )


async def move_edge(tx: Tx, window: Window, to: datetime) -> None:
    """Move a window's edge to `to`, taking the answers it passes out of the counts."""
    await tx.lock_standings()
    column = WINDOW_COLUMNS[window]
    old = (await edges(tx))[window]
    new = _ts(to)
    if new == old:
        return
    low, high, sign = (old, new, -1) if new > old else (new, old, 1)
    await tx.execute(
        f"""
        INSERT INTO members (subscription_id, user_id, name, {column})
        SELECT subscription_id, user_id, user_id, ?::int * COUNT(*)::int FROM answers
        WHERE answered_at >= ? AND answered_at < ?
        GROUP BY subscription_id, user_id
        ON CONFLICT (subscription_id, user_id) DO UPDATE SET
            {column} = members.{column} + excluded.{column}
        """,
        (sign, low, high),
    )
    await tx.execute(
        f"""
        INSERT INTO space_members (platform, space_id, user_id, name, {column})
        SELECT s.platform, s.space_id, a.user_id, a.user_id, ?::int * COUNT(*)::int
        FROM answers a JOIN subscriptions s ON s.id = a.subscription_id
        WHERE a.answered_at >= ? AND a.answered_at < ?
        GROUP BY s.platform, s.space_id, a.user_id
        ON CONFLICT (platform, space_id, user_id) DO UPDATE SET
            {column} = space_members.{column} + excluded.{column}
        """,
        (sign, low, high),
    )
    await tx.execute("UPDATE window_edges SET edge = ? WHERE name = ?", (new, window))


async def rebuild(tx: Tx, starts: Mapping[Window, datetime]) -> None:
    """Recompute every count and the space table, as `bot.store.standings.rebuild`."""
    await tx.lock_standings()
    month_edge = _ts(starts["month"])
    week_edge = _ts(starts["week"])
    await tx.execute("ALTER TABLE space_members DISABLE TRIGGER space_members_keys")
    await tx.execute(
        "UPDATE window_edges SET edge = CASE name WHEN 'month' THEN ?::bigint ELSE ?::bigint END",
        (month_edge, week_edge),
    )
    await tx.execute("DELETE FROM answer_log")
    await tx.execute("UPDATE members SET answers = 0, month_answers = 0, week_answers = 0")
    await tx.execute(
        """
        INSERT INTO members (subscription_id, user_id, name, answers, month_answers,
            week_answers)
        SELECT subscription_id, user_id, user_id, COUNT(*), SUM((answered_at >= ?)::int),
               SUM((answered_at >= ?)::int)
        FROM answers GROUP BY subscription_id, user_id
        ON CONFLICT (subscription_id, user_id) DO UPDATE SET
            answers = excluded.answers, month_answers = excluded.month_answers,
            week_answers = excluded.week_answers
        """,
        (month_edge, week_edge),
    )
    await tx.execute(
        """
        UPDATE members SET name = COALESCE(
            (SELECT u.name FROM users u JOIN subscriptions s ON s.platform = u.platform
             WHERE s.id = members.subscription_id AND u.user_id = members.user_id), user_id)
        """
    )
    await tx.execute("DELETE FROM space_members")
    await tx.execute(
        """
        INSERT INTO space_members (platform, space_id, user_id, name, current_streak,
            best_streak, answers, month_answers, week_answers)
        SELECT s.platform, s.space_id, m.user_id, MAX(m.name), MAX(m.current_streak),
               MAX(m.best_streak), SUM(m.answers), SUM(m.month_answers), SUM(m.week_answers)
        FROM members m JOIN subscriptions s ON s.id = m.subscription_id
        GROUP BY s.platform, s.space_id, m.user_id
        """
    )
    await tx.execute("ALTER TABLE space_members ENABLE TRIGGER space_members_keys")
    await tx.execute("DELETE FROM space_board_keys")
    every_key = " UNION ALL ".join(
        f"SELECT platform, space_id, '{board}', {k1}, {k2}, COUNT(*) FROM space_members "
        f"GROUP BY platform, space_id, {k1}, {k2}"
        for board, (k1, k2) in BOARD_KEYS.items()
    )
    await tx.execute(
        f"INSERT INTO space_board_keys (platform, space_id, board, k1, k2, n) {every_key}"
    )
    await tx.execute("ANALYZE members")
    await tx.execute("ANALYZE space_members")


async def keep(tx: Tx, starts: Mapping[Window, datetime], step_size: int) -> bool:
    """One step of the upkeep, as `bot.store.standings.keep`; True once every edge is set."""
    await fold_log(tx)
    await tx.execute("DELETE FROM space_board_keys WHERE n = 0")
    done = True
    for window, start in starts.items():
        if window not in MOVING:
            continue
        edge, target = (await edges(tx))[window], _ts(start)
        if target > edge:
            step = await tx.value(
                "SELECT answered_at FROM answers WHERE answered_at >= ? AND answered_at < ? "
                "ORDER BY answered_at LIMIT 1 OFFSET ?",
                (edge, target, step_size),
            )
            if step is not None:
                target = max(int(step), edge + 1)
                done = False
        await move_edge(tx, window, datetime.fromtimestamp(target, UTC))
    return done
