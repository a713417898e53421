"""Timed jobs: daily posts, reveals, catch-up after downtime and restarts, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from bot.core.models import RoundStatus
from bot.scheduler import RealTimeScheduler
from tests.helpers import CHANNEL, World, message

BERLIN = ZoneInfo("Europe/Berlin")


def local_posts(world: World) -> list[str]:
    return [
        f"{p.round.local_date:%a} {world.clock.now().astimezone(BERLIN):%H}"
        for p in world.publisher.posts
    ]


async def test_a_week_of_weekday_rounds(world: World) -> None:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    await world.scheduler.advance(timedelta(days=7))  # Tue 08:00 → next Tue 08:00
    days = [f"{p.round.local_date:%a}" for p in world.publisher.posts]
    assert days == ["Tue", "Wed", "Thu", "Fri", "Mon"]
    assert len(world.publisher.reveals) == 5
    ids = [p.question.id for p in world.publisher.posts]
    assert len(set(ids)) == 5, "no repeats within a cycle"


async def test_a_weekend_off_breaks_no_streak(world: World) -> None:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    await world.scheduler.advance(timedelta(hours=2))  # Tue 10:00, the round is open
    for _ in range(7):  # Tue … Mon at 10:00
        state = await world.engine.status(CHANNEL)
        if state.open_round is not None:
            await world.engine.handle_message(message(state.open_round, "ana"))
        await world.scheduler.advance(timedelta(days=1))
    assert (await world.engine.streak(CHANNEL, "ana")).current == 5


async def test_missing_a_round_resets_at_its_reveal(world: World) -> None:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    await world.scheduler.advance(timedelta(hours=1, minutes=1))  # Tue 09:01: open
    first = (await world.engine.status(CHANNEL)).open_round
    assert first is not None
    await world.engine.handle_message(message(first, "ana"))
    await world.scheduler.advance(timedelta(days=1))  # Tue revealed, Wed open, ana silent
    assert (await world.engine.streak(CHANNEL, "ana")).current == 1
    await world.scheduler.advance(timedelta(hours=8))  # Wed revealed
    view = await world.engine.streak(CHANNEL, "ana")
    assert (view.current, view.best) == (0, 1)


async def test_post_stays_at_nine_local_across_the_dst_change(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 3, 26, 12, 0, tzinfo=UTC))  # Thursday before the change
    world = await World.open(tmp_path / "bot.db", clock=clock)
    try:
        await world.engine.subscribe(
            CHANNEL, post_time="09:00", timezone="Europe/Berlin", days="daily"
        )
        posted_at = []
        for _ in range(5):
            await world.scheduler.advance(timedelta(days=1))
            latest = await world.store.latest_round(1)
            assert latest is not None and latest.posted_at is not None
            posted_at.append(latest.posted_at.astimezone(BERLIN))
        assert [p.hour for p in posted_at] == [9] * 5
        assert {p.utcoffset() for p in posted_at} == {timedelta(hours=1), timedelta(hours=2)}
    finally:
        await world.close()


async def test_starting_within_the_grace_window_posts_today(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    await world.close()
    world.clock.set(datetime(2026, 12, 1, 10, 30, tzinfo=BERLIN))  # down over 09:00
    world = await World.open(tmp_path / "bot.db", clock=world.clock, publisher=world.publisher)
    try:
        assert [p.round.local_date.day for p in world.publisher.posts] == [1]
    finally:
        await world.close()


async def test_starting_after_the_grace_window_skips_the_day(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    await world.close()
    world.clock.set(datetime(2026, 12, 1, 11, 30, tzinfo=BERLIN))
    world = await World.open(tmp_path / "bot.db", clock=world.clock, publisher=world.publisher)
    try:
        assert world.publisher.posts == []
        await world.scheduler.advance(timedelta(days=1))
        assert [p.round.local_date.day for p in world.publisher.posts] == [2]
    finally:
        await world.close()


async def test_a_restart_mid_day_posts_nothing_twice(world: World) -> None:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    await world.scheduler.advance(timedelta(hours=1, minutes=30))  # posted at 09:00
    assert len(world.publisher.posts) == 1
    for _ in range(2):
        world = await world.restart()
        await world.scheduler.advance(timedelta(minutes=10))
    assert len(world.publisher.posts) == 1
    await world.close()


async def test_reveals_that_fell_due_while_down_happen_at_start_up(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    posted = await world.engine.post_now(CHANNEL)
    assert posted.round is not None
    await world.engine.handle_message(message(posted.round, "ana"))
    await world.close()
    world.clock.set(world.clock.now() + timedelta(days=1, hours=6))  # Wed 14:00, long past 16:00
    world = await World.open(tmp_path / "bot.db", clock=world.clock, publisher=world.publisher)
    try:
        assert len(world.publisher.reveals) == 1
        assert [a.user_id for a in world.publisher.reveals[0].answerers] == ["ana"]
        assert len(world.publisher.posts) == 1, "Wednesday's 09:00 is outside the grace: skipped"
    finally:
        await world.close()


async def test_a_claim_left_by_a_crash_is_retried_at_start_up(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    # A crash between the claim and the platform post leaves a claimed round behind.
    await world.store.claim_round(
        1, datetime(2026, 12, 1).date(), "alpha-one", 0, "scheduled", world.clock.now(),
        world.clock.now() + timedelta(hours=8),
    )  # fmt: skip
    await world.close()
    world = await World.open(tmp_path / "bot.db", clock=world.clock, publisher=world.publisher)
    try:
        assert [p.question.id for p in world.publisher.posts] == ["alpha-one"]
        rounds = await world.store.rounds_with_status(RoundStatus.POSTED)
        assert len(rounds) == 1 and rounds[0].thread_id is not None
    finally:
        await world.close()


async def test_a_stale_claim_from_a_past_day_is_released(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    await world.store.claim_round(
        1, datetime(2026, 11, 30).date(), "alpha-one", 0, "scheduled", world.clock.now(),
        world.clock.now(),
    )  # fmt: skip
    world = await world.restart()
    try:
        assert world.publisher.posts == []
        assert await world.store.rounds_with_status(RoundStatus.CLAIMED) == []
    finally:
        await world.close()


async def test_real_time_scheduler_builds_its_jobs_from_the_database(world: World) -> None:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    posted = await world.engine.post_now(CHANNEL)
    assert posted.round is not None
    real = RealTimeScheduler(world.engine, post_grace=timedelta(hours=2))
    try:
        await real.start()
        jobs = {job.id: job for job in real.jobs()}
        assert set(jobs) == {"post:1", f"reveal:{posted.round.id}"}
        assert jobs["post:1"].misfire_grace_time == 7200
        assert jobs[f"reveal:{posted.round.id}"].misfire_grace_time is None
        fire = jobs["post:1"].trigger.get_next_fire_time(
            None, datetime(2026, 12, 4, 12, tzinfo=UTC)
        )
        assert fire.astimezone(BERLIN).strftime("%a %H:%M") == "Mon 09:00"
        await world.engine.unsubscribe(CHANNEL)
        assert {job.id for job in real.jobs()} == {f"reveal:{posted.round.id}"}
    finally:
        assert await real.stop(timeout_s=5)
