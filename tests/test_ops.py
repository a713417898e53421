"""Operating the bot: deploy files, configuration, health, backups, logs, graceful shutdown."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.adapters.base import PlatformAdapter
from bot.core.engine import Engine
from bot.core.models import ChannelRef, RoundStatus
from bot.core.ports import PostedRef, RevealPost, RoundPost
from bot.core.schedule import Schedule
from bot.ops import health, logs
from bot.ops.backup import daily_backup
from bot.ops.settings import VARIABLES
from bot.runtime import Options, run_platforms
from bot.store import SqliteStore
from tests.helpers import FIXTURE_BANK

ROOT = Path(__file__).resolve().parent.parent
SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-test-1111-secret-bot-token",
    "SLACK_APP_TOKEN": "xapp-test-2222-secret-app-token",
    "SLACK_SIGNING_SECRET": "3333signingsecretvalue",
    "DISCORD_TOKEN": "MTIz.discord-secret-token-4444",
}


def cli_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "PRACTICEBOT_"))
    }
    env["PRACTICEBOT_QUESTIONS"] = str(FIXTURE_BANK)
    env.update(extra)
    return env


def cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60,
        env=env or cli_env(), cwd=cwd, stdin=subprocess.DEVNULL,
    )  # fmt: skip


# -- deploy files ------------------------------------------------------------------------------


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_compose_and_dockerfile_agree() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    service = compose["services"]["practicebot"]
    assert service["build"] == "."
    assert service["env_file"] == ".env"
    # An empty PRACTICEBOT_DB= in .env must not move the database out of the volume.
    assert service["environment"]["PRACTICEBOT_DB"].startswith("/data/")
    assert service["restart"] == "unless-stopped"
    assert service["logging"]["options"]["max-size"]
    volume, target = service["volumes"][0].split(":")
    assert volume in compose["volumes"], "a named volume"
    assert target == "/data"
    text = dockerfile()
    assert 'VOLUME ["/data"]' in text
    assert re.search(r"^ENV PRACTICEBOT_DB=/data/\S+", text, re.MULTILINE)
    assert re.search(r"^USER practicebot$", text, re.MULTILINE), "runs as a non-root user"
    assert text.index("pip install -r") < text.index("COPY bot"), "dependencies cached before code"
    for extra in ("discord", "slack", "postgres"):  # one image for every platform and database
        assert f"extras['{extra}']" in text


def test_dockerfile_commands_exist_in_the_cli() -> None:
    text = dockerfile()
    healthcheck = re.search(r'CMD \["practicebot", "(\w+)"\]', text[text.index("HEALTHCHECK") :])
    assert healthcheck and healthcheck.group(1) == "health"
    command = json.loads(re.search(r"^CMD (\[.*\])$", text, re.MULTILINE).group(1))  # type: ignore[union-attr]
    for args in (["health", "--help"], [*command[1:], "--help"]):
        result = cli(*args)
        assert result.returncode == 0, result.stderr
    systemd = (ROOT / "deploy" / "practicebot.service").read_text(encoding="utf-8")
    assert "practicebot run --no-console" in systemd


def test_env_example_lists_every_variable_with_a_comment() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    names = [line.split("=")[0] for line in lines if re.match(r"^[A-Z_]+=", line)]
    assert sorted(names) == sorted(v.name for v in VARIABLES)
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z_]+=", line):
            assert lines[i - 1].startswith("# "), f"{line} has no comment"
            assert line.endswith("="), "no values in the example"
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


# -- configuration -----------------------------------------------------------------------------


def test_config_masks_secrets_and_names_bad_variables(tmp_path: Path) -> None:
    shown = cli("config", env=cli_env(**SECRETS, PRACTICEBOT_TZ="Europe/Berlin"))
    assert shown.returncode == 0, shown.stderr
    for secret in SECRETS.values():
        assert secret not in shown.stdout + shown.stderr
    assert re.search(r"SLACK_BOT_TOKEN\s+set, \d+ characters \(hidden\)", shown.stdout)
    assert re.search(r"PRACTICEBOT_TZ\s+Europe/Berlin\s+\(environment\)", shown.stdout)
    bad = cli("config", env=cli_env(PRACTICEBOT_LOG_FORMAT="xml", PRACTICEBOT_SLACK_PORT="99999"))
    assert bad.returncode == 2
    assert "PRACTICEBOT_LOG_FORMAT: must be one of text, json (got 'xml')" in bad.stderr
    assert "PRACTICEBOT_SLACK_PORT: must be a whole number from 1 to 65535" in bad.stderr


def test_a_dotenv_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "PRACTICEBOT_TZ=Asia/Tokyo\nPRACTICEBOT_CATCH_UP_GRACE=3h\n", encoding="utf-8"
    )
    shown = cli("config", env=cli_env(PRACTICEBOT_CATCH_UP_GRACE="1h"), cwd=tmp_path)
    assert re.search(r"PRACTICEBOT_TZ\s+Asia/Tokyo", shown.stdout)
    assert re.search(r"PRACTICEBOT_CATCH_UP_GRACE\s+1h", shown.stdout)


def test_run_refuses_bad_settings_before_touching_anything(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    result = cli(
        "--db", str(db), "run", env=cli_env(PRACTICEBOT_TZ="Mars/Olympus", SLACK_BOT_TOKEN="xoxb-1")
    )
    assert result.returncode == 2
    assert "PRACTICEBOT_TZ: Unknown timezone 'Mars/Olympus'" in result.stderr
    assert "SLACK_APP_TOKEN: missing" in result.stderr
    assert not db.exists()


# -- logs --------------------------------------------------------------------------------------


def test_json_logs_are_one_object_per_line_and_secrets_are_blanked() -> None:
    stream = io.StringIO()
    logs.configure("INFO", "json", SECRETS.values())
    root = logging.getLogger()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    logging.getLogger("bot.test").info(
        "posted channel=%s with %s", "C1", SECRETS["SLACK_BOT_TOKEN"]
    )
    entry = json.loads(stream.getvalue().strip())
    assert entry["level"] == "INFO" and entry["logger"] == "bot.test"
    assert entry["message"] == f"posted channel=C1 with {logs.REDACTED}"
    root.removeHandler(handler)


# -- health, backup, restore, shutdown of a running bot ----------------------------------------


def wait_for(condition: object, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    conn.close()
    return rows


def test_health_backup_restore_and_sigterm_on_a_running_bot(tmp_path: Path) -> None:
    db = tmp_path / "data" / "bot.db"
    env = cli_env(**{k: v for k, v in SECRETS.items() if k.startswith("SLACK")},
                  PRACTICEBOT_LOG_LEVEL="DEBUG", PRACTICEBOT_LOG_FORMAT="json")  # fmt: skip
    stopped = cli("--db", str(db), "health", env=env)
    assert stopped.returncode == 1 and "not running" in stopped.stdout

    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", str(db), "console", "--timezone", "UTC", "--user", "Ana"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert bot.stdin is not None
        bot.stdin.write("my answer about batch norm\n")
        bot.stdin.flush()
        wait_for(lambda: health.heartbeat_path(db).exists())
        wait_for(lambda: table_rows(db).get("messages"))
        running = cli("--db", str(db), "health", env=env)
        assert running.returncode == 0, running.stdout
        assert running.stdout.startswith("ok: pid")

        backup = tmp_path / "backup.db"
        made = cli("--db", str(db), "db", "backup", str(backup), env=env)
        assert made.returncode == 0, made.stderr
        assert table_rows(backup) == table_rows(db), "the backup holds every row"

        refused = cli("--db", str(db), "db", "restore", str(backup), env=env)
        assert refused.returncode == 1
        assert "already running" in refused.stderr

        bot.send_signal(signal.SIGTERM)
        out, err = bot.communicate(timeout=10)  # a guard against a hang, not a timing figure
        assert bot.returncode == 0, err
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.communicate()
    assert cli("--db", str(db), "health", env=env).returncode == 1
    for secret in SECRETS.values():
        assert secret not in out + err, "no secret in the logs"
    restored = cli("--db", str(db), "db", "restore", str(backup), env=env)
    assert restored.returncode == 0, restored.stderr


def test_health_notices_a_stale_heartbeat_and_a_dead_platform(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    sqlite3.connect(db).close()
    beat = {"pid": os.getpid(), "written_at": time.time(), "database_ok": True,
            "platforms": {"slack": {"live": False, "detail": "socket disconnected"}}}  # fmt: skip
    health.heartbeat_path(db).write_text(json.dumps(beat), encoding="utf-8")
    healthy, lines = health.check(db)
    assert not healthy and "slack: socket disconnected" in lines
    beat["platforms"] = {}
    beat["written_at"] = time.time() - 600
    health.heartbeat_path(db).write_text(json.dumps(beat), encoding="utf-8")
    healthy, lines = health.check(db)
    assert not healthy and "old" in lines[0]


def test_daily_backups_are_kept_for_the_configured_days(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    assert cli("--db", str(db), "db", "migrate").returncode == 0  # backups copy only our databases
    folder = tmp_path / "backups"
    start = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)
    for day in range(10):
        daily_backup(db, folder, keep_days=7, now=start + timedelta(days=day))
    kept = sorted(p.name for p in folder.glob("*.db"))
    assert kept[0] == "practicebot-20261203.db" and kept[-1] == "practicebot-20261210.db"
    assert len(kept) == 8


# -- SIGTERM during a fan-out ------------------------------------------------------------------


class SlowAdapter:
    """A platform that takes a few milliseconds per post."""

    name = "fake"

    def __init__(self) -> None:
        self.posts: list[RoundPost] = []
        self.stopped = False

    @property
    def publisher(self) -> SlowAdapter:
        return self

    def describe(self) -> str:
        return "fake platform"

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        self.stopped = True

    def health(self) -> tuple[bool, str]:
        return True, "fake connection"

    async def post_round(self, post: RoundPost) -> PostedRef:
        await asyncio.sleep(0.003)
        self.posts.append(post)
        return PostedRef(f"m{post.round.id}", f"t{post.round.id}")

    async def post_reveal(self, reveal: RevealPost) -> None:
        pass


async def test_sigterm_during_a_fan_out_leaves_no_half_written_round(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    channels = 300
    async with await SqliteStore.open(db) as store:
        schedule = Schedule(
            datetime(2026, 1, 1).time(), "UTC", frozenset(range(7)), timedelta(hours=8)
        )
        for i in range(channels):
            await store.save_subscription(
                ChannelRef("fake", "s", f"c{i}"), schedule, None, None, datetime.now(UTC)
            )
    adapter = SlowAdapter()

    def factory(engine: Engine) -> PlatformAdapter:
        return adapter

    options = Options(db, FIXTURE_BANK, "UTC", catch_up_grace=timedelta(hours=23, minutes=59))
    task = asyncio.create_task(run_platforms(options, [factory]))
    deadline = time.monotonic() + 15
    while len(adapter.posts) < 20:
        assert time.monotonic() < deadline and not task.done()
        await asyncio.sleep(0.01)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(task, timeout=10)
    assert adapter.stopped
    async with await SqliteStore.open(db) as store:
        assert await store.rounds_with_status(RoundStatus.CLAIMED) == []
        posted = await store.rounds_with_status(RoundStatus.POSTED)
    assert len(posted) == len(adapter.posts)
    assert all(r.message_id and r.thread_id for r in posted)
    assert 20 <= len(posted) < channels, "the fan-out stopped early and cleanly"
    assert not health.heartbeat_path(db).exists()


@pytest.fixture(autouse=True)
def _restore_logging() -> object:
    yield
    logging.getLogger().handlers.clear()


def test_the_postgresql_compose_variant() -> None:
    """docker-compose.postgres.yml: the official postgres image with a healthcheck and a
    volume, and two bot processes that wait for it, on one database, one Discord shard each."""
    compose = yaml.safe_load((ROOT / "docker-compose.postgres.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    database = services["postgres"]
    assert database["image"].split(":")[0] == "postgres", "the official image"
    assert "pg_isready" in " ".join(database["healthcheck"]["test"])
    volume, _ = database["volumes"][0].split(":")
    assert volume in compose["volumes"], "a named volume"
    bots = [s for name, s in services.items() if name.startswith("practicebot")]
    assert len(bots) == 2
    declared = {v.name for v in VARIABLES}
    shards = set()
    for bot in bots:
        assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
        env = bot["environment"]
        assert env["PRACTICEBOT_DB"].startswith("postgresql://")
        assert "@postgres:5432/" in env["PRACTICEBOT_DB"]
        assert set(env) <= declared, "only variables the bot knows"
        assert env["DISCORD_SHARD_COUNT"] == "2"
        shards.add(env["DISCORD_SHARD_IDS"])
    assert shards == {"0", "1"}, "each process its own shard, together every shard"
    names = {bot["environment"]["PRACTICEBOT_PROCESS_NAME"] for bot in bots}
    assert len(names) == 2, "logs and claims tell the processes apart"
    second = services["practicebot-1"]["extends"]
    assert second == {"service": "practicebot", "file": "docker-compose.yml"}
