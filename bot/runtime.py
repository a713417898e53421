"""Wiring: the store, the bank, the engine and the scheduler, opened and closed together.

Shutdown order (SIGTERM/SIGINT): no new jobs fire, the posts in flight finish while the
platform connections are still up, the adapters disconnect, the database closes, exit 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TextIO

from bot.adapters.base import PlatformAdapter
from bot.adapters.console import render
from bot.adapters.console.publisher import PLATFORM, ConsolePublisher
from bot.adapters.console.session import CHANNEL, ConsoleSession
from bot.adapters.console.terminal import Terminal, is_interactive, terminal_settings_kept
from bot.bank.loader import load_bank
from bot.bank.models import Bank
from bot.clock import Clock, ManualClock, SystemClock
from bot.core.engine import Engine, EngineSettings
from bot.core.storage import Store
from bot.grading import LlmSettings, make_grader
from bot.ops.backup import daily_backup
from bot.ops.health import Probe, heartbeat_path, write_heartbeats
from bot.ops.lock import DatabaseLock
from bot.scheduler import ManualScheduler, RealTimeScheduler, Scheduler
from bot.scheduler.fast import FastScheduler, fast_lease
from bot.store import is_postgres, mask_url, open_store

log = logging.getLogger(__name__)
DRAIN_TIMEOUT_S = 6.0  # leaves time to disconnect and close within a 10 s stop


@dataclass(frozen=True)
class Options:
    db_path: Path  # SQLite: the file; PostgreSQL: the stem of this process's local files
    questions_dir: Path
    timezone: str
    catch_up_grace: timedelta
    manual_start: datetime | None = None  # set: a manual clock starting then
    clock_speed: float | None = None  # with manual_start: a fast clock, this many times the wall's
    clock_origin: float | None = None  # a fast clock reads manual_start then (Unix time)
    backup_dir: Path | None = None  # default: backups/ beside the database
    backup_keep_days: int = 7  # 0: no automatic backups
    backup_time: time = time(3, 30)  # UTC
    grader: str = "auto"  # feedback on written answers: auto, lexical, embedding or llm
    llm: LlmSettings | None = None  # the llm grader's endpoint, when configured
    db: str | None = None  # a postgresql:// URL (or any location open_store takes); None: db_path
    process_name: str = ""  # in delivery claims and, on PostgreSQL, the heartbeat's file name

    @property
    def location(self) -> str | Path:
        return self.db if self.db is not None and is_postgres(self.db) else self.db_path

    @property
    def postgres(self) -> bool:
        return is_postgres(self.location)


@dataclass
class App:
    store: Store
    bank: Bank
    clock: Clock
    engine: Engine
    scheduler: Scheduler


AdapterFactory = Callable[[Engine], PlatformAdapter]


@asynccontextmanager
async def open_app(options: Options) -> AsyncIterator[App]:
    """Everything the bot needs, closed on every exit path (an open connection hangs exit)."""
    bank = load_bank(options.questions_dir)
    grader = make_grader(options.grader, options.llm)
    log.info("feedback grader: %s", grader.name)
    # SQLite: one process per file. PostgreSQL: as many processes as wanted on one database.
    lock = contextlib.nullcontext() if options.postgres else DatabaseLock(options.db_path)
    with lock:
        store = await open_store(options.location)
        log.info("database: %s", mask_url(options.location))
        scheduler: Scheduler | None = None
        try:
            settings = EngineSettings(
                catch_up_grace=options.catch_up_grace, default_timezone=options.timezone,
                process_name=options.process_name,
            )  # fmt: skip
            clock: Clock
            if options.manual_start is not None and options.clock_speed is not None:
                clock = ManualClock(options.manual_start)
                lease = fast_lease(options.clock_speed, settings.delivery_lease)
                settings = replace(settings, delivery_lease=lease)
                engine = Engine(store, bank, clock, settings, grader=grader)
                scheduler = FastScheduler(
                    engine, clock, speed=options.clock_speed, origin=options.clock_origin
                )
            elif options.manual_start is not None:
                clock = ManualClock(options.manual_start)
                engine = Engine(store, bank, clock, settings, grader=grader)
                scheduler = ManualScheduler(engine, clock)
            else:
                clock = SystemClock()
                engine = Engine(store, bank, clock, settings, grader=grader)
                scheduler = RealTimeScheduler(engine, post_grace=options.catch_up_grace)
            yield App(store, bank, clock, engine, scheduler)
        finally:
            if scheduler is not None:
                await scheduler.stop(DRAIN_TIMEOUT_S)
            await store.close()


@asynccontextmanager
async def _operations(app: App, options: Options, probes: dict[str, Probe]) -> AsyncIterator[None]:
    """Heartbeat for `practicebot health`, and the daily backup, while serving."""
    if options.postgres:
        log.info("no automatic backups on PostgreSQL: back it up with pg_dump")
    elif options.backup_keep_days > 0:  # a manual clock's scheduler runs no maintenance
        folder = options.backup_dir or options.db_path.parent / "backups"

        async def backup() -> None:
            try:
                await asyncio.to_thread(
                    daily_backup, options.db_path, folder, options.backup_keep_days
                )
            except Exception:
                log.exception("daily backup failed")

        app.scheduler.add_daily_job(
            "backup", options.backup_time.hour, options.backup_time.minute, backup
        )
    options.db_path.parent.mkdir(parents=True, exist_ok=True)
    # PostgreSQL: several processes may share a state folder, each with its own heartbeat.
    beat = heartbeat_path(options.db_path, options.process_name if options.postgres else None)
    heartbeat = asyncio.create_task(
        write_heartbeats(beat, app.store.ping, probes, process=options.process_name)
    )
    try:
        yield
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat


def _on_stop_signals(callback: Callable[[], None]) -> Callable[[], None]:
    """Route SIGINT and SIGTERM to `callback`; returns the undo."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, callback)

    def undo() -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)

    return undo


