"""The SQLite store: migrations, connection settings and uniqueness in the schema itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import DatabaseTooNewError, SqliteStore
from bot.store.migrate import find_migrations


async def test_a_fresh_file_gets_the_whole_schema(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "folder" / "bot.db"
    async with await SqliteStore.open(db):
        pass
    assert db.exists(), "the file and its folders are created"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(find_migrations())
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "subscriptions",
        "rounds",
        "messages",
        "answers",
        "members",
        "processed_events",
    } <= tables


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    for _ in range(2):
        async with await SqliteStore.open(db):
            pass
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(find_migrations())


async def test_a_database_newer_than_the_code_refuses_to_start(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    async with await SqliteStore.open(db):
        pass
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(DatabaseTooNewError, match="schema version 99"):
        await SqliteStore.open(db)


async def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_first.sql").write_text("CREATE TABLE one (x INTEGER);", encoding="utf-8")
    (migrations / "0002_broken.sql").write_text(
        "CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);", encoding="utf-8"
    )
    db = tmp_path / "bot.db"
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        await SqliteStore.open(db, migrations)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"one"}, "the broken migration rolled back whole"


async def test_uniqueness_lives_in_the_schema(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    async with await SqliteStore.open(db):
        pass
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO subscriptions (platform, space_id, channel_id, post_time, timezone, days, "
            "reveal_after_s, created_at, updated_at) VALUES ('t','s','c','09:00','UTC','mon',3600,0,0)"
        )
        insert_round = (
            "INSERT INTO rounds (subscription_id, local_date, question_id, cycle, kind, status, "
            "claimed_at, reveal_at) VALUES (1, '2026-12-01', ?, 0, 'manual', 'claimed', 0, 0)"
        )
        conn.execute(insert_round, ("q1",))
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(insert_round, ("q2",))  # one round per channel and local date
        insert_message = (
            "INSERT INTO messages (platform, message_id, round_id, user_id, text, sent_at) "
            "VALUES ('t', 'm1', 1, 'u', 'hi', 0)"
        )
        conn.execute(insert_message)
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(insert_message)  # one stored message per platform message id
        conn.execute("INSERT INTO processed_events VALUES ('t', 'e1', 0)")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO processed_events VALUES ('t', 'e1', 0)")
