"""Bad input on the command line: one clear line, a non-zero exit, nothing stored changed.

Each test runs `practicebot` as a subprocess, as a user would, in a folder of its own.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.ops.settings import embedding_installed
from tests.test_ops import ROOT, cli, cli_env


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_db(folder: Path) -> Path:
    db = folder / "bot.db"
    made = cli("--db", str(db), "db", "migrate", cwd=folder)
    assert made.returncode == 0, made.stderr
    return db


def rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        count = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    conn.close()
    return int(count)


# -- deploying -----------------------------------------------------------------------------


def test_the_documented_env_example_starts_as_it_is(tmp_path: Path) -> None:
    """`cp .env.example .env` leaves every value empty: empty means not set."""
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    shown = cli("config", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"PRACTICEBOT_DB\s+data/practicebot.db\s+\(default\)", shown.stdout)
    assert re.search(r"PRACTICEBOT_BACKUP_KEEP_DAYS\s+7\s+\(default\)", shown.stdout)
    started = cli(
        "console", "--clock", "manual", "--start", "2026-12-01T08:00", "--user", "Ann", cwd=tmp_path
    )
    assert started.returncode == 0, started.stderr
    assert "Traceback" not in started.stderr
    assert "Here is your first question" in started.stdout


def test_empty_values_in_the_environment_mean_not_set(tmp_path: Path) -> None:
    env = cli_env(PRACTICEBOT_DB="", PRACTICEBOT_GRADER=" ", PRACTICEBOT_BACKUP_KEEP_DAYS="")
    shown = cli("config", env=env, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"PRACTICEBOT_GRADER\s+auto\s+\(default\)", shown.stdout)


@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        (["channels"], {"PRACTICEBOT_LOG_LEVEL": "LOUD"}, "PRACTICEBOT_LOG_LEVEL: must be one of"),
        (["--log-level", "LOUD", "channels"], {}, "argument --log-level: invalid choice: 'LOUD'"),
        (["channels", "--log-level", "loud"], {}, "argument --log-level: invalid choice: 'LOUD'"),
        (["channels"], {"PRACTICEBOT_TZ": "Mars/Olympus"}, "PRACTICEBOT_TZ:"),
        (["--db", "/tmp", "db", "migrate"], {}, "PRACTICEBOT_DB: /tmp is a folder"),
    ],
)
def test_bad_settings_are_one_message_naming_them(
    tmp_path: Path, args: list[str], env: dict[str, str], needle: str
) -> None:
    result = cli(*args, env=cli_env(**env), cwd=tmp_path)
    assert_one_clear_line(result, needle)
    assert result.returncode == 2
    assert not (tmp_path / "data").exists()


@pytest.mark.skipif(embedding_installed(), reason="the [feedback] extra is installed here")
def test_an_embedding_grader_without_its_extra_is_a_configuration_problem(tmp_path: Path) -> None:
    env = cli_env(PRACTICEBOT_GRADER="embedding")
    for args in (["config"], ["console", "--clock", "manual"]):
        result = cli(*args, env=env, cwd=tmp_path)
        assert_one_clear_line(result, "PRACTICEBOT_GRADER: 'embedding' needs the [feedback] extra")
    assert not (tmp_path / "data").exists(), "nothing was started"


def test_config_shows_what_run_would_use_and_flags_work_after_the_command(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen.db"
    for args in (["--db", str(chosen), "config"], ["config", "--db", str(chosen)]):
        shown = cli(*args, cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        assert re.search(rf"PRACTICEBOT_DB\s+{re.escape(str(chosen))}\s+\(--db\)", shown.stdout)
    console = cli("console", "--db", str(chosen), "--clock", "manual", cwd=tmp_path)
    assert console.returncode == 0, console.stderr
    assert chosen.is_file() and not (tmp_path / "data").exists()


@pytest.mark.parametrize("args", [["config"], ["questions", "stats"], ["questions", "list"]])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, args: list[str]) -> None:
    """`practicebot config | head -1`: the reader goes away before the output is written."""
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", *args], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env=cli_env(), cwd=tmp_path,
    )  # fmt: skip
    assert bot.stdout is not None and bot.stderr is not None
    bot.stdout.close()
    code = bot.wait(timeout=60)
    assert code == 141
    assert bot.stderr.read() == b""


# -- read-only commands and the database ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["channels"], ["leaderboard", "--channel", "console:local:general"], ["config"], ["health"]],
)
def test_read_only_commands_never_create_a_database(tmp_path: Path, args: list[str]) -> None:
    result = cli(*args, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    if args[0] != "config":
        assert result.returncode == 1
    assert list(tmp_path.iterdir()) == [], "no database, no folder"


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    shutil.copy(ROOT / "README.md", readme)
    before = digest(readme)
    for args in (["channels"], ["db", "migrate"], ["db", "backup", str(tmp_path / "b.db")]):
        result = cli("--db", str(readme), *args, cwd=tmp_path)
        assert_one_clear_line(result, "README.md is not a practicebot database")
    assert digest(readme) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]


def test_another_programs_sqlite_file_is_not_migrated(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    before = digest(other)
    result = cli("--db", str(other), "db", "migrate", cwd=tmp_path)
    assert_one_clear_line(result, "is an SQLite database, but not a practicebot one")
    assert digest(other) == before


def test_an_unknown_channel_on_the_leaderboard_is_an_error(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    result = cli("--db", str(db), "leaderboard", "--channel", "slack:T1:C404", cwd=tmp_path)
    assert_one_clear_line(result, "No channel slack:T1:C404", "practicebot channels")
    assert result.returncode == 1
    bad_key = cli("--db", str(db), "leaderboard", "--channel", "general", cwd=tmp_path)
    assert_one_clear_line(bad_key, "platform:space:channel")


# -- backups and restores ------------------------------------------------------------------


def test_backup_into_a_folder_gets_a_dated_name(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    folder = tmp_path / "backups"
    folder.mkdir()
    for target in (str(folder), str(tmp_path / "new-folder") + os.sep):
        made = cli("--db", str(db), "db", "backup", target, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        [written] = Path(target).iterdir()
        assert re.fullmatch(r"practicebot-\d{8}-\d{6}\.db", written.name)
        assert rows(written) == rows(db)
    assert not list(tmp_path.glob("*.partial"))


def test_backup_never_overwrites_without_force(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    target = tmp_path / "keep.db"
    target.write_bytes(b"precious")
    refused = cli("--db", str(db), "db", "backup", str(target), cwd=tmp_path)
    assert_one_clear_line(refused, "keep.db already exists", "--force")
    assert target.read_bytes() == b"precious"
    forced = cli("--db", str(db), "db", "backup", str(target), "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert rows(target) == rows(db)


def test_backup_to_an_unwritable_place_leaves_nothing(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for target in (blocker / "x.db", Path("/proc/practicebot-test.db")):
        result = cli("--db", str(db), "db", "backup", str(target), cwd=tmp_path)
        assert_one_clear_line(result, f"Cannot write the backup to {target}")
    assert blocker.read_text() == "not a folder"
    assert not list(tmp_path.rglob("*.partial"))


def test_restore_keeps_the_database_it_replaces(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    backup = tmp_path / "backup.db"
    assert cli("--db", str(db), "db", "backup", str(backup), cwd=tmp_path).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO processed_events VALUES ('test', 'newer than the backup', 0)")
    conn.close()
    restored = cli("db", "restore", str(backup), "--db", str(db), cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    [kept] = tmp_path.glob("bot.before-restore-*.db")
    assert f"Kept the database it replaced as {kept}" in restored.stdout
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT count(*) FROM processed_events").fetchone()[0] == 1
    conn.close()
    missing = cli("--db", str(db), "db", "restore", str(tmp_path / "nope.db"), cwd=tmp_path)
    assert_one_clear_line(missing, "No backup at")


def test_a_bug_is_still_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever escapes the bot's own errors is reported in one line with how to learn more."""
    from bot import cli as command_line

    def broken(*_: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(command_line, "_dispatch", broken)
    assert command_line.main(["channels"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error (RuntimeError: boom)" in err
    assert "--log-level DEBUG" in err
