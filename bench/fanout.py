"""Daily fan-out: every subscribed channel's post falls due in the same minute.

The channels are subscribed through the Engine and the bot runs its real `RealTimeScheduler`
(APScheduler). When the minute comes, every post job fires at the same instant; each runs the
real post path, `Engine.post_due`: the claim of the day, the choice of question, the publisher
call and the stored round. The publisher does nothing (it notes the post), so what is measured
is the bot alone: channels per second from the trigger to the last round stored, against
Discord's global limit of 50 requests a second.

The second part shows the bot keeps to a platform limit without dropping a channel: a
publisher that lets through at most `RATE` posts a second (a token bucket, as an adapter would
keep) must see every channel posted in close to channels / RATE seconds.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import Figures, Scale, now_s
from bench.world import PLATFORM, Bot, NoopPublisher
from bot.core.models import ChannelRef, Round, RoundStatus, Subscription
from bot.core.ports import PostedRef, RoundPost
from bot.scheduler import RealTimeScheduler

DISCORD_GLOBAL_LIMIT = 50  # requests a second
RATE = 200  # the rate-limited publisher's posts a second
CHANNELS_PER_SPACE = 100


def _lead_s(channels: int) -> float:
    """Time between moving the post jobs and their firing: moving one costs ~0.1 ms."""
    return 0.2 + channels * 0.0003


@dataclass
class RateLimitedPublisher(NoopPublisher):
    """Lets through `rate` posts a second, as a platform's limit does; the rest wait their turn.

    Each post takes the next free slot, one every 1/rate seconds (a token bucket holding one
    token), and waits for it: no post is refused, none goes early.
    """

    rate: float = RATE
    slots: list[float] = field(default_factory=list)  # when each post was let through
    _next_slot: float = 0.0

    async def post_round(self, post: RoundPost) -> PostedRef:
        slot = max(self._next_slot, now_s())
        self._next_slot = slot + 1 / self.rate
        self.slots.append(slot)
        await asyncio.sleep(slot - now_s())
        return await super().post_round(post)


class _StoredRounds:
    """Stands between the engine and the scheduler to note when each round is stored."""

    def __init__(self, scheduler: RealTimeScheduler, expected: int) -> None:
        self._scheduler = scheduler
        self.expected = expected
        self.stored_at: list[float] = []
        self.all_stored = asyncio.Event()

    def subscription_changed(self, subscription: Subscription) -> None:
        self._scheduler.subscription_changed(subscription)

    def round_posted(self, round: Round) -> None:
        self._scheduler.round_posted(round)
        self.stored_at.append(now_s())
        if len(self.stored_at) >= self.expected:
            self.all_stored.set()


@dataclass(frozen=True)
class FanOut:
    channels: int
    seconds: float  # from the trigger to the last round stored
    settled: float  # from the trigger to the scheduler having every reveal job too
    posted: int

    @property
    def per_s(self) -> float:
        return self.channels / self.seconds


async def subscribe_channels(bot: Bot, count: int) -> None:
    for i in range(count):
        channel = ChannelRef(PLATFORM, f"space{i // CHANNELS_PER_SPACE}", f"c{i}")
        await bot.engine.subscribe(channel, post_time="09:00", timezone="UTC", days="daily")


async def fan_out(
    db: Path, channels: int, publisher: NoopPublisher, after: Callable[[Bot], object] | None = None
) -> FanOut:
    """Subscribe `channels` channels at 09:00, start the scheduler at 08:59, fire 09:00."""
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)  # a fresh database: no channel has posted today
    bot = await Bot.open(db, publisher)
    scheduler = RealTimeScheduler(bot.engine, post_grace=timedelta(hours=2))
    try:
        await subscribe_channels(bot, channels)
        await scheduler.start()  # builds a post job per channel; nothing is due at 08:59
        await scheduler.caught_up()  # the start-up catch-up runs as a task
        watch = _StoredRounds(scheduler, channels)
        bot.engine.set_schedule_listener(watch)
        bot.clock.set(bot.clock.now() + timedelta(minutes=1))  # the engine's clock says 09:00
        # APScheduler runs on the wall clock: bring every post job to the same instant, as if
        # that minute had come, and let the scheduler fire them all.
        # (Moving a job wakes the scheduler up once per job: the lead time leaves room for that.)
        lead = _lead_s(channels)
        trigger_at = now_s() + lead
        when = datetime.now(UTC) + timedelta(seconds=lead)
        for job in scheduler.jobs():
            if job.id.startswith("post:"):
                job.modify(next_run_time=when)
        await asyncio.wait_for(watch.all_stored.wait(), timeout=600)
        seconds = max(watch.stored_at) - trigger_at
        # For the record: until the scheduler has also set up every round's reveal job.
        for _ in range(100_000):
            if not scheduler.reveals_waiting:
                break
            await asyncio.sleep(0.005)
        settled = now_s() - trigger_at
        posted = len(await bot.store.rounds_with_status(RoundStatus.POSTED))
        if after is not None:
            after(bot)
        return FanOut(channels, seconds, settled, posted)
    finally:
        await scheduler.stop(timeout_s=30)
        await bot.close()


async def run(scale: Scale, workdir: Path) -> Figures:
    daily = await fan_out(workdir / "fanout.db", scale.of(5_000, least=10), NoopPublisher())
    limited_channels = scale.of(500, least=10)
    limiter = RateLimitedPublisher()
    limited = await fan_out(workdir / "fanout-limited.db", limited_channels, limiter)
    bound_s = limited_channels / RATE
    return {
        "fanout_channels": daily.channels,
        "fanout_posted": daily.posted,
        "fanout_s": daily.seconds,
        "fanout_settled_s": daily.settled,
        "fanout_channels_per_s": daily.per_s,
        "fanout_ratio_to_discord_limit": daily.per_s / DISCORD_GLOBAL_LIMIT,
        "ratelimited_channels": limited.channels,
        "ratelimited_posted": limited.posted,
        "ratelimited_s": limited.seconds,
        "ratelimited_bound_s": bound_s,
        "ratelimited_fanout_ratio_to_bound": limited.seconds / bound_s,
        "ratelimited_narrowest_gap_s": narrowest_gap_s(limiter.slots),
    }



def narrowest_gap_s(slots: list[float]) -> float:
    """The shortest time between two posts the limiter let through (computed slots, not clocks)."""
    ordered = sorted(slots)
    return min((b - a for a, b in itertools.pairwise(ordered)), default=float("inf"))
