"""PostgreSQL chosen by URL: the console's daily loop, the CLI, the masked password, db copy.

Each test runs `practicebot` as a subprocess on a real PostgreSQL (tests/postgres.py), in a
working folder of its own, to see that a URL is never taken for a file path.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from bot.core.records import SuggestionFields
from bot.ops import logs
from bot.ops.settings import Environment, effective, read_settings, secret_values
from bot.store.postgres.store import PostgresStore
from tests.helpers import FIXTURE_BANK
from tests.test_console_cli import FIVE_DAYS

SECRET_URL = "postgresql://bot:s3cr@db.example:5432/practicebot"
NOW = datetime(2026, 12, 10, 8, 0, tzinfo=UTC)


def practicebot(
    *args: str, db: str | Path, cwd: Path, check: bool = True, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN")}
    env["PRACTICEBOT_QUESTIONS"] = str(FIXTURE_BANK)
    env["PRACTICEBOT_STATE_DIR"] = str(cwd / "state")
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=60, check=check, cwd=cwd,
    )  # fmt: skip


def board(db: str | Path, cwd: Path) -> list[dict[str, object]]:
    result = practicebot(
        "leaderboard", "--channel", "console:local:general", "--json", db=db, cwd=cwd
    )
    entries: list[dict[str, object]] = json.loads(result.stdout)["entries"]
    return [
        {k: e[k] for k in ("user", "name", "current_streak", "best_streak", "answers")}
        for e in entries
    ]


def five_days(db: str | Path, cwd: Path) -> str:
    return practicebot(
        "console", "--clock", "manual", "--start", "2026-12-01T08:00",
        "--timezone", "Europe/Berlin", "--user", "Alice", db=db, cwd=cwd, stdin=FIVE_DAYS,
    ).stdout  # fmt: skip


EXPECTED = [
    {"user": "alice", "name": "Alice", "current_streak": 5, "best_streak": 5, "answers": 5},
    {"user": "bob", "name": "Bob", "current_streak": 0, "best_streak": 2, "answers": 3},
]


def url_folders(root: Path) -> list[Path]:
    """Folders a URL taken for a path would make (`postgresql:`, and under it)."""
    return [p for p in root.rglob("*") if p.is_dir() and p.name.startswith("postgres")]


async def count(url: str, table: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval(f"SELECT COUNT(*) FROM {table}"))
    finally:
        await conn.close()


async def test_the_console_daily_loop_on_postgresql(postgres_db: str, tmp_path: Path) -> None:
    out = five_days(postgres_db, tmp_path)
    assert out.count("Question of the day") == 6
    assert out.count("Reveal: ") == 5
    assert board(postgres_db, tmp_path) == EXPECTED
    # In the server, not in a file: no folder named after the URL anywhere.
    assert await count(postgres_db, "rounds") == 6
    assert await count(postgres_db, "answers") == 8
    assert url_folders(tmp_path) == []
    channels = practicebot("channels", "--json", db=postgres_db, cwd=tmp_path)
    assert "console:local:general" in channels.stdout
    migrate = practicebot("db", "migrate", db=postgres_db, cwd=tmp_path)
    assert "schema is up to date" in migrate.stdout


async def test_db_copy_sqlite_to_postgresql_and_back(postgres_db: str, tmp_path: Path) -> None:
    sqlite_db = tmp_path / "bot.db"
    five_days(sqlite_db, tmp_path)
    with sqlite3.connect(sqlite_db) as conn:
        conn.execute(
            "INSERT INTO suggestions (id, platform, space_id, author_id, author_name, text, "
            "status, created_at) VALUES (7, 'console', 'local', 'U1', 'Ann', 'Why?', 'approved', 0)"
        )
    there = practicebot("db", "copy", "--from", str(sqlite_db), "--to", postgres_db,
                        db=sqlite_db, cwd=tmp_path)  # fmt: skip
    assert "checked" in there.stdout
    assert board(postgres_db, tmp_path) == EXPECTED
    with sqlite3.connect(sqlite_db) as conn:
        rounds = conn.execute("SELECT COUNT(*) FROM rounds").fetchone()[0]
    assert await count(postgres_db, "rounds") == rounds
    # Not into a database that has data, unless told.
    again = practicebot("db", "copy", "--from", str(sqlite_db), "--to", postgres_db,
                        db=sqlite_db, cwd=tmp_path, check=False)  # fmt: skip
    assert again.returncode != 0 and "already has data" in again.stderr
    forced = practicebot("db", "copy", "--from", str(sqlite_db), "--to", postgres_db, "--force",
                         db=sqlite_db, cwd=tmp_path)  # fmt: skip
    assert forced.returncode == 0
    # The sequences follow the copied ids: the bot goes on where it was, on PostgreSQL.
    out = practicebot(
        "console", "--clock", "manual", "--start", "2026-12-10T08:00", "--timezone",
        "Europe/Berlin", "--user", "Alice", db=postgres_db, cwd=tmp_path, stdin="/quit\n",
    )  # fmt: skip
    assert out.returncode == 0
    store = await PostgresStore.open(postgres_db)
    async with store:
        added = await store.add_suggestion(
            "console", "local", None, "U2", "Bo", SuggestionFields("How?"), NOW
        )
    assert added is not None and added.id == 8
    back = tmp_path / "back.db"
    practicebot("db", "copy", "--from", postgres_db, "--to", str(back), db=back, cwd=tmp_path)
    assert board(back, tmp_path) == board(postgres_db, tmp_path)


def test_a_url_selects_postgresql_and_its_password_is_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = Environment({"PRACTICEBOT_DB": SECRET_URL})
    settings = read_settings(env)
    assert settings.db == SECRET_URL
    assert "postgresql" not in str(settings.db_path.parent)
    shown = dict((name, value) for name, value, _ in effective(env))
    assert shown["PRACTICEBOT_DB"] == "postgresql://bot:***@db.example:5432/practicebot"
    assert "s3cr" in secret_values(env)
    config = practicebot("config", db=SECRET_URL, cwd=tmp_path)
    assert "s3cr" not in config.stdout + config.stderr
    assert "bot:***@db.example" in config.stdout
    backup = practicebot("db", "backup", "x.dump", db=SECRET_URL, cwd=tmp_path, check=False)
    assert backup.returncode != 0 and "pg_dump" in backup.stderr
    assert "s3cr" not in backup.stdout + backup.stderr
    assert url_folders(tmp_path) == []
    sqlite = read_settings(Environment({"PRACTICEBOT_DB": f"sqlite:///{tmp_path}/x.db"}))
    assert sqlite.db_path == tmp_path / "x.db"


def test_the_log_never_shows_the_database_password(capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("INFO", "text", [])  # even unknown to the filter: any URL's password
    logging.getLogger("test").info("connecting to %s", "postgresql://u:pw@host/db")
    logging.getLogger("test").info("and %s", SECRET_URL)
    err = capsys.readouterr().err
    assert "pw@" not in err and "s3cr" not in err
    assert "postgresql://u:[redacted]@host/db" in err
