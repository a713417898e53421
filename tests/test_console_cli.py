"""The console adapter and the CLI, driven as a user would: a subprocess with piped stdin."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers import FIXTURE_BANK

FIVE_DAYS = """\
I am Alice and this is day one
/user Bob
Bob on day one
/advance 1d
/advance 2h
/user Alice
Alice on day two
/advance 1d
Alice on day three
/user Bob
Bob on day three
/advance 1d
Bob on day four
/user Alice
Alice on day four
/advance 3d
Alice on day five
/streak
/advance 1d
/leaderboard
/quit
"""


def practicebot(
    *args: str, db: Path, stdin: str = "", check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN")}
    env["PRACTICEBOT_QUESTIONS"] = str(FIXTURE_BANK)
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=60, check=check,
    )  # fmt: skip


def leaderboard_json(db: Path) -> dict[str, object]:
    result = practicebot("leaderboard", "--channel", "console:local:general", "--json", db=db)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_five_days_with_two_users(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    session = practicebot(
        "console", "--clock", "manual", "--start", "2026-12-01T08:00",
        "--timezone", "Europe/Berlin", "--user", "Alice",
        db=db, stdin=FIVE_DAYS,
    )  # fmt: skip
    out = session.stdout
    assert "Question of the day" in out.split("You are Alice")[0], (
        "the first question is shown at once"
    )
    assert out.count("Question of the day") == 6  # Tue, Wed, Thu, Fri, Mon, and next Tue
    assert out.count("Reveal: ") == 5
    assert (
        "Your current streak: 4 (best 4), 5 answers in all. Your answer to the open round counts"
        in out
    )
    assert "\x1b[" not in out, "no colour codes in a pipe"
    board = leaderboard_json(db)
    assert board["channel"] == "console:local:general"
    assert board["window"] == "all"
    entries = [
        {k: e[k] for k in ("user", "name", "current_streak", "best_streak", "answers")}
        for e in board["entries"]  # type: ignore[attr-defined]
    ]
    assert entries == [
        {"user": "alice", "name": "Alice", "current_streak": 5, "best_streak": 5, "answers": 5},
        {"user": "bob", "name": "Bob", "current_streak": 0, "best_streak": 2, "answers": 3},
    ]


def test_a_second_start_shows_the_open_round_and_posts_nothing_new(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    args = ("console", "--clock", "manual", "--start", "2026-12-01T10:00", "--timezone", "UTC")
    practicebot(*args, db=db, stdin="hello\n")
    again = practicebot(*args, db=db, stdin="/status\n")
    assert "Question of the day" not in again.stdout
    assert "Open round:" in again.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM rounds").fetchone()[0] == 1


def test_run_without_credentials_starts_the_console(tmp_path: Path) -> None:
    result = practicebot("run", "--user", "Newcomer", db=tmp_path / "bot.db", stdin="")
    assert "starting the console adapter" in result.stderr
    assert "Question of the day" in result.stdout
    assert "You are Newcomer" in result.stdout


def test_bad_console_input_gets_clear_replies_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    script = "/subscribe 09:30 Europe/Berln\n/subscribe 9.30\n/leaderboard year\n/frobnicate\n/quiz nope\n"
    result = practicebot("console", "--clock", "manual", "--timezone", "UTC", db=db, stdin=script)
    out = result.stdout
    assert "Unknown timezone 'Europe/Berln' — did you mean 'Europe/Berlin'?" in out
    assert "Time must be HH:MM on a 24-hour clock, like 09:30 (got '9.30')." in out
    assert "Window must be week, month or all (got 'year')." in out
    assert "Unknown command '/frobnicate'" in out
    assert "Unknown pack 'nope'. Packs: alpha, beta." in out
    channels = json.loads(practicebot("channels", "--json", db=db).stdout)
    assert [(c["post_time"], c["timezone"]) for c in channels] == [("09:00", "UTC")]


def test_questions_validate_lists_every_problem(tmp_path: Path) -> None:
    ok = practicebot("questions", "validate", str(FIXTURE_BANK), db=tmp_path / "x.db")
    assert ok.stdout.startswith("OK: 6 questions in 2 packs")
    bank = tmp_path / "bank" / "mine"
    bank.mkdir(parents=True)
    (bank / "pack.yaml").write_text("title: Mine\n", encoding="utf-8")
    (bank / "mine-q.md").write_text(
        "---\nid: mine-q\ndifficulty: hard\n---\nQ?\n", encoding="utf-8"
    )
    bad = practicebot(
        "questions", "validate", str(tmp_path / "bank"), db=tmp_path / "x.db", check=False
    )
    assert bad.returncode == 1
    lines = [line for line in bad.stderr.splitlines() if re.match(r"^/.+:\d+: ", line)]
    assert f"{bank / 'pack.yaml'}:1: 'description' must be a non-empty string" in lines
    assert f"{bank / 'mine-q.md'}:2: missing field 'key_points'" in lines
    assert len(lines) >= 5


def test_run_refuses_an_invalid_bank(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = practicebot("--questions", str(empty), "console", db=tmp_path / "x.db", check=False)
    assert result.returncode == 1
    assert "no questions found" in result.stderr
    assert not (tmp_path / "x.db").exists() or "Traceback" not in result.stderr


def test_db_migrate_and_a_database_from_the_future(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    assert "schema is up to date" in practicebot("db", "migrate", db=db).stdout
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 42")
    result = practicebot("db", "migrate", db=db, check=False)
    assert result.returncode == 1
    assert "schema version 42" in result.stderr and "Traceback" not in result.stderr


def test_questions_list_and_help(tmp_path: Path) -> None:
    listing = practicebot("questions", "list", "--pack", "beta", db=tmp_path / "x.db").stdout
    assert [line.split()[0] for line in listing.splitlines()] == [
        "beta-one",
        "beta-three",
        "beta-two",
    ]
    for command in (
        ["--help"],
        ["run", "--help"],
        ["leaderboard", "--help"],
        ["db", "migrate", "--help"],
    ):
        assert practicebot(*command, db=tmp_path / "x.db").stdout.startswith("usage: practicebot")
