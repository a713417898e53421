"""PostgreSQL schema migrations: applied once, under a lock, and never on a newer database."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from bot.errors import SchemaTooNewError
from bot.store.migrate import find_migrations
from bot.store.postgres.migrate import migrate, postgres_migrations_dir, schema_version


def test_the_migrations_mirror_the_sqlite_ones() -> None:
    """Same numbers and names, so a copied database keeps its schema version."""
    sqlite = [m.path.name for m in find_migrations()]
    postgres = [m.path.name for m in find_migrations(postgres_migrations_dir())]
    assert postgres == sqlite


async def test_a_fresh_database_gets_every_table(postgres_empty: str) -> None:
    conn = await asyncpg.connect(postgres_empty)
    try:
        applied = await migrate(conn)
        assert applied == [m.version for m in find_migrations(postgres_migrations_dir())]
        assert await schema_version(conn) == len(applied)
        tables = {
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        assert {"subscriptions", "rounds", "answers", "members", "space_board_keys"} <= tables
        assert await migrate(conn) == [], "a second run has nothing to do"
    finally:
        await conn.close()


async def test_two_processes_starting_together_migrate_once(postgres_empty: str) -> None:
    first, second = await asyncpg.connect(postgres_empty), await asyncpg.connect(postgres_empty)
    try:
        applied = await asyncio.gather(migrate(first), migrate(second))
        assert sorted(map(len, applied)) == [0, len(find_migrations(postgres_migrations_dir()))]
        count = await first.fetchval("SELECT count(*) FROM schema_version")
        assert count == len(find_migrations(postgres_migrations_dir()))
    finally:
        await first.close()
        await second.close()


async def test_a_newer_database_is_refused_and_left_alone(postgres_db: str) -> None:
    conn = await asyncpg.connect(postgres_db)
    try:
        await conn.execute("INSERT INTO schema_version (version) VALUES (99)")
        with pytest.raises(SchemaTooNewError, match="schema version 99"):
            await migrate(conn)
        assert await schema_version(conn) == 99
    finally:
        await conn.close()


async def test_the_space_board_keys_follow_the_space_members(postgres_db: str) -> None:
    """The PL/pgSQL trigger keeps one count per board key, as SQLite's triggers do."""
    conn = await asyncpg.connect(postgres_db)
    try:
        insert = (
            "INSERT INTO space_members (platform, space_id, user_id, name, current_streak, "
            "answers) VALUES ('slack', 'T1', $1, $1, $2, $3)"
        )
        await conn.execute(insert, "ann", 2, 5)
        await conn.execute(insert, "bob", 2, 5)
        await conn.execute("UPDATE space_members SET current_streak = 3 WHERE user_id = 'bob'")
        rows = await conn.fetch(
            "SELECT k1, k2, n FROM space_board_keys WHERE board = 'streak' AND n > 0 ORDER BY k1"
        )
        assert [tuple(r) for r in rows] == [(2, 5, 1), (3, 5, 1)]
        await conn.execute("DELETE FROM space_members WHERE user_id = 'ann'")
        rows = await conn.fetch("SELECT k1, n FROM space_board_keys WHERE board = 'all' AND n > 0")
        assert [tuple(r) for r in rows] == [(5, 1)]
    finally:
        await conn.close()


def test_the_folder_is_shipped_beside_the_sqlite_migrations() -> None:
    assert postgres_migrations_dir().parent == find_migrations()[0].path.parent
