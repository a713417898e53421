from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.helpers import World


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    opened = await World.open(tmp_path / "bot.db")
    yield opened
    await opened.store.close()


# A real PostgreSQL server for the tests that ask for one (tests/postgres.py).
pytest_plugins = ["tests.postgres"]
