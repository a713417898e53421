"""The real `practicebot run` against the loopback Discord gateway, killed with SIGKILL at a
random point of a busy minute and of a reveal burst, on a few seeds.

The process runs a fast clock (`--clock fast --speed 60 --origin …`: a simulated minute a
wall second, the same time across its restarts) on SQLite; every channel is due at the
clock's start, its reveal five simulated minutes later. The fake's nonce window is closed, so
a repeat after a crash can be kept out only by the history lookup, and its message ids follow
the simulated clock, as Discord's follow its own. One seed goes on into the next day's busy
minute (a clock started again at its post time). After the restarts: each channel has exactly
one post a day, each round exactly one reveal.
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import sys
import time
from collections.abc import Callable
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
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self.day(START)

    def day(self, start: datetime) -> None:
        """The clock of the next starts: from `start`, as of now (a later day)."""
        self.clock_start, self.origin = start, time.time()

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
            "--clock", "fast", "--start", self.clock_start.strftime("%Y-%m-%dT%H:%M"),
            "--speed", str(SPEED), "--origin", f"{self.origin:.3f}",
            env=env, cwd=self.folder, stdout=log, stderr=log,
        )  # fmt: skip

    def now(self) -> datetime:
        """The simulated time the process reads."""
        return self.clock_start + timedelta(seconds=(time.time() - self.origin) * SPEED)

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


def revealed(fake: FakeDiscord, channels: set[int], days: int) -> bool:
    """Every channel has `days` posts whose threads have a reveal (any more are counted after)."""
    return all(
        sum(any(marked(m) for m in bot_messages(fake, int(p["id"]))) for p in posts) >= days
        for posts in (bot_messages(fake, c) for c in channels)
    )


async def killed_in(bot: Bot, count: Callable[[], int], rng: random.Random) -> None:
    """SIGKILL once `count()` reaches a random point of a burst of CHANNELS, then start again."""
    kill_at = rng.randint(1, CHANNELS - 1)
    await bot.fake.wait_until(lambda: count() >= kill_at, WITHIN_S)
    await bot.kill()
    await bot.start()


async def settled(bot: Bot, channels: set[int], days: int) -> None:
    """The last start connected (its stop signal heard from then on), every round of `days`
    revealed, and all of it recorded (a message sent just before a kill is found again once
    its lease is over); then a graceful stop."""
    fake = bot.fake
    await fake.wait_until(lambda: len(fake.identifies) == bot.starts, WITHIN_S)
    await fake.wait_until(lambda: revealed(fake, channels, days), WITHIN_S)
    await eventually(lambda: undelivered(bot.db) == 0, WITHIN_S, interval=0.1)
    assert await bot.stop() == 0, bot.logs()


@pytest.mark.parametrize(("seed", "days"), [(3, 1), (11, 2)])
async def test_sigkill_in_a_busy_minute_and_a_reveal_burst(
    fake: FakeDiscord, tmp_path: Path, seed: int, days: int
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
        await bot.start()  # the busy minute: every channel at once
        await killed_in(bot, lambda: len(accepted(fake, channels, inside=True)), rng)
        # the rest of the posts, then the reveal burst
        await killed_in(bot, lambda: len(accepted(fake, channels, inside=False)), rng)
        await settled(bot, channels, 1)
        if days == 2:  # the next day's busy minute, on a clock started again at its post time
            bot.day(START + timedelta(days=1))
            await bot.start()
            posted = len(accepted(fake, channels, inside=True))
            await killed_in(bot, lambda: len(accepted(fake, channels, inside=True)) - posted, rng)
            await settled(bot, channels, 2)
    finally:
        if bot.process is not None and bot.process.returncode is None:
            await bot.kill()

    for channel in channels:
        posts = bot_messages(fake, channel)  # one post per channel and day, whatever was killed
        assert len(posts) == days, (channel, bot.logs())
        for post in posts:
            assert post.get("thread"), "the post has its thread"
            reveals = bot_messages(fake, int(post["id"]))
            assert len(reveals) == 1 and marked(reveals[0]), (channel, bot.logs())  # one reveal
    store = await SqliteStore.open(db)
    try:
        for subscription in await store.subscriptions():
            last = await store.latest_round(subscription.id)
            assert last is not None and last.status is RoundStatus.REVEALED
            assert last.local_date == (START + timedelta(days=days - 1)).date()
            deliveries = await store.deliveries(subscription.id)
            assert [d.status for d in deliveries] == [DeliveryStatus.DELIVERED] * 2 * days
    finally:
        await store.close()
