"""Wiring: the store, the bank, the engine and the scheduler, opened and closed together."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.adapters.base import PlatformAdapter
from bot.adapters.console import render
from bot.adapters.console.publisher import PLATFORM, ConsolePublisher
from bot.adapters.console.session import CHANNEL, ConsoleSession, stdin_lines
from bot.bank.loader import load_bank
from bot.bank.models import Bank
from bot.clock import Clock, ManualClock, SystemClock
from bot.core.engine import Engine, EngineSettings
from bot.scheduler import ManualScheduler, RealTimeScheduler
from bot.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    db_path: Path
    questions_dir: Path
    timezone: str
    catch_up_grace: timedelta
    manual_start: datetime | None = None  # set: a manual clock starting then


@dataclass
class App:
    store: Store
    bank: Bank
    clock: Clock
    engine: Engine
    scheduler: RealTimeScheduler | ManualScheduler


@asynccontextmanager
async def open_app(options: Options) -> AsyncIterator[App]:
    """Everything the bot needs, closed on every exit path (an open connection hangs exit)."""
    bank = load_bank(options.questions_dir)
    store = await Store.open(options.db_path)
    scheduler: RealTimeScheduler | ManualScheduler | None = None
    try:
        settings = EngineSettings(
            catch_up_grace=options.catch_up_grace, default_timezone=options.timezone
        )
        clock: Clock
        if options.manual_start is not None:
            clock = ManualClock(options.manual_start)
            engine = Engine(store, bank, clock, settings)
            scheduler = ManualScheduler(engine, clock)
        else:
            clock = SystemClock()
            engine = Engine(store, bank, clock, settings)
            scheduler = RealTimeScheduler(engine, post_grace=options.catch_up_grace)
        yield App(store, bank, clock, engine, scheduler)
    finally:
        if scheduler is not None:
            scheduler.shutdown()
        await store.close()


async def run_console(
    options: Options, *, user: str, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> None:
    async with open_app(options) as app:
        manual = app.scheduler if isinstance(app.scheduler, ManualScheduler) else None
        session = ConsoleSession(app.engine, user=user, out=stdout, manual=manual)
        app.engine.add_publisher(PLATFORM, ConsolePublisher(session.write))
        fresh = await app.store.subscription(CHANNEL) is None
        packs = len(app.bank.packs)
        session.write(
            f"practicebot console: #general on this machine "
            f"({len(app.bank)} questions in {packs} packs, database {options.db_path})"
        )
        if manual is not None:
            session.write(
                f"Manual clock: it is {render.local_time(app.clock.now(), options.timezone)} "
                f"({options.timezone}); /advance 1d moves time forward."
            )
        if fresh:
            subscription = await app.engine.subscribe(CHANNEL, post_time="09:00", by="console")
            session.write(
                f"Subscribed #general: {subscription.schedule.describe()}. "
                "Change it with /subscribe. Here is your first question:"
            )
        await app.scheduler.start()
        if fresh:
            await app.engine.post_now(CHANNEL)
        else:
            session.write(render.status(await app.engine.status(CHANNEL)))
        session.write(f"You are {user}. Type an answer, or /help for commands.")
        loop = asyncio.get_running_loop()
        await session.run(stdin_lines(loop, stdin), prompt=stdin.isatty())


AdapterFactory = Callable[[Engine], PlatformAdapter]


async def run_platforms(options: Options, factories: Sequence[AdapterFactory]) -> None:
    """Serve every configured platform until SIGINT or SIGTERM."""
    async with open_app(options) as app:
        adapters = [factory(app.engine) for factory in factories]
        for adapter in adapters:
            app.engine.add_publisher(adapter.name, adapter.publisher)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        started: list[PlatformAdapter] = []
        try:
            for adapter in adapters:
                await adapter.start()
                started.append(adapter)
                log.warning("connected: %s", adapter.describe())
            await app.scheduler.start()
            await stop.wait()
            log.warning("stopping")
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            for adapter in reversed(started):
                try:
                    await adapter.stop()
                except Exception:
                    log.exception("error while stopping %s", adapter.name)
