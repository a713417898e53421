"""The catch-up's pacing and retries (bot.core.catchup), with a scripted reader, on both stores.

The platforms' own readers are tested against the loopback fakes (tests/slack/test_catch_up.py,
tests/discord/test_catch_up.py); here: the budget on the engine's clock, backoff after failures,
a revealed round read whole once, and requests during a pass.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.core.catchup import (
    FAILED_TRIES,
    FIRST_BACKOFF_S,
    ReadThrottled,
    ThreadCatchUp,
    ThreadPage,
)
from bot.core.models import ChannelRef, Round
from bot.core.results import AnswerResult, IncomingMessage
from tests.helpers import World
from tests.postgres import STORE_KINDS, opener_for


class ScriptedReader:
    """Each round's thread as pages of messages; `failures` raised first, one per read."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.pages: dict[int, list[list[IncomingMessage]]] = {}
        self.failures: list[Exception] = []
        self.reads: list[tuple[datetime, int, str | None, str | None]] = []
        self.on_read: list[Callable[[], None]] = []  # called by the next reads, one each

    def channel(self, round: Round) -> str:
        return f"channel-{round.subscription_id}"

    async def read(self, round: Round, start: str | None, page: str | None) -> ThreadPage:
        self.reads.append((self.world.clock.now(), round.id, start, page))
        if self.on_read:
            self.on_read.pop(0)()
        if self.failures:
            raise self.failures.pop(0)
        pages = self.pages.get(round.id, [[]])
        n = int(page or 0)
        messages = pages[n] if n < len(pages) else []
        more = str(n + 1) if n + 1 < len(pages) else None
        return ThreadPage(messages, f"read-{round.id}-{n}", more)

    def stored(self, page: ThreadPage, results: Sequence[AnswerResult]) -> None:
        pass


@pytest.fixture(params=STORE_KINDS)
async def world(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[World]:
    opened = await World.open(tmp_path / "bot.db", open_store=opener_for(request, request.param))
    yield opened
    await opened.close()


def catch_up(world: World, reader: ScriptedReader, per_minute: float = 6) -> ThreadCatchUp:
    async def sleep(seconds: float) -> None:
        world.clock.set(world.clock.now() + timedelta(seconds=seconds))
        await asyncio.sleep(0)

    return ThreadCatchUp(world.engine, "test", reader, calls_per_minute=per_minute, sleep=sleep)


async def open_round(world: World, channel_id: str) -> Round:
    channel = ChannelRef("test", "space", channel_id)
    await world.engine.subscribe(channel, post_time="09:00", timezone="UTC")
    result = await world.engine.post_now(channel)
    assert result.round is not None
    status = await world.engine.status(channel)
    assert status.open_round is not None
    return status.open_round


def written(round: Round, user: str, at: datetime) -> IncomingMessage:
    return IncomingMessage(
        platform="test", thread_id=str(round.thread_id), message_id=f"{round.id}-{user}",
        user_id=user, user_name=user.title(), text="read back", written_at=at,
    )  # fmt: skip


async def test_reads_are_spread_by_the_budget_oldest_round_first(world: World) -> None:
    rounds = [await open_round(world, f"c{n}") for n in range(4)]
    reader = ScriptedReader(world)
    for round in rounds:
        reader.pages[round.id] = [[written(round, "ana", world.clock.now())]]
    reader.pages[rounds[0].id].append([written(rounds[0], "ben", world.clock.now())])
    runner = catch_up(world, reader, per_minute=6)  # one read every 10 s
    runner.request()
    await runner.settle()
    assert [r[1] for r in reader.reads] == [rounds[0].id, rounds[0].id] + [r.id for r in rounds[1:]]
    times = [r[0] for r in reader.reads]
    assert all((b - a).total_seconds() >= 10 for a, b in itertools.pairwise(times))
    for round in rounds:
        assert await world.store.answered(round.id, "ana")
    assert await world.store.answered(rounds[0].id, "ben")
    assert (runner.calls, runner.stored) == (5, 5)


async def test_a_failing_read_backs_off_is_logged_once_and_gives_up_for_the_pass(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    round = await open_round(world, "c1")
    reader = ScriptedReader(world)
    reader.failures = [RuntimeError("HTTP 500")] * FAILED_TRIES
    runner = catch_up(world, reader)
    with caplog.at_level(logging.WARNING, logger="bot.core.catchup"):
        runner.request()
        await runner.settle()
    assert len(reader.reads) == FAILED_TRIES
    gaps = [(b[0] - a[0]).total_seconds() for a, b in itertools.pairwise(reader.reads)]
    assert gaps == [FIRST_BACKOFF_S * 2**n for n in range(FAILED_TRIES - 1)]  # doubling
    assert len([r for r in caplog.records if "channel-" in r.getMessage()]) == 1
    reader.pages[round.id] = [[written(round, "ana", world.clock.now())]]
    runner.request()  # the next pass reads it
    await runner.settle()
    assert await world.store.answered(round.id, "ana")


async def test_throttled_reads_wait_retry_after_and_keep_their_place(world: World) -> None:
    round = await open_round(world, "c1")
    reader = ScriptedReader(world)
    reader.failures = [ReadThrottled(45.0), ReadThrottled(45.0)]
    runner = catch_up(world, reader, per_minute=60)
    runner.request()
    await runner.settle()
    times = [r[0] for r in reader.reads]
    assert [(b - a).total_seconds() for a, b in itertools.pairwise(times)] == [45, 45]
    assert [r[1] for r in reader.reads] == [round.id] * 3


async def test_a_revealed_round_read_whole_is_not_read_again_and_requests_coalesce(
    world: World,
) -> None:
    round = await open_round(world, "c1")
    reader = ScriptedReader(world)
    runner = catch_up(world, reader)
    # Reconnects during the pass: one more pass after it, not two at once.

    def reconnects() -> None:
        runner.request()
        runner.request()

    reader.on_read = [reconnects]
    runner.request()
    await runner.settle()
    assert len(reader.reads) == 2
    assert reader.reads[1][2] == f"read-{round.id}-0"  # the second read starts where one ended
    await world.engine.reveal(round.id)
    runner.request()
    await runner.settle()
    runner.request()
    await runner.settle()
    assert len(reader.reads) == 3  # read once after its reveal, then settled


async def test_stop_ends_a_pass_under_way(world: World) -> None:
    for n in range(3):
        await open_round(world, f"c{n}")
    reader = ScriptedReader(world)
    gate = asyncio.Event()

    async def stuck(seconds: float) -> None:
        await gate.wait()

    runner = ThreadCatchUp(world.engine, "test", reader, calls_per_minute=1, sleep=stuck)
    first = asyncio.Event()
    reader.on_read = [first.set]
    runner.request()
    await asyncio.wait_for(first.wait(), 5)
    await asyncio.sleep(0)  # on to the next read, which waits for its minute
    assert len(reader.reads) == 1
    await runner.stop()
    gate.set()
    assert len(reader.reads) == 1
