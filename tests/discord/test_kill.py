"""The real `practicebot run` against the loopback Discord gateway, killed with SIGKILL at a
random point of a busy minute and of a reveal burst, on a few seeds.

The process runs a fast clock (`--clock fast --speed 60 --origin …`: a simulated minute a
wall second, the same time across its restarts) on SQLite; every channel is due at the
clock's start, its reveal five simulated minutes later. The fake's nonce window is closed, so
a repeat after a crash can be kept out only by the history lookup, and its message ids follow
the simulated clock, as Discord's follow its own. After the restarts: each channel has exactly
one post, each round exactly one reveal.
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest

from bot.adapters.discord.delivery_keys import REVEAL_MARK
from bot.core.models import ChannelRef, RoundStatus
from bot.core.records import DeliveryStatus
from bot.core.schedule import Schedule
from bot.store import SqliteStore
from tests.discord.fake_discord import Call, FakeDiscord, Json, eventually
from tests.discord.harness import token_for
from tests.helpers import FIXTURE_BANK

CHANNELS = 12
SPEED = 60.0
START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # every channel's post time: due at once
SCHEDULE = Schedule(clock_time(8, 0), "UTC", frozenset(range(7)), timedelta(minutes=5))
WITHIN_S = 60.0  # guards against a hang; not a timing figure
MARK = REVEAL_MARK.split("{}")[0]


class Bot:
    """The bot process, started and killed again and again on one database and one clock."""

    def __init__(self, fake: FakeDiscord, db: Path, folder: Path) -> None:
        self.fake, self.db, self.folder = fake, db, folder
        self.origin = time.time()
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
        env |= {
            "DISCORD_TOKEN": token_for(self.fake.app_id),
            "DISCORD_APPLICATION_ID": str(self.fake.app_id),
            "DISCORD_API_URL": self.fake.api_url,
            "PRACTICEBOT_QUESTIONS": str(FIXTURE_BANK),
            "PRACTICEBOT_TZ": "UTC",
            "PRACTICEBOT_BACKUP_KEEP_DAYS": "0",
        }
        self.starts += 1
        log = (self.folder / f"run{self.starts}.log").open("w")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--db", str(self.db), "run", "--no-console",
            "--clock", "fast", "--start", START.strftime("%Y-%m-%dT%H:%M"),
            "--speed", str(SPEED), "--origin", f"{self.origin:.3f}",
            env=env, cwd=self.folder, stdout=log, stderr=log,
        )  # fmt: skip

    def now(self) -> datetime:
        """The simulated time the process reads."""
        return START + timedelta(seconds=(time.time() - self.origin) * SPEED)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: nothing after it runs
        await asyncio.wait_for(self.process.wait(), WITHIN_S)

    async def stop(self) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.terminate()
        return await asyncio.wait_for(self.process.wait(), WITHIN_S)

    def logs(self) -> str:
        return "\n".join(
            (self.folder / f"run{n}.log").read_text() for n in range(1, self.starts + 1)
        )


def accepted(fake: FakeDiscord, channels: set[int], *, inside: bool) -> list[Call]:
    """Messages the fake accepted: in the channels (posts), or outside them (reveals)."""
    return [
        c for c in fake.find("POST", r"/channels/\d+/messages")
        if c.status == 200 and (int(c.path.split("/")[2]) in channels) == inside
    ]  # fmt: skip


def undelivered(db: Path) -> int:
    """Deliveries not yet delivered, read beside the running bot (SQLite's WAL allows it)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        count = conn.execute("SELECT count(*) FROM deliveries WHERE status <> 'delivered'")
        result = int(count.fetchone()[0])
    conn.close()
    return result


def marked(message: Json) -> bool:
    """A reveal: its last embed carries the reveal's mark."""
    return any((e.get("url") or "").startswith(MARK) for e in message["embeds"])


def bot_messages(fake: FakeDiscord, channel: int) -> list[Json]:
    return [m for m in fake.channel_messages(channel) if int(m["author"]["id"]) == fake.app_id]


@pytest.mark.parametrize("seed", [3, 11])
async def test_sigkill_in_a_busy_minute_and_a_reveal_burst(
    fake: FakeDiscord, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    fake.nonce_window = 0.0
    channels = {fake.add_channel(f"practice-{n}") for n in range(CHANNELS)}
    db = tmp_path / "bot.db"
    store = await SqliteStore.open(db)
    for channel in channels:
        ref = ChannelRef("discord", str(fake.guild_id), str(channel))
        await store.save_subscription(ref, SCHEDULE, None, "admin", START)
    await store.close()

    bot = Bot(fake, db, tmp_path)
    fake.message_time = bot.now
    try:
        await bot.start()  # the busy minute: every channel at once, killed part-way
        kill_at = rng.randint(1, CHANNELS - 1)
        await fake.wait_until(lambda: len(accepted(fake, channels, inside=True)) >= kill_at, WITHIN_S)
        await bot.kill()
        await bot.start()  # the rest of the posts, then the reveal burst, killed part-way
        kill_at = rng.randint(1, CHANNELS - 1)
        await fake.wait_until(lambda: len(accepted(fake, channels, inside=False)) >= kill_at, WITHIN_S)
        await bot.kill()
        await bot.start()

        def revealed() -> bool:
            """Every channel has a post whose thread has a reveal."""
            return all(
                any(marked(m) for post in bot_messages(fake, c)
                    for m in bot_messages(fake, int(post["id"])))
                for c in channels
            )  # fmt: skip

        # Connected (its stop signal heard from then on), everything revealed, and recorded
        # (a reveal sent just before the kill is found again once its lease is over).
        await fake.wait_until(lambda: len(fake.identifies) == 3 and revealed(), WITHIN_S)
        await eventually(lambda: undelivered(db) == 0, WITHIN_S, interval=0.1)
        assert await bot.stop() == 0, bot.logs()
    finally:
        if bot.process is not None and bot.process.returncode is None:
            await bot.kill()

    for channel in channels:
        posts = bot_messages(fake, channel)
        assert len(posts) == 1, (channel, bot.logs())  # one post per channel, whatever was killed
        assert posts[0].get("thread"), "the post has its thread"
        reveals = bot_messages(fake, int(posts[0]["id"]))
        assert len(reveals) == 1 and marked(reveals[0]), (channel, bot.logs())  # one reveal
    store = await SqliteStore.open(db)
    try:
        for subscription in await store.subscriptions():
            last = await store.latest_round(subscription.id)
            assert last is not None and last.status is RoundStatus.REVEALED
            deliveries = await store.deliveries(subscription.id)
            assert [d.status for d in deliveries] == [DeliveryStatus.DELIVERED] * 2
    finally:
        await store.close()
