"""The fast clock: simulated time that moves by itself, firing the same jobs as real time.

The wall clock is injected (a number the test moves), so nothing here depends on how fast the
machine is; the scheduler's own loop still ticks every TICK_S of real time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sized
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import ManualClock
from bot.core.models import RoundStatus
from bot.core.wiring import DELIVERY_LEASE
from bot.scheduler.fast import LEASE_WALL_S, FastScheduler, fast_lease
from tests.helpers import CHANNEL, OTHER_CHANNEL, START, World


class Wall:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


async def until(check: Callable[[], Awaitable[bool]], seconds: float = 3.0) -> None:
    """Wait (boundedly) until `check()` is true: the scheduler's loop runs on real ticks."""
    async with asyncio.timeout(seconds):
        while not await check():  # noqa: ASYNC110 (the loop polls the store and the fake)
            await asyncio.sleep(0.01)


async def test_simulated_days_pass_with_the_wall_clock_times_the_speed(tmp_path: Path) -> None:
    clock = ManualClock(START)  # 08:00 in Berlin
    world = await World.open(tmp_path / "bot.db", clock=clock, start=False)
    try:
        for channel in (CHANNEL, OTHER_CHANNEL):
            await world.engine.subscribe(
                channel, post_time="08:30", timezone="Europe/Berlin", reveal_after="1h"
            )
        wall = Wall()
        scheduler = FastScheduler(world.engine, clock, speed=600, origin=0.0, wall=wall)
        await scheduler.start()
        wall.seconds = 2.0  # 20 simulated minutes: not yet
        await asyncio.sleep(0.2)
        assert world.publisher.posts == []
        assert START + timedelta(minutes=20) <= clock.now()
        wall.seconds = 3.5  # 08:35: both channels post, in the same tick
        await until(lambda: _count(world.publisher.posts, 2))
        wall.seconds = 3.5 + 144  # a day later (86,400 s / 600): revealed, and posted again
        await until(lambda: _count(world.publisher.reveals, 2))
        await until(lambda: _count(world.publisher.posts, 4))
        assert await scheduler.stop(2)
        rounds = await world.store.rounds_with_status(RoundStatus.POSTED)
        assert {r.local_date.day for r in rounds} == {2}
    finally:
        await world.close()


async def _count(items: Sized, n: int) -> bool:
    assert len(items) <= n, "nothing twice"
    return len(items) == n


async def test_after_a_stop_nothing_fires(tmp_path: Path) -> None:
    clock = ManualClock(START)
    world = await World.open(tmp_path / "bot.db", clock=clock, start=False)
    try:
        await world.engine.subscribe(CHANNEL, post_time="08:30", timezone="Europe/Berlin")
        wall = Wall()
        scheduler = FastScheduler(world.engine, clock, speed=600, origin=0.0, wall=wall)
        await scheduler.start()
        assert await scheduler.stop(2)
        wall.seconds = 10_000.0
        await asyncio.sleep(0.2)
        assert world.publisher.posts == []
        assert clock.now() < START + timedelta(minutes=1)
    finally:
        await world.close()


async def test_an_origin_in_the_past_starts_where_the_time_has_run_to(tmp_path: Path) -> None:
    """A restart given the same --start and --origin continues the same simulated time: what
    fell due while it was down is caught up at once."""
    clock = ManualClock(START)  # 08:00 in Berlin at wall time 0
    world = await World.open(tmp_path / "bot.db", clock=clock, start=False)
    try:
        await world.engine.subscribe(CHANNEL, post_time="08:30", timezone="Europe/Berlin")
        wall = Wall()
        wall.seconds = 6.0  # an hour later at 600 times
        scheduler = FastScheduler(world.engine, clock, speed=600, origin=0.0, wall=wall)
        await scheduler.start()
        assert clock.now() == START + timedelta(hours=1)
        await until(lambda: _count(world.publisher.posts, 1))  # caught up, within the grace
        assert await scheduler.stop(2)
    finally:
        await world.close()


def test_the_lease_lasts_on_the_wall_clock() -> None:
    assert fast_lease(1, DELIVERY_LEASE) == DELIVERY_LEASE
    assert fast_lease(600, DELIVERY_LEASE) == timedelta(seconds=LEASE_WALL_S * 600)


def test_a_speed_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        FastScheduler(None, ManualClock(START), speed=0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["console", "--speed", "600"], "--speed needs --clock fast."),
        (["console", "--clock", "fast", "--speed", "fast"], "--speed must be a number"),
        (["console", "--clock", "fast", "--speed", "0"], "--speed must be a number"),
        (["console", "--start", "2026-12-01T08:00"], "--start needs --clock manual or"),
        (["console", "--clock", "fast", "--origin", "soon"], "--origin must be a Unix time"),
        (["console", "--origin", "1796112000"], "--origin needs --clock fast."),
    ],
)
def test_bad_fast_clock_flags_get_one_line(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main([*argv, "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err
    assert says in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.db").exists()
