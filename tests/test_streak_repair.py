"""Streak repair on the console, Slack and Discord: a repaired round breaks nobody's streak."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.core.errors import InputError, NotFoundError
from tests.console_harness import ConsoleRun
from tests.helpers import CHANNEL, World


async def _two_rounds_ana_misses_the_second(world: World) -> str:
    """Ana answers day 1 and misses day 2 (both revealed): the date of day 2."""
    engine = world.engine
    await engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC", days="daily")
    first = await engine.post_now(CHANNEL)
    assert first.round is not None
    await world.answer(first.round, "ana")
    await engine.reveal_now(CHANNEL)
    world.clock.set(world.clock.now() + timedelta(days=1))
    second = await engine.post_now(CHANNEL)
    assert second.round is not None
    await world.answer(second.round, "ben")
    await engine.reveal_now(CHANNEL)
    return second.round.local_date.isoformat()


async def test_the_engine_repairs_a_revealed_round(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    try:
        day = await _two_rounds_ana_misses_the_second(world)
        assert (await world.engine.streak(CHANNEL, "ana")).current == 0
        repair, new = await world.engine.repair_streaks(CHANNEL, day, by="root")
        assert new and repair.repaired_by == "root"
        assert (await world.engine.streak(CHANNEL, "ana")).current == 1
        assert (await world.engine.streak(CHANNEL, "ben")).current == 1
        board = await world.engine.leaderboard(CHANNEL, whole_space=True)
        assert {e.user_id: e.current_streak for e in board.entries} == {"ana": 1, "ben": 1}
        status = await world.engine.status(CHANNEL)
        assert status.repairs == (repair,)
        for bad in ("yesterday", "2026-13-01"):
            try:
                await world.engine.repair_streaks(CHANNEL, bad)
            except InputError as error:
                assert "YYYY-MM-DD" in str(error)
            else:
                raise AssertionError(bad)
        try:
            await world.engine.repair_streaks(CHANNEL, "2020-01-01")
        except NotFoundError as error:
            assert "no round on 2020-01-01" in str(error)
        else:
            raise AssertionError("no round")
    finally:
        await world.close()


async def test_the_console_repairs_and_shows_it_in_status(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    try:
        day = await _two_rounds_ana_misses_the_second(world)
        console = ConsoleRun(world)
        reply = await console.say(f"/streak-repair {day}")
        assert f"Repaired the round of {day}: it breaks nobody's streak" in reply
        again = await console.say(f"/streak-repair {day}")
        assert f"The round of {day} was already repaired by alice on" in again
        status = await console.say("/status")
        assert f"Streak repairs: {day} (by alice on" in status
        assert "Usage: streak-repair" in await console.say("/streak-repair")
        assert "still to come" in await console.say("/streak-repair 2099-01-01")
    finally:
        await world.close()
