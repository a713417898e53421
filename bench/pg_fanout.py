"""The daily fan-out on PostgreSQL, split across two processes on one database.

5,000 channels are subscribed once; then two OS processes each open their own `PostgresStore`
(the pool size the bot runs with) and an Engine on a manual clock set to the channels' post
time, and each schedules every channel: the scheduler's own post job (`Jobs.post`, at most
`POSTS_AT_ONCE` in progress) for every subscription, all fired together. The claims decide who
posts (a channel's claim locks its subscription row; the loser finds the day held). Each
process notes its posts at its fake publisher and writes them to a file of its own, so the
parent counts posts per channel across both: every channel once, duplicates 0.

The baseline, in the same run, on the same server: two processes doing what a bot without
rules or outbox would need at the least to post each channel once, one autocommitted
`INSERT … ON CONFLICT DO NOTHING` of (channel, day) per channel through a pool of the same
size, with as many in flight.

Both start on a shared signal; channels/s is counted from it to the last process's end.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg

from bench.common import Figures, Scale, real_bank
from bench.world import PLATFORM, START
from bot.clock import ManualClock
from bot.core.engine import Engine
from bot.core.models import ChannelRef
from bot.core.ports import PostedRef, RevealPost, RoundPost
from bot.scheduler.base import POSTS_AT_ONCE, Jobs
from bot.store.postgres.store import PostgresStore

PROCESSES = 2
CHANNELS_PER_SPACE = 100
READY_TIMEOUT_S = 120.0
RUN_TIMEOUT_S = 900.0


@dataclass
class NotingPublisher:
    """Takes every post at once and notes which channel it went to."""

    posts: list[str] = field(default_factory=list)

    async def post_round(self, post: RoundPost) -> PostedRef:
        self.posts.append(post.subscription.channel.channel_id)
        ref = f"{post.subscription.channel.channel_id}-{post.round.id}"
        return PostedRef(ref, ref)

    async def post_reveal(self, reveal: RevealPost) -> None:
        return None


def _log_to(path: Path) -> None:
    """Log as the bot does (INFO, into a file): a child process starts with no handlers."""
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("asyncpg").setLevel(logging.WARNING)


async def _bot_process(url: str, name: str, ready: Any, go: Any) -> dict[str, Any]:
    store = await PostgresStore.open(url)
    try:
        clock = ManualClock(START + timedelta(minutes=1))  # the channels' post time
        engine = Engine(store, real_bank(), clock, rng=random.Random(name))
        publisher = NotingPublisher()
        engine.add_publisher(PLATFORM, publisher)
        jobs = Jobs(engine)
        due = [s.id for s in await engine.active_subscriptions()]
        ready.set()
        if not go.wait(READY_TIMEOUT_S):
            raise TimeoutError("the fan-out was never started")
        await asyncio.gather(*(jobs.post(subscription_id) for subscription_id in due))
        return {"ended": time.monotonic(), "posts": publisher.posts}
    finally:
        await store.close()


async def _bare_process(url: str, name: str, ready: Any, go: Any) -> dict[str, Any]:
    pool = await asyncpg.create_pool(url, min_size=1, max_size=10)
    try:
        channels = [f"c{i}" for i in range(await pool.fetchval("SELECT COUNT(*) FROM channels"))]
        limit = asyncio.Semaphore(POSTS_AT_ONCE)
        posts: list[str] = []

        async def post(channel: str) -> None:
            async with limit:
                status = await pool.execute(
                    "INSERT INTO posted (channel, day) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    channel, START.date(),
                )  # fmt: skip
                if status.endswith(" 1"):
                    posts.append(channel)

        ready.set()
        if not go.wait(READY_TIMEOUT_S):
            raise TimeoutError("the fan-out was never started")
        await asyncio.gather(*(post(channel) for channel in channels))
        return {"ended": time.monotonic(), "posts": posts}
    finally:
        await pool.close()


def _child(kind: str, url: str, out: str, ready: Any, go: Any) -> None:
    """A process's whole life: its own event loop, store and Engine (or bare pool)."""
    path = Path(out)
    _log_to(path.with_suffix(".log"))
    work = _bot_process if kind == "bot" else _bare_process
    result = asyncio.run(work(url, path.stem, ready, go))
    path.write_text(json.dumps(result))


