"""Online backups through SQLite's backup API, safe while the bot runs, and restores."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.errors import PracticeError
from bot.ops.lock import DatabaseLock
from bot.store.migrate import find_migrations

log = logging.getLogger(__name__)
DAILY_PATTERN = "practicebot-*.db"


def backup_database(source: Path, target: Path) -> int:
    """Copy a live database page by page into `target`; returns the schema version copied."""
    if not source.is_file():
        raise PracticeError(f"No database at {source}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source, timeout=10) as src, sqlite3.connect(partial) as dst:
        src.backup(dst)
        version = int(dst.execute("PRAGMA user_version").fetchone()[0])
    src.close()
    dst.close()
    partial.replace(target)  # a reader never sees a half-written backup
    return version


def _check_backup(path: Path) -> int:
    if not path.is_file():
        raise PracticeError(f"No backup at {path}.")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise PracticeError(f"{path} is damaged (integrity check failed).")
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.close()
    except sqlite3.DatabaseError as error:
        raise PracticeError(f"{path} is not an SQLite database: {error}") from None
    if "rounds" not in tables or version < 1:
        raise PracticeError(f"{path} is not a practicebot database.")
    if version > len(find_migrations()):
        raise PracticeError(f"{path} was made by a newer practicebot (schema {version}).")
    return version


def restore_database(backup: Path, target: Path) -> None:
    """Replace `target` with `backup`; refuses while a bot runs on `target`."""
    _check_backup(backup)
    with DatabaseLock(target):  # raises DatabaseInUseError while the bot runs
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(backup) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()


def daily_backup(db_path: Path, folder: Path, keep_days: int, now: datetime | None = None) -> Path:
    """Today's backup in `folder`, and backups older than `keep_days` removed."""
    now = now or datetime.now(UTC)
    target = folder / f"practicebot-{now:%Y%m%d}.db"
    backup_database(db_path, target)
    cutoff = (now - timedelta(days=keep_days)).strftime("%Y%m%d")
    for old in folder.glob(DAILY_PATTERN):
        stamp = old.stem.removeprefix("practicebot-")
        if stamp.isdigit() and stamp < cutoff:
            old.unlink()
    log.info("daily backup written path=%s", target)
    return target
