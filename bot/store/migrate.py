"""Opening the SQLite file and bringing its schema up to date from migrations/*.sql."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.paths import migrations_dir

log = logging.getLogger(__name__)
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseTooNewError(RuntimeError):
    """The database was written by a newer practicebot; running old code on it could lose data."""


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path


def find_migrations(folder: Path | None = None) -> list[Migration]:
    folder = folder or migrations_dir()
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if not match:
            raise RuntimeError(f"{path}: migration files are named NNNN_description.sql")
        found.append(Migration(int(match.group(1)), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"{folder}: migrations must be numbered 0001, 0002, … with no gaps")
    return found


async def connect(path: Path) -> aiosqlite.Connection:
    """Open the database file (and its folder) with the settings the bot relies on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves for every write transaction.
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA busy_timeout = 5000")
        await conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        await conn.close()
        raise
    return conn


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection, folder: Path | None = None) -> list[int]:
    """Apply every migration newer than the database, each in its own transaction."""
    migrations = find_migrations(folder)
    current = await schema_version(conn)
    latest = migrations[-1].version if migrations else 0
    if current > latest:
        raise DatabaseTooNewError(
            f"The database is at schema version {current}, but this practicebot only knows "
            f"up to {latest}. Upgrade practicebot (or restore a backup) before starting it."
        )
    applied = []
    for migration in migrations:
        if migration.version <= current:
            continue
        sql = migration.path.read_text(encoding="utf-8")
        script = f"BEGIN IMMEDIATE;\n{sql}\n;PRAGMA user_version = {migration.version};\nCOMMIT;"
        try:
            await conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise
        log.info("applied migration %s", migration.path.name)
        applied.append(migration.version)
    return applied