@dataclass(frozen=True)
class Split:
    seconds: float
    posts_per_channel: dict[str, int]

    def duplicates(self) -> int:
        return sum(n - 1 for n in self.posts_per_channel.values() if n > 1)


def _run_split(kind: str, url: str, workdir: Path) -> Split:
    """Start the processes, let them get ready, fire them together, gather what they posted."""
    context = multiprocessing.get_context("spawn")
    readies = [context.Event() for _ in range(PROCESSES)]
    go = context.Event()
    outs = [workdir / f"{kind}-{n}.json" for n in range(PROCESSES)]
    children = [
        context.Process(target=_child, args=(kind, url, str(out), ready, go))
        for out, ready in zip(outs, readies, strict=True)
    ]
    for child in children:
        child.start()
    try:
        for ready, child in zip(readies, children, strict=True):
            if not ready.wait(READY_TIMEOUT_S):
                raise RuntimeError(f"a {kind} process did not get ready (exit {child.exitcode})")
        started = time.monotonic()
        go.set()
        for child in children:
            child.join(RUN_TIMEOUT_S)
            if child.exitcode != 0:
                raise RuntimeError(f"a {kind} process failed (exit {child.exitcode})")
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()
    counts: dict[str, int] = {}
    ended = started
    for out in outs:
        result = json.loads(out.read_text())
        ended = max(ended, result["ended"])
        for channel in result["posts"]:
            counts[channel] = counts.get(channel, 0) + 1
    return Split(ended - started, counts)


async def _subscribe(url: str, channels: int) -> None:
    async with await PostgresStore.open(url) as store:
        engine = Engine(store, real_bank(), ManualClock(START), rng=random.Random(1))
        for i in range(channels):
            channel = ChannelRef(PLATFORM, f"space{i // CHANNELS_PER_SPACE}", f"c{i}")
            await engine.subscribe(channel, post_time="09:00", timezone="UTC", days="daily")


async def _prepare_bare(url: str, channels: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE channels (id TEXT PRIMARY KEY)")
        await conn.execute("CREATE TABLE posted (channel TEXT, day DATE, PRIMARY KEY (channel, day))")
        await conn.copy_records_to_table("channels", records=[(f"c{i}",) for i in range(channels)])
    finally:
        await conn.close()


async def _stored_posts(url: str) -> tuple[int, int]:
    conn = await asyncpg.connect(url)
    try:
        rounds = await conn.fetchval("SELECT COUNT(*) FROM rounds WHERE status = 'posted'")
        delivered = await conn.fetchval(
            "SELECT COUNT(*) FROM deliveries WHERE kind = 'post' AND status = 'delivered'"
        )
        return int(rounds), int(delivered)
    finally:
        await conn.close()


async def run(scale: Scale, workdir: Path, bot_url: str, bare_url: str) -> Figures:
    """`bot_url`, `bare_url`: two fresh databases on the same server."""
    channels = scale.of(5_000, least=10)
    await _subscribe(bot_url, channels)
    await _prepare_bare(bare_url, channels)
    loop = asyncio.get_running_loop()
    bot = await loop.run_in_executor(None, _run_split, "bot", bot_url, workdir)
    bare = await loop.run_in_executor(None, _run_split, "bare", bare_url, workdir)
    rounds, delivered = await _stored_posts(bot_url)
    per_s, bare_per_s = channels / bot.seconds, channels / bare.seconds
    return {
        "pg_fanout_channels": channels,
        "pg_fanout_processes": PROCESSES,
        "pg_fanout_s": bot.seconds,
        "pg_fanout_channels_per_s": per_s,
        "pg_fanout_channels_posted": len(bot.posts_per_channel),
        "pg_fanout_duplicates": bot.duplicates(),
        "pg_fanout_rounds_posted": rounds,
        "pg_fanout_deliveries_delivered": delivered,
        "pg_fanout_baseline_channels_per_s": bare_per_s,
        "pg_fanout_baseline_duplicates": bare.duplicates(),
        "pg_fanout_cost_ratio": bare_per_s / per_s,
    }
