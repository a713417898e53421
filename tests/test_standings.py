"""Leaderboards read from the kept standings equal the same boards counted from every answer.

`SqliteStore.leaderboard` reads counts kept as answers come and go (with a log folded in later, and
window edges moved by an upkeep); `SqliteStore.scan_leaderboard` counts from the answers themselves,
the definition. Random histories (answers, deletes, reveals, time passing, upkeep or none)
must give the same boards, for every scope, window, ranking and caller.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import ManualClock
from bot.core.engine import WINDOW_SPANS
from bot.core.models import ChannelRef, Window
from bot.store import SqliteStore, StandingsTuning
from tests.helpers import CHANNEL, OTHER_CHANNEL, PLATFORM, World, message, sqlite_with

FAR_CHANNEL = ChannelRef(PLATFORM, "space2", "general")
CHANNELS = (CHANNEL, OTHER_CHANNEL, FAR_CHANNEL)
USERS = ["ana", "ben", "cat", "dev", "eve"]
BOARDS: tuple[tuple[Window, Literal["streak", "answers"]], ...] = (
    ("all", "streak"),
    ("all", "answers"),
    ("month", "answers"),
    ("week", "answers"),
)

# One day: for each channel, who answers, who then deletes; which channels reveal; how long
# until the next day; whether the upkeep runs; who (if anyone) answers under a new name.
day_strategy = st.tuples(
    st.tuples(*[st.tuples(st.sets(st.sampled_from(USERS)), st.sets(st.sampled_from(USERS)))] * 3),
    st.sets(st.sampled_from(range(3))),
    st.integers(min_value=1, max_value=9 * 24),
    st.booleans(),
    st.none() | st.sampled_from(USERS),
)


# Fold the answer log every few lines and move window edges a few answers at a time, so that
# histories cross folds and partial upkeeps as well as reads.
SMALL_STEPS = sqlite_with(StandingsTuning(fold_at=3, keep_step=2))


async def assert_boards_match(world: World, size: int) -> None:
    store = world.store
    assert isinstance(store, SqliteStore)
    now = world.clock.now()
    for channel in CHANNELS:
        for whole_space in (False, True):
            for window, ranked_by in BOARDS:
                span = WINDOW_SPANS[window]
                for caller in [None, *USERS]:
                    asked = {
                        "channel": channel,
                        "whole_space": whole_space,
                        "window": window,
                        "since": now - span if span else None,
                        "ranked_by": ranked_by,
                        "caller_id": caller,
                        "size": size,
                    }
                    kept = await world.store.leaderboard(**asked)  # type: ignore[arg-type]
                    counted = await store.scan_leaderboard(**asked)  # type: ignore[arg-type]
                    assert kept == counted, asked


async def _replay(db: Path, days: list[tuple[object, ...]], size: int) -> None:
    world = await World.open(db, open_store=SMALL_STEPS)
    try:
        for channel in CHANNELS:
            await world.engine.subscribe(channel, post_time="09:00", timezone="UTC", days="daily")
        for number, (answering, revealing, hours, upkeep, renamed) in enumerate(days):
            for index, (channel, (answered, deleted)) in enumerate(
                zip(CHANNELS, answering, strict=True)  # type: ignore[call-overload]
            ):
                posted = await world.engine.post_now(channel)
                if posted.round is None or posted.round.status.value != "posted":
                    continue
                for user in sorted(answered | deleted):
                    said = message(posted.round, user, message_id=f"{posted.round.id}-{user}")
                    if user == renamed:  # names order ties: a new one must reach the boards
                        said = replace(said, user_name=f"{'Zed' if number % 2 else 'Abe'} {user}")
                    await world.engine.handle_message(said)
                for user in sorted(deleted):
                    await world.engine.handle_delete(PLATFORM, f"{posted.round.id}-{user}")
                if index in revealing:  # type: ignore[operator]
                    await world.engine.reveal_now(channel)
            world.clock.set(world.clock.now() + timedelta(hours=hours))  # type: ignore[arg-type]
            if upkeep:
                await world.engine.keep_leaderboards()
            await assert_boards_match(world, size)
    finally:
        await world.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(day_strategy, min_size=1, max_size=6), st.sampled_from([2, 10]))
def test_kept_boards_equal_counted_boards(days: list[tuple[object, ...]], size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_replay(Path(folder) / "bot.db", days, size))


async def test_a_read_long_after_the_last_upkeep_catches_up_by_itself(tmp_path: Path) -> None:
    # More than two people lag: the read does the upkeep itself.
    world = await World.open(
        tmp_path / "bot.db", open_store=sqlite_with(StandingsTuning(lag_limit=2))
    )
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC", days="daily")
    posted = await world.engine.post_now(CHANNEL)
    assert posted.round is not None
    for i in range(5):
        await world.engine.handle_message(message(posted.round, f"user{i}"))
    world.clock.set(world.clock.now() + timedelta(days=8))  # out of the week's window
    try:
        board = await world.engine.leaderboard(CHANNEL, window="week")
        all_time = await world.engine.leaderboard(CHANNEL, window="all")
    finally:
        await world.close()
    assert board.entries == ()
    assert [e.answers for e in all_time.entries] == [1] * 5


async def test_the_migration_derives_the_standings_of_an_existing_database(
    tmp_path: Path,
) -> None:
    """A database with history from before the standings gets them from migration 0003."""
    from bot.paths import migrations_dir

    older = tmp_path / "migrations"
    older.mkdir()
    for path in sorted(migrations_dir().glob("*.sql"))[:2]:  # up to 0002
        (older / path.name).write_text(path.read_text())
    db = tmp_path / "bot.db"
    await (await SqliteStore.open(db, migrations=older)).close()
    now = int(datetime.now(UTC).timestamp())
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO subscriptions (id, platform, space_id, channel_id, post_time, timezone, "
            "days, reveal_after_s, created_at, updated_at) "
            "VALUES (?, 'test', 'space1', ?, '09:00', 'UTC', 'mon', 28800, 0, 0)",
            [(1, "general"), (2, "random")],
        )
        conn.executemany(
            "INSERT INTO rounds (id, subscription_id, local_date, question_id, cycle, kind, "
            "status, claimed_at, reveal_at) VALUES (?, ?, ?, 'alpha-one', 0, 'scheduled', "
            "'revealed', 0, 0)",
            [(1, 1, "2026-01-05"), (2, 1, "2026-01-12"), (3, 2, "2026-01-05")],
        )
        conn.executemany(
            "INSERT INTO users (platform, user_id, name) VALUES ('test', ?, ?)",
            [("ana", "Ana"), ("ben", "Ben"), ("cat", "Cat")],
        )
        answered = [  # (round, user, channel, days ago)
            (1, "ana", 1, 40), (1, "ben", 1, 40), (2, "ana", 1, 3),
            (3, "ben", 2, 10), (3, "cat", 2, 2),
        ]  # fmt: skip
        conn.executemany(
            "INSERT INTO answers (round_id, user_id, subscription_id, answered_at) "
            "VALUES (?, ?, ?, ?)",
            [(r, u, c, now - days * 86400) for r, u, c, days in answered],
        )
        conn.executemany(
            "INSERT INTO members (subscription_id, user_id, current_streak, best_streak, answers) "
            "VALUES (?, ?, ?, ?, ?)",
            [(1, "ana", 2, 2, 2), (1, "ben", 0, 1, 1), (2, "ben", 0, 1, 1), (2, "cat", 1, 1, 1)],
        )
    # 0003 goes on top of that history, its windows ending at the system's now.
    world = await World.open(db, clock=ManualClock(datetime.now(UTC)))
    try:
        await assert_boards_match(world, size=2)
        board = await world.engine.leaderboard(CHANNEL, whole_space=True, window="all")
        assert [(e.name, e.answers) for e in board.entries] == [("Ana", 2), ("Ben", 2), ("Cat", 1)]
    finally:
        await world.close()
