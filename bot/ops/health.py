"""Liveness: the running bot writes a heartbeat file; `practicebot health` reads it.

The heartbeat says what the process itself sees (the database answers, each platform
connection is live), so the check reports real serving state, not merely a process that exists.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

log = logging.getLogger(__name__)
INTERVAL_S = 10.0
STALE_AFTER_S = 45.0

# A platform's live state: (live, detail), e.g. (True, "gateway open, latency 42 ms").
Probe = Callable[[], tuple[bool, str]]


def heartbeat_path(db_path: Path, process: str | None = None) -> Path:
    """Beside the database (SQLite), or in the state folder, per process (PostgreSQL)."""
    if process:
        return db_path.with_name(f"{db_path.name}.{process}.heartbeat")
    return db_path.with_name(db_path.name + ".heartbeat")


def heartbeat_files(db_path: Path) -> list[Path]:
    """Every process's heartbeat in the state folder (one per process on PostgreSQL)."""
    if not db_path.parent.is_dir():
        return []
    found = set(db_path.parent.glob(f"{db_path.name}.*.heartbeat"))
    found |= {p for p in [heartbeat_path(db_path)] if p.exists()}
    return sorted(found)


async def write_heartbeats(
    path: Path,
    database_ok: Callable[[], Awaitable[bool]],
    probes: dict[str, Probe],
    *,
    interval_s: float = INTERVAL_S,
    process: str = "",
) -> None:
    """Write the heartbeat now and every `interval_s` until cancelled; remove it on the way out."""
    try:
        while True:
            try:
                db_ok = await database_ok()
            except Exception:
                log.exception("database check failed")
                db_ok = False
            platforms = {}
            for name, probe in probes.items():
                try:
                    live, detail = probe()
                except Exception as error:
                    live, detail = False, f"probe failed: {error}"
                platforms[name] = {"live": live, "detail": detail}
            beat = {
                "pid": os.getpid(),
                "process": process,
                "written_at": time.time(),
                "database_ok": db_ok,
                "platforms": platforms,
            }
            await asyncio.to_thread(_write_atomically, path, json.dumps(beat))
            await asyncio.sleep(interval_s)
    finally:
        path.unlink(missing_ok=True)  # noqa: ASYNC240 (one tiny unlink on the way out)


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)  # a reader never sees half a heartbeat


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check(
    db_path: Path,
    *,
    now: float | None = None,
    database: str | None = None,
    process: str | None = None,
) -> tuple[bool, list[str]]:
    """(healthy, lines to print) for the bot serving from `db_path`; `database`: the
    PostgreSQL URL the bot serves from (its heartbeats are then at `db_path`, one per
    process: that of `process`, or every one found, each reported on its own)."""
    if database is None:
        return _check_one(heartbeat_path(db_path), db_path, now, None)
    files = [heartbeat_path(db_path, process)] if process else heartbeat_files(db_path)
    if not files:
        return False, [f"not running: no heartbeat in {db_path.parent}"]
    problem = _postgres_problem(database)
    healthy, lines = problem is None, [] if problem is None else [problem]
    for beat_file in files:
        ok, said = _check_one(beat_file, db_path, now, database)
        name = beat_file.name.removeprefix(db_path.name + ".").removesuffix(".heartbeat")
        healthy = healthy and ok
        lines += [f"{name}: {line}" for line in said] if len(files) > 1 or process else said
    return healthy, lines


def _check_one(
    beat_file: Path, db_path: Path, now: float | None, database: str | None
) -> tuple[bool, list[str]]:
    """One process's heartbeat; `database` set: PostgreSQL (checked once, by the caller)."""
    try:
        beat = json.loads(beat_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False, [f"not running: no heartbeat at {beat_file}"]
    except (OSError, ValueError) as error:
        return False, [f"unreadable heartbeat {beat_file}: {error}"]
    problems: list[str] = []
    notes: list[str] = []
    age = (now if now is not None else time.time()) - float(beat.get("written_at", 0))
    if age > STALE_AFTER_S:
        problems.append(f"heartbeat is {age:.0f}s old (the bot is stuck or stopped)")
    if not _pid_alive(int(beat.get("pid", 0))):
        problems.append(f"process {beat.get('pid')} is not running")
    if not beat.get("database_ok"):
        problems.append("the bot reported its database is not answering")
    if database is None:
        try:
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=2) as conn:
                conn.execute("SELECT 1").fetchone()
        except sqlite3.Error as error:
            problems.append(f"database {db_path} does not answer: {error}")
    for name, state in beat.get("platforms", {}).items():
        line = f"{name}: {state.get('detail', '')}"
        (notes if state.get("live") else problems).append(line)
    if problems:
        return False, problems + notes
    return True, [f"ok: pid {beat.get('pid')}, heartbeat {age:.0f}s ago, database answers", *notes]


def _postgres_problem(url: str) -> str | None:
    """None when the PostgreSQL database answers `SELECT 1` within a few seconds."""
    import asyncio

    import asyncpg

    from bot.store.url import mask_url

    async def ping() -> None:
        conn = await asyncpg.connect(url, timeout=3)
        try:
            await conn.fetchval("SELECT 1")
        finally:
            await conn.close()

    try:
        asyncio.run(ping())
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
        return f"database {mask_url(url)} does not answer: {type(error).__name__}"
    return None
