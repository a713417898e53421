"""Bringing a PostgreSQL schema up to date from migrations/postgresql/*.sql.

The migrations mirror the SQLite ones number for number, so a database copied from one to
the other keeps its schema version. Several bot processes may start at once: the first to
take the advisory lock migrates, the others wait for it and then find nothing to do.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg

from bot.errors import SchemaTooNewError
from bot.paths import migrations_dir
from bot.store.migrate import Migration, find_migrations

log = logging.getLogger(__name__)
if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Conn = asyncpg.Connection | PoolConnectionProxy[asyncpg.Record]
# pg_advisory_lock takes a bigint: any fixed number that no other program on the server uses.
MIGRATION_LOCK = 7_230_114_871_001


def postgres_migrations_dir() -> Path:
    return migrations_dir() / "postgresql"


async def schema_version(conn: Conn) -> int:
    exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    return int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version"))


async def migrate(conn: Conn, folder: Path | None = None) -> list[int]:
    """Apply every migration newer than the database, each in its own transaction."""
    migrations: list[Migration] = find_migrations(folder or postgres_migrations_dir())
    latest = migrations[-1].version if migrations else 0
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        current = await schema_version(conn)
        if current > latest:
            raise SchemaTooNewError(
                f"The database is at schema version {current}, but this practicebot only "
                f"knows up to {latest}. Upgrade practicebot (or restore a backup) before "
                "starting it."
            )
        applied = []
        for migration in migrations:
            if migration.version <= current:
                continue
            async with conn.transaction():
                await conn.execute(migration.path.read_text(encoding="utf-8"))
                await conn.execute(
                    "INSERT INTO schema_version (version) VALUES ($1)", migration.version
                )
            log.info("applied migration postgresql/%s", migration.path.name)
            applied.append(migration.version)
        return applied
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
