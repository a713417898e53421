"""Online backups through SQLite's backup API, safe while the bot runs, and restores."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.errors import DatabaseError, OperatorError
from bot.ops.lock import DatabaseLock
from bot.store.migrate import find_migrations

log = logging.getLogger(__name__)
DAILY_PATTERN = "practicebot-*.db"


def backup_database(
    source: Path, target: Path, *, replace: bool = False, into_folder: bool = False
) -> tuple[Path, int]:
    """Copy a live database page by page; returns where it went and the schema version copied.

    A `target` that is a folder (or `into_folder`, for `backups/` not made yet) gets a dated file
    inside it. An existing file is replaced only with `replace`; a failed copy leaves nothing.
    """
    if not source.is_file():
        raise DatabaseError(f"No database at {source}.")
    check_database(source)
    if into_folder or target.is_dir():
        target = target / f"practicebot-{datetime.now(UTC):%Y%m%d-%H%M%S}.db"
    if target.exists() and not replace:
        raise OperatorError(
            f"{target} already exists: choose another name, or add --force to replace it."
        )
    if target.resolve() == source.resolve():
        raise OperatorError(f"{target} is the database itself: choose another name.")
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        version = _copy(source, partial)
        partial.replace(target)  # a reader never sees a half-written backup
    except (OSError, sqlite3.Error) as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise OperatorError(f"Cannot write the backup to {target}: {why}.") from None
    return target, version


def _copy(source: Path, target: Path) -> int:
    with sqlite3.connect(source, timeout=10) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        version = int(dst.execute("PRAGMA user_version").fetchone()[0])
    src.close()
    dst.close()
    return version


def _check_backup(path: Path) -> int:
    if not path.is_file():
        raise OperatorError(f"No backup at {path}.")
    version = check_database(path, integrity=True)
    if version > len(find_migrations()):
        raise OperatorError(f"{path} was made by a newer practicebot (schema {version}).")
    return version


def check_database(path: Path, *, integrity: bool = False) -> int:
    """The schema version of a practicebot database, or DatabaseError saying what it is not."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            if integrity and conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DatabaseError(f"{path} is damaged (integrity check failed).")
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path} is not a practicebot database ({error}).") from None
    if "rounds" not in tables or version < 1:
        raise DatabaseError(f"{path} is not a practicebot database.")
    return version


def restore_database(backup: Path, target: Path, now: datetime | None = None) -> Path | None:
    """Replace `target` with `backup`; refuses while a bot runs on `target`.

    The database it replaces is kept beside it first; returns that copy's path (None when
    there was no database yet).
    """
    _check_backup(backup)
    if target.is_dir():
        raise DatabaseError(f"{target} is a folder; --db names the database file.")
    with DatabaseLock(target):  # raises DatabaseInUseError while the bot runs
        kept = None
        if target.is_file():
            stamp = f"{now or datetime.now(UTC):%Y%m%d-%H%M%S}"
            kept, _ = backup_database(
                target, target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy(backup, target)
        except (OSError, sqlite3.Error) as error:
            raise OperatorError(f"Cannot restore into {target}: {error}.") from None
        return kept


def daily_backup(db_path: Path, folder: Path, keep_days: int, now: datetime | None = None) -> Path:
    """Today's backup in `folder`, and backups older than `keep_days` removed."""
    now = now or datetime.now(UTC)
    target = folder / f"practicebot-{now:%Y%m%d}.db"
    backup_database(db_path, target, replace=True)  # a second run the same day refreshes it
    cutoff = (now - timedelta(days=keep_days)).strftime("%Y%m%d")
    for old in folder.glob(DAILY_PATTERN):
        stamp = old.stem.removeprefix("practicebot-")
        if stamp.isdigit() and stamp < cutoff:
            old.unlink()
    log.info("daily backup written path=%s", target)
    return target
