"""Several processes on one database (issue 13): each has a name, in its log lines, in the
delivery claims it makes (tests/contract/test_deliveries.py) and in its own heartbeat, and
`practicebot health` reports per process."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import pytest

from bot.ops import health, logs
from bot.ops.settings import read_environment, read_settings, validate
from tests.postgres import PostgresServer


def beat(path: Path, *, age_s: float = 0.0) -> None:
    path.write_text(
        json.dumps(
            {"pid": os.getpid(), "written_at": time.time() - age_s, "database_ok": True,
             "platforms": {"slack": {"live": True, "detail": "HTTP mode listening"}}}
        ),
        encoding="utf-8",
    )  # fmt: skip


def test_health_reports_each_process_on_postgresql(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    stem = tmp_path / "practicebot-postgresql"
    assert health.check(stem, database=postgres_server.uri)[0] is False  # none running
    beat(health.heartbeat_path(stem, "bot-a"))
    beat(health.heartbeat_path(stem, "bot-b"), age_s=600)
    healthy, lines = health.check(stem, database=postgres_server.uri)
    assert not healthy
    assert any(line.startswith("bot-a: ok") for line in lines), lines
    assert any(line.startswith("bot-b: heartbeat is") for line in lines), lines
    healthy, lines = health.check(stem, database=postgres_server.uri, process="bot-a")
    assert healthy and lines[0].startswith("bot-a: ok"), lines


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_every_log_line_names_the_process(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("INFO", fmt, [], process="bot-a")
    try:
        logging.getLogger("bot.test").info("delivered post")
        line = capsys.readouterr().err.strip()
    finally:
        logs.configure("WARNING", "text", [])
    if fmt == "json":
        assert json.loads(line)["process"] == "bot-a"
    else:
        assert "[bot-a] bot.test: delivered post" in line


def test_a_process_name_is_checked_and_defaults_to_host_and_pid(tmp_path: Path) -> None:
    bad = read_environment({"PRACTICEBOT_PROCESS_NAME": "bot a; rm"}, tmp_path / ".env")
    assert any("PRACTICEBOT_PROCESS_NAME" in problem for problem in validate(bad))
    default = read_settings(read_environment({}, tmp_path / ".env"))
    assert default.process_name.endswith(f"-{os.getpid()}")
    named = read_settings(read_environment({"PRACTICEBOT_PROCESS_NAME": "bot-1"}, tmp_path / ".env"))
    assert named.process_name == "bot-1"
