"""Migration 0010 (issue 16, issue 18 item 2) on a database that has data: the outbox's rows
survive the SQLite table rebuild, the new kinds and status are accepted, and a space's
weekly-recap value moves into each of its channels (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot.paths import migrations_dir
from bot.store import migrate
from bot.store.postgres.migrate import migrate as pg_migrate
from bot.store.postgres.migrate import postgres_migrations_dir

BEFORE = 7  # the schema version the data is written at
SUBSCRIPTION = (
    "INSERT INTO subscriptions (id, platform, space_id, channel_id, post_time, timezone, days, "
    "reveal_after_s, created_at, updated_at) VALUES (?, 'slack', ?, ?, '09:00', 'UTC', "
    "'mon,tue,wed,thu,fri', 3600, 0, 0)"
)
SPACE_SETTING = (
    "INSERT INTO space_settings (platform, space_id, key, value, updated_by, updated_at) "
    "VALUES ('slack', ?, ?, ?, 'ann', 5)"
)
NOTICE = (
    "INSERT INTO deliveries (id, kind, subscription_id, body, status, due_at, attempts, "
    "created_at) VALUES (41, 'notice', 1, 'invite me', 'parked', 100, 2, 90)"
)
CHANNEL_SETTINGS = (
    "SELECT space_id, channel_id, key, value, updated_by FROM channel_settings ORDER BY channel_id"
)
SPACE_SETTINGS = "SELECT space_id, key, value FROM space_settings ORDER BY space_id, key"
MOVED = [("T1", "C1", "weekly-recap", "on", "ann"), ("T1", "C2", "weekly-recap", "on", "ann")]
KEPT = [("T1", "suggestion-limit", "5")]


def _first(folder: Path, target: Path) -> Path:
    """A folder with the migrations up to BEFORE."""
    target.mkdir()
    for path in sorted(folder.glob("*.sql"))[:BEFORE]:
        shutil.copy(path, target / path.name)
    return target


SEED: list[tuple[str, list[object]]] = [
    (SUBSCRIPTION, [1, "T1", "C1"]), (SUBSCRIPTION, [2, "T1", "C2"]), (SUBSCRIPTION, [3, "T2", "C3"]),
    (SPACE_SETTING, ["T1", "weekly-recap", "on"]), (SPACE_SETTING, ["T1", "suggestion-limit", "5"]),
    (NOTICE, []),
]  # fmt: skip


def test_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    conn = migrate.connect(path)
    try:
        migrate.migrate(conn, _first(migrations_dir(), tmp_path / "old"))
        assert migrate.schema_version(conn) == BEFORE
        for sql, params in SEED:
            conn.execute(sql, params)
        migrate.migrate(conn)
        assert [tuple(r) for r in conn.execute(CHANNEL_SETTINGS)] == MOVED
        assert [tuple(r) for r in conn.execute(SPACE_SETTINGS)] == KEPT
        kept = conn.execute("SELECT id, kind, status, attempts, body FROM deliveries").fetchall()
        assert [tuple(r) for r in kept] == [(41, "notice", "parked", 2, "invite me")]
        conn.execute(
            "INSERT INTO deliveries (kind, subscription_id, body, status, due_at, created_at) "
            "VALUES ('recap', 1, '2026-11-30', 'dropped', 0, 0)"
        )
        with pytest.raises(sqlite3.IntegrityError):  # one recap per channel and week
            conn.execute(
                "INSERT INTO deliveries (kind, subscription_id, body, due_at, created_at) "
                "VALUES ('recap', 1, '2026-11-30', 0, 0)"
            )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO deliveries (kind, subscription_id, due_at, created_at) "
                "VALUES ('fax', 1, 0, 0)"
            )
    finally:
        conn.close()


async def test_postgresql(postgres_empty: str, tmp_path: Path) -> None:
    conn = await asyncpg.connect(postgres_empty)
    try:
        await pg_migrate(conn, _first(postgres_migrations_dir(), tmp_path / "old"))
        for sql, params in SEED:
            numbered = sql
            for n in range(1, sql.count("?") + 1):
                numbered = numbered.replace("?", f"${n}", 1)
            await conn.execute(numbered, *params)
        await pg_migrate(conn)
        assert [tuple(r) for r in await conn.fetch(CHANNEL_SETTINGS)] == MOVED
        assert [tuple(r) for r in await conn.fetch(SPACE_SETTINGS)] == KEPT
        kept = await conn.fetch("SELECT id, kind, status, attempts, body FROM deliveries")
        assert [tuple(r) for r in kept] == [(41, "notice", "parked", 2, "invite me")]
        await conn.execute(
            "INSERT INTO deliveries (kind, subscription_id, body, status, due_at, created_at) "
            "VALUES ('recap', 1, '2026-11-30', 'dropped', 0, 0)"
        )
        with pytest.raises(asyncpg.UniqueViolationError):
            await conn.execute(
                "INSERT INTO deliveries (kind, subscription_id, body, due_at, created_at) "
                "VALUES ('recap', 1, '2026-11-30', 0, 0)"
            )
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute(
                "INSERT INTO deliveries (kind, subscription_id, due_at, created_at) "
                "VALUES ('fax', 1, 0, 0)"
            )
    finally:
        await conn.close()
