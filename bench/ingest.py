"""Answer ingest: answer events through the core's real answer path, against bare aiosqlite.

The core path is `Engine.handle_message` / `Engine.handle_edit`: dedup of redelivered events,
the stored text, the answer and the counters the leaderboard and streaks read, committed to the
WAL SQLite file before the call returns. Events come in as the platforms deliver them: many at
once (a gateway or an HTTP server hands each event to its own task), here up to `IN_FLIGHT`.

The baseline is what a bot without batching would do: each event one bare aiosqlite
`INSERT` + `COMMIT` of the same row, one after another, on a file with the same settings.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bench.common import Figures, Scale, now_s
from bench.world import PLATFORM, Bot
from bot.core.models import ChannelRef
from bot.core.results import IncomingMessage

IN_FLIGHT = 64
_TEXT = (
    "Bias is the error from wrong assumptions, variance the error from sensitivity to the "
    "training sample; regularisation trades one for the other."
)


@dataclass(frozen=True)
class Edit:
    message_id: str
    text: str
    event_id: str


Event = IncomingMessage | Edit


def make_events(threads: Sequence[str], users: int, count: int, seed: int = 6) -> list[Event]:
    """New answers, with about 5% redelivered events and 5% edits of earlier messages."""
    rng = random.Random(seed)
    events: list[Event] = []
    sent: list[IncomingMessage] = []
    for i in range(count):
        roll = rng.random()
        if sent and roll < 0.05:
            events.append(rng.choice(sent))  # the platform delivers the same event again
        elif sent and roll < 0.10:
            earlier = rng.choice(sent)
            events.append(Edit(earlier.message_id, earlier.text + " (edited)", f"e{i}"))
        else:
            user = rng.randrange(users)
            message = IncomingMessage(
                platform=PLATFORM,
                thread_id=rng.choice(threads),
                message_id=f"m{i}",
                user_id=f"u{user}",
                user_name=f"User {user}",
                text=f"{_TEXT} #{i}",
                event_id=f"e{i}",
            )
            sent.append(message)
            events.append(message)
    return events


async def _drive(events: Iterable[Event], handle: Callable[[Event], Awaitable[None]]) -> float:
    """Feed every event with up to IN_FLIGHT in progress; the seconds it took."""
    queue = iter(events)

    async def worker() -> None:
        for event in queue:
            await handle(event)

    started = now_s()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return now_s() - started


async def _open_rounds(bot: Bot, count: int) -> list[str]:
    """Subscribe `count` channels and post a round in each; their thread ids."""
    threads = []
    for i in range(count):
        channel = ChannelRef(PLATFORM, f"space{i % 10}", f"c{i}")
        await bot.engine.subscribe(channel, post_time="09:00", timezone="UTC", days="daily")
        posted = await bot.engine.post_now(channel)
        assert posted.round is not None and posted.round.thread_id is not None, posted
        threads.append(posted.round.thread_id)
    return threads


class _Core:
    """The bot's answer path, counting what it made of each event."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.outcomes: Counter[str] = Counter()

    async def handle(self, event: Event) -> None:
        if isinstance(event, Edit):
            changed = await self.bot.engine.handle_edit(
                PLATFORM, event.message_id, event.text, event.event_id
            )
            self.outcomes[f"edit:{changed.outcome.value}"] += 1
        else:
            result = await self.bot.engine.handle_message(event)
            self.outcomes[result.outcome.value if result.outcome else "ignored"] += 1


class _Baseline:
    """One bare single-row INSERT + COMMIT per event, one after another."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self.stored = 0

    @classmethod
    async def open(cls, db: Path) -> _Baseline:
        conn = await aiosqlite.connect(db)
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")  # as the bot's own connection
        await conn.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, "
            "event_id TEXT NOT NULL, message_id TEXT NOT NULL, thread_id TEXT, user_id TEXT, "
            "text TEXT NOT NULL, UNIQUE (platform, event_id))"
        )
        await conn.commit()
        return cls(conn)

    async def store(self, events: Sequence[Event]) -> float:
        started = now_s()
        for event in events:
            thread, user = (
                (None, None) if isinstance(event, Edit) else (event.thread_id, event.user_id)
            )
            await self.conn.execute(
                "INSERT OR IGNORE INTO events (platform, event_id, message_id, thread_id, user_id, "
                "text) VALUES (?, ?, ?, ?, ?, ?)",
                (PLATFORM, event.event_id, event.message_id, thread, user, event.text),
            )
            await self.conn.commit()
            self.stored += 1
        return now_s() - started


async def run(scale: Scale, workdir: Path) -> Figures:
    count = scale.of(50_000, least=50)
    users = scale.of(5_000, least=5)
    rounds = scale.of(200, least=2)
    slice_size = max(10, count // 50)
    bot = await Bot.open(workdir / "ingest.db")
    one_by_one = await Bot.open(workdir / "ingest-sequential.db")
    baseline = await _Baseline.open(workdir / "baseline.db")
    try:
        threads = await _open_rounds(bot, rounds)
        assert await _open_rounds(one_by_one, rounds) == threads
        events = make_events(threads, users, count)
        core = _Core(bot)
        core_s = baseline_s = 0.0
        # The machine is shared and its speed drifts: the two take turns, a slice at a time,
        # so both see the same conditions.
        for number, start in enumerate(range(0, count, slice_size)):
            part = events[start : start + slice_size]
            if number % 2:
                baseline_s += await baseline.store(part)
                core_s += await _drive(part, core.handle)
            else:
                core_s += await _drive(part, core.handle)
                baseline_s += await baseline.store(part)
        # For the record: the same path one event at a time (no batch ever forms), on a tenth.
        alone = _Core(one_by_one)
        sample = events[: max(10, count // 10)]
        started = now_s()
        for event in sample:
            await alone.handle(event)
        sequential_s = now_s() - started
    finally:
        await bot.close()
        await one_by_one.close()
        await baseline.conn.close()
    assert baseline.stored == count
    core_rate = count / core_s
    baseline_rate = count / baseline_s
    return {
        "ingest_events": count,
        "ingest_events_per_s": core_rate,
        "ingest_baseline_events_per_s": baseline_rate,
        "ingest_cost_ratio": baseline_rate / core_rate,
        "ingest_sequential_events_per_s": len(sample) / sequential_s,
        "ingest_answered": core.outcomes["answered"],
        "ingest_duplicates": core.outcomes["duplicate"],
        "ingest_edits": core.outcomes["edit:updated"],
    }
