"""The PostgreSQL store: `bot.core.storage.Store` over an asyncpg pool.

Each area is a module of its own, as in the SQLite store; this class puts them together and
owns the pool. Opening migrates the schema under an advisory lock (`migrate`), or, read-only,
checks that it is exactly this code's.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

import asyncpg

from bot.errors import DatabaseError
from bot.store.migrate import find_migrations
from bot.store.postgres.answers import PgAnswers
from bot.store.postgres.boards import PgBoards
from bot.store.postgres.deliveries import PgDeliveries
from bot.store.postgres.feedback import PgFeedbacks
from bot.store.postgres.installs import PgInstalls
from bot.store.postgres.learning import PgLearning
from bot.store.postgres.migrate import migrate, postgres_migrations_dir, schema_version
from bot.store.postgres.misc import PgHistory, PgSpaces, PgState
from bot.store.postgres.missed import PgMissed
from bot.store.postgres.outbox_kinds import PgOutboxKinds
from bot.store.postgres.recaps import PgRecaps
from bot.store.postgres.repairs import PgRepairs
from bot.store.postgres.rounds import PgRounds
from bot.store.postgres.subscriptions import PgSubscriptions
from bot.store.postgres.suggestions import PgSuggestions
from bot.store.standings import StandingsTuning
from bot.store.url import mask_url

if TYPE_CHECKING:
    from bot.store.postgres.migrate import Conn


class PostgresStore(
    PgSubscriptions, PgRounds, PgAnswers, PgBoards, PgLearning, PgState, PgSpaces, PgHistory,
    PgSuggestions,
    PgRepairs, PgMissed, PgRecaps, PgDeliveries, PgOutboxKinds, PgFeedbacks, PgInstalls,
):  # fmt: skip
    def __init__(self, pool: asyncpg.Pool, tuning: StandingsTuning | None = None) -> None:
        self._pool = pool
        self._tuning = tuning or StandingsTuning()

    @classmethod
    async def open(
        cls,
        url: str,
        migrations: Path | None = None,
        *,
        read_only: bool = False,
        tuning: StandingsTuning | None = None,
        min_size: int = 1,
        max_size: int = 10,
    ) -> PostgresStore:
        """Connect a pool to `url` and migrate (or, `read_only`, require a current schema)."""
        try:
            pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise DatabaseError(
                f"Cannot connect to the database {mask_url(url)}: {error}."
            ) from None
        try:
            async with pool.acquire() as conn:
                if read_only:
                    await require_current(conn, url, migrations)
                else:
                    await migrate(conn, migrations)
        except BaseException:
            await pool.close()
            raise
        return cls(pool, tuning)

    async def close(self) -> None:
        await self._pool.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


async def require_current(
    conn: Conn, url: str, migrations: Path | None = None
) -> None:
    """For read-only commands: the schema must be exactly this code's (nothing is migrated)."""
    current = await schema_version(conn)
    latest = len(find_migrations(migrations or postgres_migrations_dir()))
    if current > latest:
        await migrate(conn, migrations)  # raises SchemaTooNewError with its message
    if current < latest:
        raise DatabaseError(
            f"{mask_url(url)} is at schema version {current}; this practicebot needs {latest}. "
            "Run `practicebot db migrate` (or start the bot) first."
        )
