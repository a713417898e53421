"""Persistence: the SQLite store (the embedded default) and the PostgreSQL store
(`bot.store.postgres`), the only packages that write SQL.

Both implement `bot.core.storage.Store` over the records of `bot.core.records`; `open_store`
opens the one a location names (a path or `sqlite:///…`, or `postgresql://…`).
"""

from __future__ import annotations

from pathlib import Path

from bot.core.storage import Store
from bot.store.migrate import DatabaseTooNewError
from bot.store.sqlite import SqliteStore
from bot.store.standings import StandingsTuning
from bot.store.url import is_postgres, mask_url, sqlite_path


async def open_store(
    location: str | Path, *, read_only: bool = False, tuning: StandingsTuning | None = None
) -> Store:
    """Open (and migrate, unless `read_only`) the store at `location`."""
    if is_postgres(location):
        from bot.store.postgres.store import PostgresStore  # asyncpg only when asked for

        return await PostgresStore.open(str(location), read_only=read_only, tuning=tuning)
    return await SqliteStore.open(sqlite_path(location), read_only=read_only, tuning=tuning)


__all__ = [
    "DatabaseTooNewError",
    "SqliteStore",
    "StandingsTuning",
    "is_postgres",
    "mask_url",
    "open_store",
    "sqlite_path",
]