async def run_platforms(options: Options, factories: Sequence[AdapterFactory]) -> None:
    """Serve every configured platform until SIGINT or SIGTERM."""
    async with open_app(options) as app:
        adapters = [factory(app.engine) for factory in factories]
        for adapter in adapters:
            app.engine.add_publisher(adapter.name, adapter.publisher)
        stop = asyncio.Event()
        undo_signals = _on_stop_signals(stop.set)
        started: list[PlatformAdapter] = []
        try:
            for adapter in adapters:
                await adapter.start()
                started.append(adapter)
                log.info("connected: %s", adapter.describe())
            probes = {adapter.name: adapter.health for adapter in adapters}
            async with _operations(app, options, probes):
                await app.scheduler.start()
                await stop.wait()
                log.info("stopping: finishing posts in flight")
                await app.scheduler.stop(DRAIN_TIMEOUT_S)
        finally:
            undo_signals()
            for adapter in reversed(started):
                try:
                    await adapter.stop()
                except Exception:
                    log.exception("error while stopping %s", adapter.name)
        log.info("stopped")


async def run_console(
    options: Options,
    *,
    user: str,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    demo_db: bool = False,
) -> None:
    """`demo_db`: the database is a temporary one for this manual-clock demo (said at start)."""
    async with open_app(options) as app:
        terminal = Terminal(stdin, stdout, interactive=is_interactive(stdin, stdout))
        pictures = options.db_path.parent / f"{options.db_path.stem}-pictures"
        session = ConsoleSession(
            app.engine, user=user, terminal=terminal, scheduler=app.scheduler,
            pictures_dir=pictures,
        )  # fmt: skip
        app.engine.add_publisher(PLATFORM, ConsolePublisher(session.write))
        fresh = await app.store.subscription(CHANNEL) is None
        database = (
            "a fresh demo database, gone when you quit (--db FILE keeps one)"
            if demo_db
            else f"database {mask_url(options.location)}"
        )
        session.write(
            render.fill(
                f"practicebot console: #general on this machine ({len(app.bank)} questions "
                f"in {len(app.bank.packs)} packs, {database})"
            )
        )
        if app.scheduler.moves_time:
            session.write(
                f"Manual clock: it is {render.local_time(app.clock.now(), options.timezone)} "
                f"({options.timezone}); /advance 1d moves time forward."
            )
        elif options.clock_speed is not None:
            session.write(
                f"Fast clock: it is {render.local_time(app.clock.now(), options.timezone)} "
                f"({options.timezone}), and time runs {options.clock_speed:g} times as fast."
            )
        if fresh:
            subscription = await app.engine.subscribe(CHANNEL, post_time="09:00", by="console")
            session.write(
                render.fill(
                    f"Subscribed #general: {subscription.schedule.describe()}. "
                    "Change it with /subscribe. Here is your first question:"
                )
            )
        probes: dict[str, Probe] = {"console": lambda: (True, "terminal session")}
        async with _operations(app, options, probes):
            await app.scheduler.start()
            if fresh:
                await app.engine.post_now(CHANNEL)
            else:
                state = await app.engine.status(CHANNEL)
                session.write(render.status(state, app.clock.now()))
            session.write(f"You are {user}. Type an answer, or /help for commands.")
            undo_signals = _on_stop_signals(terminal.stop)
            try:
                with terminal_settings_kept(stdin):
                    await session.run()
            finally:
                undo_signals()
