"""The store contract: one set of tests every store implementation must pass.

Each test takes `store` (a fresh, migrated store) or `open_store` (to open one, or a second one
on the same database); both run once per implementation in `STORES`. To add a store, add its
opener here: a coroutine function from a location (a fresh temporary path per test) to an open
`bot.core.ports.Store`. A server-backed store derives a fresh database from the location.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.ports import Store, StoreOpener
from bot.store import SqliteStore
from tests.helpers import World

STORES: dict[str, StoreOpener] = {
    "sqlite": SqliteStore.open,
}
# Server-backed stores: the fixture that gives the opener (tests/postgres.py: a real server).
SERVER_STORES: dict[str, str] = {
    "postgresql": "postgres_opener",
}


@pytest.fixture(params=sorted([*STORES, *SERVER_STORES]))
def open_store(request: pytest.FixtureRequest) -> StoreOpener:
    if request.param in SERVER_STORES:
        opener: StoreOpener = request.getfixturevalue(SERVER_STORES[request.param])
        return opener
    return STORES[request.param]


@pytest.fixture
def location(tmp_path: Path) -> Path:
    return tmp_path / "bot.db"


@pytest.fixture
async def store(open_store: StoreOpener, location: Path) -> AsyncIterator[Store]:
    async with await open_store(location) as opened:
        yield opened


@pytest.fixture
async def world(open_store: StoreOpener, location: Path) -> AsyncIterator[World]:
    """The engine on this store, a manual clock and a recording publisher (tests.helpers)."""
    opened = await World.open(location, open_store=open_store)
    yield opened
    await opened.close()
