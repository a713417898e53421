"""A bot to measure: a real SqliteStore on a SQLite file, the shipped bank, an Engine on a manual clock,
and a publisher that only records what it was asked to post."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.common import now_s, real_bank
from bot.clock import ManualClock
from bot.core.engine import Engine
from bot.core.ports import PostedRef, RevealPost, RoundPost
from bot.store import SqliteStore

PLATFORM = "bench"
# Tuesday 1 December 2026, 08:59 UTC: a minute before the channels' post time.
START = datetime(2026, 12, 1, 8, 59, tzinfo=UTC)


@dataclass
class NoopPublisher:
    """Takes every post at once and notes when it came."""

    posted_at: list[float] = field(default_factory=list)
    reveals: int = 0

    async def post_round(self, post: RoundPost) -> PostedRef:
        self.posted_at.append(now_s())
        ref = f"{post.subscription.channel.channel_id}-{post.round.id}"
        return PostedRef(ref, ref)

    async def post_reveal(self, reveal: RevealPost) -> None:
        self.reveals += 1


@dataclass
class Bot:
    store: SqliteStore
    engine: Engine
    clock: ManualClock
    publisher: NoopPublisher

    @classmethod
    async def open(cls, db_path: Path, publisher: NoopPublisher | None = None) -> Bot:
        store = await SqliteStore.open(db_path)
        clock = ManualClock(START)
        engine = Engine(store, real_bank(), clock, rng=random.Random(1))
        publisher = publisher or NoopPublisher()
        engine.add_publisher(PLATFORM, publisher)
        return cls(store, engine, clock, publisher)

    async def close(self) -> None:
        await self.store.close()
