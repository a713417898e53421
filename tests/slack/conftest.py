from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.slack.harness import OrdinalGrader, SlackHarness


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    harness = await SlackHarness.open(tmp_path)
    yield harness
    await harness.close()


@pytest.fixture
async def graded(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    """The same, with a deterministic grader for written answers and exact review intervals."""
    harness = await SlackHarness.open(tmp_path, grader=OrdinalGrader())
    yield harness
    await harness.close()
