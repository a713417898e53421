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
import signal
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
from tests.discord.fake_discord import Call, FakeDiscord, FakeUser, Json, eventually
from tests.discord.harness import token_for
from tests.helpers import FIXTURE_BANK

CHANNELS = 12
SPEED = 60.0
START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # every channel's post time: due at once
SCHEDULE = Schedule(clock_time(8, 0), "UTC", frozenset(range(7)), timedelta(minutes=5))
WITHIN_S = 60.0  # guards against a hang; not a timing figure
MARK = REVEAL_MARK.split("{}")[0]
SOAK = os.environ.get("PRACTICEBOT_SOAK") == "1"  # `make soak`: more seeds


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

    async def stop(self, signum: signal.Signals = signal.SIGTERM) -> int:
        """Signal the process (SIGTERM: a graceful stop) and wait for it to end."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signum)
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


async def killed_in(
    bot: Bot, count: Callable[[], int], rng: random.Random, signum: signal.Signals = signal.SIGKILL
) -> None:
    """Stop (SIGKILL: kill) once `count()` reaches a random point of a burst of CHANNELS, then
    start again; a SIGTERM must end in a clean exit."""
    kill_at = rng.randint(1, CHANNELS - 1)
    await bot.fake.wait_until(lambda: count() >= kill_at, WITHIN_S)
    code = await bot.stop(signum)
    if signum is signal.SIGTERM:
        assert code == 0 and "Traceback" not in bot.logs(), bot.logs()
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


async def subscribed(
    fake: FakeDiscord, channels: set[int], folder: Path, schedule: Schedule
) -> Path:
    """The channels, subscribed before the process first starts; the database's path."""
    db = folder / "bot.db"
    store = await SqliteStore.open(db)
    for channel in channels:
        ref = ChannelRef("discord", str(fake.guild_id), str(channel))
        await store.save_subscription(ref, schedule, None, "admin", START)
    await store.close()
    return db


@pytest.mark.parametrize(("seed", "days"), [(3, 1), (11, 2)] if SOAK else [(11, 2)])
async def test_sigkill_in_a_busy_minute_and_a_reveal_burst(
    fake: FakeDiscord, tmp_path: Path, seed: int, days: int
) -> None:
    rng = random.Random(seed)
    fake.nonce_window = 0.0
    channels = {fake.add_channel(f"practice-{n}") for n in range(CHANNELS)}
    db = await subscribed(fake, channels, tmp_path, SCHEDULE)
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


# -- an answer burst ------------------------------------------------------------------------

MEMBERS = [FakeUser(700_000_000_000_000_001 + n, f"member{n}") for n in range(3)]
SLOW_REVEAL = Schedule(clock_time(8, 0), "UTC", frozenset(range(7)), timedelta(hours=1))
ANSWER_SEEDS = list(range(1, 9)) if SOAK else [5]


