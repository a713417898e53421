"""Opening the SQLite file and bringing its schema up to date from migrations/*.sql.

Plain functions over a sqlite3 connection: the store runs them on its database thread.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.errors import DatabaseError, SchemaTooNewError
from bot.paths import migrations_dir

log = logging.getLogger(__name__)
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# The database was written by a newer practicebot; running old code on it could lose data.
DatabaseTooNewError = SchemaTooNewError


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


def _prepare(path: Path, *, create: bool) -> None:
    """Check the path before connecting (SQLite would create or misread it)."""
    if path.is_dir():
        raise DatabaseError(
            f"{path} is a folder; --db (PRACTICEBOT_DB) names the database file, "
            f"e.g. {path / 'practicebot.db'}."
        )
    if not create and not path.is_file():
        raise DatabaseError(
            f"No database at {path} yet: the bot creates it when it first starts "
            "(make run), or pass --db with the right file."
        )
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(
                f"Cannot create the folder {path.parent}: {error.strerror}."
            ) from None


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open the database file with the settings the bot relies on; rows come as sqlite3.Row.

    `create=False` (the read-only commands) never creates the file or its folder, and refuses a
    file that is not a practicebot database instead of turning it into one.
    """
    _prepare(path, create=create)
    try:
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves for every write transaction.
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as error:
        raise DatabaseError(f"Cannot open the database {path}: {error}.") from None
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        _check_is_ours(conn, path)  # before WAL mode changes someone else's file
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        # An answer's transaction dirties about six pages of as many indexes (24 kB of WAL an
        # answer): at SQLite's defaults (a 2 MB cache, a checkpoint every 1,000 pages) the
        # database thread spent more time in the kernel, re-reading pages and copying and
        # syncing them at each checkpoint, than in SQL. A checkpoint every 4,000 pages (16 MB
        # of WAL; the file is cut back to 32 MB at most) and an 8 MB cache take a third off
        # an answer's cost on the database thread (`make bench`, the README's Performance).
        conn.execute("PRAGMA cache_size = -8000")
        conn.execute("PRAGMA wal_autocheckpoint = 4000")
        conn.execute("PRAGMA journal_size_limit = 33554432")
    except sqlite3.DatabaseError as error:
        conn.close()
        raise DatabaseError(f"{path} is not a practicebot database ({error}).") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _check_is_ours(conn: sqlite3.Connection, path: Path) -> None:
    """An SQLite file with tables but no schema version was made by something else."""
    if schema_version(conn) > 0:
        return
    row = conn.execute("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").fetchone()
    if row and row["n"]:
        raise DatabaseError(f"{path} is an SQLite database, but not a practicebot one.")


def require_current(conn: sqlite3.Connection, path: Path) -> None:
    """For read-only commands: the schema must be exactly this code's (nothing is migrated)."""
    current, latest = schema_version(conn), len(find_migrations())
    if current > latest:
        migrate(conn)  # raises SchemaTooNewError with its message
    if current < latest:
        raise DatabaseError(
            f"{path} is at schema version {current}; this practicebot needs {latest}. "
            "Run `practicebot db migrate` (or start the bot) first."
        )


def schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row["user_version"]) if row else 0


def migrate(conn: sqlite3.Connection, folder: Path | None = None) -> list[int]:
    """Apply every migration newer than the database, each in its own transaction."""
    migrations = find_migrations(folder)
    current = schema_version(conn)
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
            conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        log.info("applied migration %s", migration.path.name)
        applied.append(migration.version)
    return applied
