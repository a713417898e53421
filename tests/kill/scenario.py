"""The kill scenario: many channels due in the same minute, the real bot process stopped at
random points of the busy minute, of an answer burst and of the reveal burst, several
simulated days, and what must hold afterwards (counted on the fake's side and in the store).

Each day, per bot process (one, or several on one PostgreSQL database):
1. start at 07:59 (posts due at 08:00); stop one process when the fake has taken the k-th post
   (inside Slack's handler: the message is in Slack, its `ts` never reaches the bot; or just
   after the answer went back);
2. start again past the lease; the posts go out or are found; an answer burst of thread
   replies, sent concurrently as signed events; stop one process after the r-th HTTP 200;
3. start again at 08:55: the answers that never got their 200 are sent again, as Slack
   retries them; the reveals fall due at 09:00; stop one process at the j-th reveal.
The next day's first start (or a last one) catches up the reveals.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import signal
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.adapters.slack.refs import channel_ref
from bot.bank.loader import load_bank
from bot.clock import ManualClock
from bot.core.engine import Engine
from bot.core.models import Round, RoundStatus
from bot.core.ports import DELIVERY_EVENT, Store
from bot.core.records import Delivery, DeliveryStatus
from bot.core.wiring import DELIVERY_LEASE
from bot.scheduler.fast import fast_lease
from bot.store import open_store
from tests.helpers import FIXTURE_BANK
from tests.kill.answers import Answer, deliver
from tests.kill.process import BotProcess, SimTime
from tests.slack.fake_slack import TEAM, Call, FakeSlack

FIRST_DAY = date(2026, 12, 1)
USERS = [f"U{n:02d}" for n in range(8)]
SENDS_AT_ONCE = 12  # answers in flight together (Slack delivers events concurrently)
WAIT_S = 20.0  # bounded waits for what the bot does on its own
READY_GUESS_S = 2.0  # a start-up (spawn to listening), before one was measured


@dataclass
class KillScenario:
    folder: Path
    location: str  # SQLite file or postgresql:// URL
    seed: int
    signum: signal.Signals = signal.SIGKILL
    channels: int = 40
    days: int = 2
    processes: int = 1
    speed: float = 60.0
    fake: FakeSlack = field(init=False)
    sim: SimTime = field(init=False)
    rng: random.Random = field(init=False)
    bots: list[BotProcess | None] = field(init=False)
    answers: list[Answer] = field(default_factory=list)  # sent as events (and retried)
    away: list[Answer] = field(default_factory=list)  # written while every process was down
    runs: list[BotProcess] = field(default_factory=list)  # every process started, in order
    events: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    story: list[str] = field(default_factory=list)  # what was stopped where (on failure)
    retried: int = 0  # answers sent again because they got no HTTP 200

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.sim = SimTime(self.speed)
        self.fake = FakeSlack(ts_clock=self.sim.seconds)
        self.bots = [None] * self.processes
        self._session: aiohttp.ClientSession | None = None
        self._stop_when_up: int | None = None  # a process to stop the moment it is up
        self._store: Store | None = None

    @property
    def lease(self) -> timedelta:
        return fast_lease(self.speed, DELIVERY_LEASE)

    def channel_ids(self) -> list[str]:
        return [f"C{n:03d}" for n in range(self.channels)]

    # -- the run --------------------------------------------------------------------------------

    async def run(self) -> None:
        await self.fake.start()
        for user in USERS:
            self.fake.add_user(user, f"Person {user}")
        self._session = aiohttp.ClientSession()
        try:
            await self._subscribe()
            for n in range(self.days):
                await self._day(FIRST_DAY + timedelta(days=n))
            if not (await self._all_revealed() and await self._all_read_back()):
                last = FIRST_DAY + timedelta(days=self.days - 1)
                await self._start_all(max(self.sim.now(), _at(last, 9, 5)))
                await self._until(self._all_revealed, "every round revealed")
                await self._until(self._all_read_back, "every answer written meanwhile read")
                await self._stop_all(signal.SIGTERM)
        finally:
            for bot in self.bots:
                if bot is not None:
                    await bot.signal(signal.SIGKILL)
            await self._session.close()
            await self.fake.close()

    async def _subscribe(self) -> None:
        """The channels, subscribed the day before (in this process, on the same database)."""
        store = await open_store(self.location)
        try:
            clock = ManualClock(_at(FIRST_DAY - timedelta(days=1), 12, 0))
            engine = Engine(store, load_bank(FIXTURE_BANK), clock)
            for channel in self.channel_ids():
                await engine.subscribe(
                    channel_ref(TEAM, channel), post_time="08:00", timezone="UTC",
                    days="daily", reveal_after="1h", by="UADMIN",
                )  # fmt: skip
        finally:
            await store.close()

    async def _day(self, day: date) -> None:
        if self.processes > 1:
            return await self._day_taken_over(day)
        # 1. The busy minute (and yesterday's reveals, caught up first).
        victim = self.rng.randrange(self.processes)
        self._stop_at_post(victim, self.rng.randint(1, self.channels), thread=False)
        await self._start_all(_at(day, 7, 59))  # armed first: posts may begin before all are up
        await self._until_stopped(victim)
        if self._running():  # the others take over its claimed posts after their lease
            await self._until(lambda: self._all_posted(day), f"every channel posted on {day}")
        await self._stop_all(signal.SIGKILL)
        # 2. Past the lease: the posts go out or are found; then an answer burst.
        victim = self.rng.randrange(self.processes)
        await self._start_all(self.sim.now() + self.lease + timedelta(seconds=10))
        await self._until(lambda: self._all_posted(day), f"every channel posted on {day}")
        burst = await self._new_answers(day)
        r = self.rng.randint(1, len(burst))
        self.story.append(f"{self.signum.name} {self._bot(victim).name} at answer {r}")
        await self._send_answers(burst, stop_after=(victim, r))
        await self._until_stopped(victim)
        await self._stop_all(signal.SIGKILL)
        if day == FIRST_DAY + timedelta(days=self.days - 1):
            # Read back by the next starts, the last one waiting for it. (Not every day: the
            # read-back is paced in wall time, 10 threads a second, while each restart jumps
            # the simulated time by hours; stopped every few seconds, it can be overtaken by
            # the 24 h after a reveal within which it reads a round's thread.)
            self._write_while_away(day)
        # 3. Slack retries what got no 200; the reveals at 09:00.
        victim = self.rng.randrange(self.processes)
        self._stop_at_post(victim, self.rng.randint(1, self.channels), thread=True)
        await self._start_all(max(self.sim.now(), _at(day, 9, 0) - self._margin()))
        unacked = [a for a in self.answers if not a.acked]
        self.retried += len(unacked)
        await self._send_answers(unacked, retry=True)
        assert all(a.acked for a in self.answers), "a retried answer got no 200"
        await self._until_stopped(victim)
        if self._running():
            await self._until(self._all_revealed, f"every round revealed on {day}")
        await self._stop_all(signal.SIGKILL)

    async def _day_taken_over(self, day: date) -> None:
        """Several processes: one is killed in the busy minute, the others finish the posts
        (taking over its claims after their lease) and take the day's answers; then one is
        killed in the reveal burst and the others finish the reveals."""
        victim = self.rng.randrange(self.processes)
        self._stop_at_post(victim, self.rng.randint(1, self.channels), thread=False)
        await self._start_all(_at(day, 7, 59))
        await self._until_stopped(victim)
        await self._until(lambda: self._all_posted(day), f"every channel posted on {day}")
        await self._send_answers(await self._new_answers(day))
        assert all(a.acked for a in self.answers), "an answer to a live process got no 200"
        await self._stop_all(signal.SIGKILL)
        self._write_while_away(day)
        victim = self.rng.randrange(self.processes)
        self._stop_at_post(victim, self.rng.randint(1, self.channels), thread=True)
        await self._start_all(max(self.sim.now(), _at(day, 9, 0) - self._margin()))
        await self._until_stopped(victim)
        await self._until(self._all_revealed, f"every round revealed on {day}")
        await self._stop_all(signal.SIGKILL)

    # -- processes --------------------------------------------------------------------------

    async def _start_all(self, start: datetime) -> None:
        """Start every process on one simulated time."""
        self.sim.begin(start)
        first = len(self.runs)

        async def one(n: int) -> None:
            bot = await BotProcess.start(
                name=f"bot{n}-{first + n}", db=self.location, fake=self.fake, sim=self.sim,
                folder=self.folder, extra_env=self._named(n),
            )  # fmt: skip
            self.bots[n] = bot  # at once: the others may be posting already
            self.runs.append(bot)
            if self._stop_when_up == n:  # its moment came while it was starting
                bot.send_signal(self.signum)

        self._stop_when_up = None
        await asyncio.gather(*(one(n) for n in range(self.processes)))

    def _margin(self) -> timedelta:
        """Simulated time before the reveals to start in: the slowest start-up so far, twice,
        and a second to send Slack's retries (none may arrive after the reveal)."""
        slowest = max((bot.ready_s for bot in self.runs), default=READY_GUESS_S)
        return timedelta(seconds=(2 * slowest + 1.0) * self.speed)

    def _named(self, n: int) -> dict[str, str]:
        """Several processes: each its name, one state folder (a heartbeat each)."""
        if self.processes == 1:
            return {}
        return {
            "PRACTICEBOT_PROCESS_NAME": f"bot{n}",
            "PRACTICEBOT_STATE_DIR": str(self.folder / "state"),
        }

    def _bot(self, index: int) -> BotProcess:
        bot = self.bots[index]
        assert bot is not None
        return bot

    def _running(self) -> bool:
        return any(bot is not None and bot.proc.returncode is None for bot in self.bots)

    def _stop_at_post(self, index: int, k: int, *, thread: bool) -> None:
        """Signal process `index` when the fake has taken the k-th post (thread: reveal) of
        this run: inside the handler, or just after its answer."""
        seen = itertools.count(1)
        inside = self.rng.random() < 0.5
        where = "inside" if inside else "after"
        name = f"bot{index}-{len(self.runs) + index}"  # the name it is about to start with
        self._stop_when_up = None
        self.story.append(f"{self.signum.name} {name} {where} {'reveal' if thread else 'post'} {k}")

        def on_posted(channel: str, message: dict[str, Any]) -> None:
            if (message.get("metadata") or {}).get("event_type") != DELIVERY_EVENT:
                return
            if bool(message.get("thread_ts")) != thread:
                return
            if next(seen) < k:
                return
            self.fake.on_posted = None
            bot = self.bots[index]
            if bot is None:  # not up yet (the others post): as soon as it is
                self._stop_when_up = index
                return
            if inside:
                bot.send_signal(self.signum)
            else:
                asyncio.get_running_loop().call_soon(bot.send_signal, self.signum)

        self.fake.on_posted = on_posted

    async def _until_stopped(self, index: int) -> None:
        bot = self._bot(index)
        try:
            code = await bot.wait(WAIT_S)
        except TimeoutError:
            raise AssertionError(f"{bot.name} was never stopped ({self.story[-1]})") from None
        self.fake.on_posted = None
        if self.signum is signal.SIGTERM:
            assert code == 0, f"{bot.name} exited {code} after SIGTERM"
            assert not bot.logged("Traceback|still running at shutdown"), "a clean stop"

    async def _stop_all(self, signum: signal.Signals) -> None:
        """Stop the processes still running (the survivors of a kill)."""
        for index, bot in enumerate(self.bots):
            if bot is not None and bot.proc.returncode is None:
                await bot.signal(signum)
            self.bots[index] = None
        self.sim.halt()

    # -- answers ----------------------------------------------------------------------------

    async def _new_answers(self, day: date) -> list[Answer]:
        """Two people answer in each channel's thread of the day."""
        burst = []
        for channel in self.channel_ids():
            thread_ts = self._post_ts(channel, day)
            for user in self.rng.sample(USERS, 2):
                ts = self.fake.new_ts()
                answer = Answer(channel, user, ts, thread_ts, f"Ev{next(self.events):06d}", day)
                self.fake.record_event(answer.event())  # written in Slack
                burst.append(answer)
        self.rng.shuffle(burst)
        self.answers += burst
        return burst

    def _write_while_away(self, day: date) -> None:
        """One more person answers in each channel's thread while every process is down: in
        Slack only, never sent as an event (Slack drops what it could not deliver for long)."""
        for channel in self.channel_ids():
            present = {a.user for a in self.answers if a.channel == channel and a.day == day}
            user = self.rng.choice([u for u in USERS if u not in present])
            ts = self.fake.new_ts()
            answer = Answer(
                channel, user, ts, self._post_ts(channel, day), f"Away{len(self.away):05d}", day,
                acked=True,
            )  # fmt: skip
            self.fake.record_event(answer.event())
            self.away.append(answer)

    async def _all_read_back(self) -> bool:
        store = await self.store()
        for answer in self.away:
            [round] = [r for r in await self.rounds(answer.channel) if r.local_date == answer.day]
            if not await store.answered(round.id, answer.user):
                return False
        return True

    async def _send_answers(
        self,
        answers: list[Answer],
        *,
        stop_after: tuple[int, int] | None = None,
        retry: bool = False,
    ) -> None:
        gate, acks = asyncio.Semaphore(SENDS_AT_ONCE), itertools.count(1)
        targets = [b for b in self.bots if b is not None and b.proc.returncode is None]

        async def send(answer: Answer) -> None:
            async with gate:
                bot = targets[int(answer.channel[1:]) % len(targets)]
                if await deliver(self._session, bot.url, answer, retry=retry) == 200:
                    answer.acked = True
                    if stop_after is not None and next(acks) == stop_after[1]:
                        self._bot(stop_after[0]).send_signal(self.signum)

        await asyncio.gather(*(send(a) for a in answers))

    # -- what the fake and the store hold ---------------------------------------------------

    def posts(self, channel: str) -> list[dict[str, Any]]:
        return [
            m for m in self.fake.messages.get(channel, [])
            if (m.get("metadata") or {}).get("event_type") == DELIVERY_EVENT
            and m.get("thread_ts") in (None, m["ts"])
        ]  # fmt: skip

    def _post_ts(self, channel: str, day: date) -> str:
        [post] = [m for m in self.posts(channel) if _day_of(m["ts"]) == day]
        return str(post["ts"])

    def reveals(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        return [
            m for m in self.fake.messages.get(channel, [])
            if (m.get("metadata") or {}).get("event_type") == DELIVERY_EVENT
            and m.get("thread_ts") == thread_ts and m["ts"] != thread_ts
        ]  # fmt: skip

    async def store(self) -> Store:
        if self._store is None:
            self._store = await open_store(self.location)
        return self._store

    def lookups(self) -> list[Call]:
        """The look-ups of deliveries in doubt (with metadata; reading threads back has none)."""
        return [
            call for call in self.fake.calls
            if call.method in ("conversations.history", "conversations.replies")
            and str(call.params.get("include_all_metadata")).lower() in ("true", "1")
        ]  # fmt: skip

    def summary(self) -> str:
        """What the stops cost: posts and reveals found on Slack after a crash, lookups made."""
        found = sum(len(bot.logged("found after a crash")) for bot in self.runs)
        lookups = len(self.lookups())
        return (
            f"seed {self.seed} {self.signum.name}: {len(self.runs)} starts, {self.channels} "
            f"channels x {self.days} days, {len(self.answers)} answers ({self.retried} sent "
            f"again, as Slack retries), {len(self.away)} written while down; {found} deliveries found on Slack after a crash, "
            f"{lookups} lookups; stops: " + "; ".join(self.story)
        )

    async def rounds(self, channel: str) -> list[Round]:
        """The channel's rounds, whatever their status, by date."""
        store, found = await self.store(), []
        subscription = await store.subscription(channel_ref(TEAM, channel))
        assert subscription is not None
        for status in RoundStatus:
            found += await store.rounds_with_status(status, subscription.id)
        return sorted(found, key=lambda r: r.local_date)

    async def close(self) -> None:
        if self._store is not None:
            await self._store.close()

    async def _all_posted(self, day: date) -> bool:
        store = await self.store()
        posted = 0
        for subscription in await store.subscriptions():
            latest = await store.latest_round(subscription.id)
            if latest and latest.local_date == day and latest.thread_id is not None:
                posted += 1
        return posted == self.channels

    async def _all_revealed(self) -> bool:
        """Every round revealed and its reveal delivered (a round is revealed when its reveal
        falls due; the reveal message goes out through the outbox after)."""
        store = await self.store()
        if await store.rounds_with_status(RoundStatus.POSTED):
            return False
        if await store.rounds_with_status(RoundStatus.CLAIMED):
            return False
        return not await self.undelivered()

    async def undelivered(self) -> list[Delivery]:
        store, left = await self.store(), []
        for subscription in await store.subscriptions(active_only=False):
            left += await store.deliveries(
                subscription.id,
                [DeliveryStatus.PENDING, DeliveryStatus.CLAIMED, DeliveryStatus.PARKED],
            )
        return left

    async def _until(self, check: Any, what: str) -> None:
        try:
            async with asyncio.timeout(WAIT_S):
                while not await check():  # noqa: ASYNC110 (polls the store)
                    await asyncio.sleep(0.05)
        except TimeoutError:
            raise AssertionError(f"never happened: {what}") from None


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _day_of(ts: str) -> date:
    return datetime.fromtimestamp(float(ts), UTC).date()
