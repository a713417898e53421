"""One round per channel per local day, under every change of schedule (timezone moves too)."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import ManualClock
from bot.core.models import Round, RoundStatus
from bot.core.results import PostStatus
from bot.core.schedule import day_is_free
from tests.helpers import CHANNEL, World

# Friday 4 December 2026, 08:00 in Berlin (07:00 UTC).
FRIDAY = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)


async def rounds(world: World) -> list[Round]:
    subscription = await world.store.subscription(CHANNEL)
    assert subscription is not None
    found: list[Round] = []
    for status in RoundStatus:
        found += await world.store.rounds_with_status(status, subscription.id)
    return sorted(found, key=lambda r: r.id)


@pytest.mark.parametrize(
    ("move_to", "post_time"),
    [
        ("America/Los_Angeles", "09:00"),  # it is still Thursday there: /post would be Thu's
        ("America/Los_Angeles", "23:30"),  # Thursday's post time there is still ahead
        ("Pacific/Honolulu", "22:00"),
        ("Pacific/Pago_Pago", "21:30"),
    ],
)
async def test_a_move_west_posts_no_second_question(
    tmp_path: Path, move_to: str, post_time: str
) -> None:
    world = await World.open(tmp_path / "bot.db", clock=ManualClock(FRIDAY))
    try:
        await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
        first = await world.engine.post_now(CHANNEL)
        assert first.status is PostStatus.POSTED
        subscription = await world.engine.subscribe(
            CHANNEL, post_time=post_time, timezone=move_to, days="daily"
        )
        again = await world.engine.post_now(CHANNEL)
        assert again.status is PostStatus.ALREADY
        assert again.round is not None and again.round.id == first.round.id  # type: ignore[union-attr]
        next_post = await world.engine.next_post(subscription)
        assert next_post is not None
        await world.scheduler.advance(next_post - world.clock.now() - timedelta(minutes=1))
        assert len(await rounds(world)) == 1
        await world.scheduler.advance(timedelta(minutes=2))
        posted = await rounds(world)
        # The second round goes out at the first post time on a later day there, as promised.
        assert len(posted) == 2
        assert posted[1].posted_at == next_post
        zone = ZoneInfo(move_to)
        assert posted[1].posted_at.astimezone(zone).date() > FRIDAY.astimezone(zone).date()
        assert posted[1].local_date > posted[0].local_date
    finally:
        await world.close()


async def test_a_move_east_posts_no_second_question_on_the_new_today(tmp_path: Path) -> None:
    # Thursday 20:00 in Berlin is already Friday 04:00 in Tokyo.
    thursday_evening = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    world = await World.open(tmp_path / "bot.db", clock=ManualClock(thursday_evening))
    try:
        await world.engine.subscribe(CHANNEL, post_time="20:00", timezone="Europe/Berlin")
        assert (await world.engine.post_now(CHANNEL)).status is PostStatus.POSTED
        await world.engine.subscribe(
            CHANNEL, post_time="09:00", timezone="Asia/Tokyo", days="daily"
        )
        await world.scheduler.advance(timedelta(hours=10))  # Friday 09:00 in Tokyo passes
        assert len(await rounds(world)) == 1
        await world.scheduler.advance(timedelta(days=1))  # Saturday 09:00 in Tokyo
        assert len(await rounds(world)) == 2
    finally:
        await world.close()


def test_day_is_free_table() -> None:
    friday_morning_berlin = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
    cases = [
        # (day, timezone now, last round's date, when it went out, free?)
        (date(2026, 12, 4), "Europe/Berlin", None, None, True),
        (date(2026, 12, 4), "Europe/Berlin", date(2026, 12, 4), friday_morning_berlin, False),
        (date(2026, 12, 5), "Europe/Berlin", date(2026, 12, 4), friday_morning_berlin, True),
        # moved west: the new today (Thursday) comes before the last round's Friday
        (date(2026, 12, 3), "America/Los_Angeles", date(2026, 12, 4), friday_morning_berlin, False),
        (date(2026, 12, 5), "America/Los_Angeles", date(2026, 12, 4), friday_morning_berlin, True),
        # moved east: Thursday's round went out on what is Friday in Tokyo
        (date(2026, 12, 4), "Asia/Tokyo", date(2026, 12, 3),
         datetime(2026, 12, 3, 19, 0, tzinfo=UTC), False),
    ]  # fmt: skip
    for day, zone, last_date, last_posted, free in cases:
        assert day_is_free(day, zone, last_date, last_posted) is free, (day, zone)


ZONES = ["Pacific/Kiritimati", "Asia/Tokyo", "Europe/Berlin", "UTC", "America/New_York",
         "America/Los_Angeles", "Pacific/Pago_Pago"]  # fmt: skip
STEP = st.one_of(
    st.tuples(st.just("subscribe"), st.sampled_from(ZONES), st.integers(0, 23), st.integers(0, 59)),
    st.tuples(st.just("advance"), st.integers(1, 30 * 60)),
    st.tuples(st.just("post")),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_one_round_per_local_day_under_any_schedule_changes(
    steps: list[tuple[object, ...]],
) -> None:
    asyncio.run(_run_steps(steps))


async def _run_steps(steps: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        world = await World.open(Path(folder) / "bot.db", clock=ManualClock(FRIDAY))
        try:
            await world.engine.subscribe(
                CHANNEL, post_time="09:00", timezone="Europe/Berlin", days="daily"
            )
            await world.engine.post_now(CHANNEL)  # as the console does on its first start
            zone_at_post: dict[int, str] = {}
            for step in steps:
                if step[0] == "subscribe":
                    _, zone, hour, minute = step
                    await world.engine.subscribe(
                        CHANNEL, post_time=f"{hour:02d}:{minute:02d}", timezone=str(zone)
                    )
                elif step[0] == "advance":
                    await world.scheduler.advance(timedelta(minutes=int(step[1])))  # type: ignore[call-overload]
                else:
                    await world.engine.post_now(CHANNEL)
                subscription = await world.store.subscription(CHANNEL)
                assert subscription is not None
                for r in await rounds(world):
                    zone_at_post.setdefault(r.id, subscription.schedule.timezone)
            posted = await rounds(world)
            for earlier, later in pairwise(posted):
                assert earlier.posted_at is not None and later.posted_at is not None
                zone = ZoneInfo(zone_at_post[later.id])
                # a later round: a later date, and a later local day where it went out
                assert later.local_date > earlier.local_date
                assert (
                    later.posted_at.astimezone(zone).date()
                    > earlier.posted_at.astimezone(zone).date()
                )
        finally:
            await world.close()
