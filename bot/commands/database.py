"""`db migrate|backup|restore|copy`, on SQLite and PostgreSQL (PostgreSQL's backups: its own tools)."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from bot.errors import OperatorError
from bot.ops.backup import backup_database, restore_database
from bot.ops.settings import Settings
from bot.store import is_postgres, mask_url, open_store
from bot.store.migrate import find_migrations


def run_db(args: argparse.Namespace, settings: Settings) -> int:
    if args.db_command == "copy":
        from bot.ops.copy import copy_command

        return copy_command(args.source, args.target, force=args.force)
    if is_postgres(settings.db):
        return _db_postgres(args, settings.db)
    db_path = settings.db_path
    if args.db_command == "backup":
        folder = args.path.endswith(("/", os.sep))
        target, version = backup_database(
            db_path, Path(args.path), replace=args.force, into_folder=folder
        )
        print(f"Backed up {db_path} to {target} (schema version {version}).")
        return 0
    if args.db_command == "restore":
        kept = restore_database(args.path, db_path)
        if kept is not None:
            print(f"Kept the database it replaced as {kept}.")
        print(f"Restored {db_path} from {args.path}. Start the bot to apply any newer migrations.")
        return 0
    return asyncio.run(_migrate(db_path))


async def _migrate(db_path: str | Path) -> int:
    async with await open_store(db_path):
        pass
    print(f"{mask_url(db_path)}: schema is up to date (version {len(find_migrations())}).")
    return 0


def _db_postgres(args: argparse.Namespace, url: str) -> int:
    """Backups of a PostgreSQL database are PostgreSQL's own tools' job: say how."""
    shown = mask_url(url)
    if args.db_command == "backup":
        raise OperatorError(
            f"practicebot does not back up PostgreSQL itself. Use pg_dump, e.g.\n"
            f"  pg_dump --format=custom --file={args.path or 'practicebot.dump'} '{shown}'\n"
            "(with the real password, or PGPASSWORD / ~/.pgpass), or your server's own backups."
        )
    if args.db_command == "restore":
        raise OperatorError(
            "practicebot does not restore PostgreSQL itself. With the bot stopped, use "
            f"pg_restore, e.g.\n  pg_restore --clean --if-exists --dbname='{shown}' {args.path}"
        )
    return asyncio.run(_migrate(url))
