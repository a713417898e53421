from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.ops import logs
from tests.slack.fake_oauth import CLIENT_SECRET
from tests.slack.fake_slack import BOT_TOKEN
from tests.slack.harness import SECRET, OrdinalGrader, SlackHarness


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


class Raw(logging.Handler):
    """Every record as our code emitted it, before any redaction."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter().format(record))


@pytest.fixture
def captured() -> Iterator[tuple[io.StringIO, Raw]]:
    """The log lines as formatted (secrets blanked) and as emitted (before that)."""
    logs.configure("DEBUG", "json", [BOT_TOKEN, SECRET, CLIENT_SECRET])
    root = logging.getLogger()
    formatted = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(formatted)
    raw = Raw()
    root.addHandler(raw)
    yield formatted, raw
    root.handlers.clear()