def stored_messages(db: Path) -> set[str]:
    """The ids of the thread messages the bot has committed, read beside it."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        found = {str(r[0]) for r in conn.execute("SELECT message_id FROM messages")}
    conn.close()
    return found


def thread_of(fake: FakeDiscord, channel: int) -> int:
    [post] = bot_messages(fake, channel)
    assert post.get("thread"), "the post has its thread"
    return int(post["id"])  # a thread started from a message shares its id


@pytest.mark.parametrize("seed", ANSWER_SEEDS)
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
async def test_stopped_in_an_answer_burst_every_answer_counts_once(
    fake: FakeDiscord, tmp_path: Path, seed: int, signum: signal.Signals
) -> None:
    """Two members answer in every thread, the events dispatched one after another; the
    process is stopped at a random answer of the burst. The rest of the burst, and a third
    member in every thread, are written while it is down (stored by Discord, sent to no
    session). After the restart's catch-up every answer is counted exactly once: those
    committed before the stop, those dispatched but not yet committed (no acknowledgement
    exists on Discord: the read-back is the guarantee) and those written meanwhile. With
    SIGTERM the restart is stopped again in the reveal burst. Each round has one reveal and
    each channel one post."""
    rng = random.Random(f"{seed}-{signum.name}")
    fake.nonce_window = 0.0
    channels = {fake.add_channel(f"practice-{n}") for n in range(CHANNELS)}
    db = await subscribed(fake, channels, tmp_path, SLOW_REVEAL)
    bot = Bot(fake, db, tmp_path)
    fake.message_time = bot.now  # the ids say when each answer was written, as on Discord
    written: list[Json] = []
    try:
        await bot.start()
        await fake.wait_until(lambda: all(bot_messages(fake, c) for c in channels), WITHIN_S)
        await eventually(lambda: undelivered(db) == 0, WITHIN_S, interval=0.1)
        threads = {c: thread_of(fake, c) for c in sorted(channels)}

        burst = [(t, m) for t in threads.values() for m in MEMBERS[:2]]
        rng.shuffle(burst)
        stop_at = rng.randint(1, len(burst))
        sent: list[str] = []  # dispatched to the running process
        code = -1
        for n, (thread, member) in enumerate(burst, start=1):
            message = fake.message_payload(thread, member, f"answer {n}: weight decay")
            written.append(message)
            alive = bot.process is not None and bot.process.returncode is None
            if await fake.member_writes(message) and alive:
                sent.append(message["id"])
            if n == stop_at:
                code = await bot.stop(signum)
            await asyncio.sleep(0.01)  # members write one after another, not all at once
        if signum is signal.SIGTERM:
            assert code == 0 and "Traceback" not in bot.logs(), bot.logs()
        await eventually(lambda: fake.sessions() == 0, WITHIN_S)  # the fake saw it go
        for thread in threads.values():  # one more in each thread, while nobody listens
            message = fake.message_payload(thread, MEMBERS[2], "away: early stopping")
            written.append(message)
            assert not await fake.member_writes(message)
        in_doubt = [m for m in sent if m not in stored_messages(db)]

        # A new session, just before the reveals: only the read-back finds what it missed,
        # before or after the reveal (an answer written before it counts even if read after).
        bot.day(START + timedelta(minutes=59))
        await bot.start()
        if signum is signal.SIGTERM:  # (SIGKILL in a reveal burst: the test above)
            sent_reveals = lambda: len(accepted(fake, channels, inside=False))  # noqa: E731
            await killed_in(bot, sent_reveals, rng, signum)
        ids = {m["id"] for m in written}  # the last start's catch-up reads them all (paced)
        try:
            await eventually(lambda: ids <= stored_messages(db), WITHIN_S, interval=0.1)
        except TimeoutError:
            lost = len(ids - stored_messages(db))
            raise AssertionError(f"{lost} answers never stored; {bot.logs()}") from None
        await settled(bot, channels, 1)
    finally:
        if bot.process is not None and bot.process.returncode is None:
            await bot.kill()
    print(
        f"seed {seed} {signum.name} at answer {stop_at}/{len(burst)}: {len(sent)} dispatched, "
        f"{len(in_doubt)} of them not committed before the stop, "
        f"{len(written) - len(sent)} written while down; {bot.starts} starts"
    )

    assert set(in_doubt) <= stored_messages(db), "dispatched, not committed, never read back"
    for channel, thread in threads.items():  # one post, one reveal, whatever was stopped
        assert len(bot_messages(fake, channel)) == 1, (channel, bot.logs())
        reveals = bot_messages(fake, thread)
        assert len(reveals) == 1 and marked(reveals[0]), (channel, bot.logs())
    store = await SqliteStore.open(db)
    try:
        rounds = {}
        for subscription in await store.subscriptions():
            round = await store.latest_round(subscription.id)
            assert round is not None and round.status is RoundStatus.REVEALED
            rounds[int(str(round.thread_id))] = round
            assert len(await store.round_answerers(round.id)) == len(MEMBERS)
            for member in MEMBERS:  # the streak counts it too, read before the reveal or after
                streak = await store.streak(subscription.id, str(member.id))
                assert (streak.current, streak.answers) == (1, 1), (member, streak)
        for message in written:  # each answer counted once, in time (before the reveal)
            round, user = rounds[int(message["channel_id"])], message["author"]["id"]
            assert await store.thread_messages(round.id, user) == [message["id"]], message
            assert await store.answer_text(round.id, user) == message["content"]
    finally:
        await store.close()
