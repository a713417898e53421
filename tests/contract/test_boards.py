"""Contract: leaderboards (channel and space, windows, ties, the caller) and their upkeep."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import pytest

from bot.core.models import ChannelRef, Leaderboard, Window
from bot.core.ports import Store
from tests.contract.builders import (
    CHANNEL,
    DAY,
    FAR_CHANNEL,
    NOW,
    OTHER_CHANNEL,
    posted_round,
    say,
    subscribe,
)
from tests.helpers import OTHER_CHANNEL as WORLD_OTHER
from tests.helpers import World, message

WEEK = timedelta(days=7)


async def board(
    store: Store,
    channel: ChannelRef = CHANNEL,
    *,
    whole_space: bool = False,
    window: Window = "all",
    since: datetime | None = None,
    ranked_by: Literal["streak", "answers"] = "streak",
    caller_id: str | None = None,
    size: int = 10,
) -> Leaderboard:
    return await store.leaderboard(
        channel=channel, whole_space=whole_space, window=window, since=since,
        ranked_by=ranked_by, caller_id=caller_id, size=size,
    )  # fmt: skip


def rows(found: Leaderboard) -> list[tuple[int, str, int, int, int]]:
    return [(e.rank, e.name, e.current_streak, e.best_streak, e.answers) for e in found.entries]


async def _days(store: Store, channel: ChannelRef, answering: list[list[str]]) -> None:
    """One revealed round a day, answered by the given people."""
    subscription = await store.subscription(channel) or await subscribe(store, channel)
    for number, users in enumerate(answering):
        at = NOW + timedelta(days=number)
        round = await posted_round(store, subscription, DAY + timedelta(days=number), at=at)
        for user in users:
            await say(store, round, user, at=at + timedelta(minutes=1))
        assert await store.reveal_round(round.id, at + timedelta(hours=8)) is not None


async def test_a_channel_board_ranks_ties_alike_and_orders_them_by_name(store: Store) -> None:
    await _days(store, CHANNEL, [["ana", "ben", "cat"], ["cat", "ben"], ["ben", "cat", "dev"]])
    by_streak = await board(store)
    assert by_streak.scope == CHANNEL.key and by_streak.ranked_by == "streak"
    assert rows(by_streak) == [
        (1, "Ben", 3, 3, 3), (1, "Cat", 3, 3, 3), (3, "Dev", 1, 1, 1), (4, "Ana", 0, 1, 1),
    ]  # fmt: skip
    by_answers = await board(store, ranked_by="answers")
    assert [(r, n) for r, n, *_ in rows(by_answers)] == [(1, "Ben"), (1, "Cat"), (3, "Dev"),
                                                         (4, "Ana")]  # fmt: skip
    assert (await board(store, OTHER_CHANNEL)).entries == ()  # no such subscription


async def test_the_caller_outside_the_top_gets_their_own_row(store: Store) -> None:
    await _days(store, CHANNEL, [["ana", "ben", "cat"], ["ana", "ben"], ["ana"]])
    top = await board(store, size=2, caller_id="cat")
    assert [e.user_id for e in top.entries] == ["ana", "ben"]
    assert top.caller is not None and (top.caller.rank, top.caller.user_id) == (3, "cat")
    inside = await board(store, size=2, caller_id="ana")
    assert inside.caller is None
    assert (await board(store, size=2, caller_id="nobody")).caller is None


async def test_a_whole_space_takes_the_best_streak_and_sums_answers(store: Store) -> None:
    await _days(store, CHANNEL, [["ana"], ["ana"], ["ana", "ben"]])
    await _days(store, OTHER_CHANNEL, [["ben"], ["ben"], ["ana"]])
    await _days(store, FAR_CHANNEL, [["ana"], ["ana"], ["ana"]])  # another space
    space = await board(store, whole_space=True)
    assert space.scope == "test:space1"
    assert rows(space) == [(1, "Ana", 3, 3, 4), (2, "Ben", 1, 2, 3)]


async def test_a_window_counts_only_the_answers_since_its_start(store: Store) -> None:
    await _days(store, CHANNEL, [["ana", "ben"]] + [[]] * 9 + [["ben"]])
    end = NOW + timedelta(days=10, hours=9)
    week = await board(store, window="week", since=end - WEEK, ranked_by="answers")
    assert [(e.name, e.answers) for e in week.entries] == [("Ben", 1)]
    all_time = await board(store, ranked_by="answers")
    assert [(e.name, e.answers) for e in all_time.entries] == [("Ben", 2), ("Ana", 1)]


async def test_people_with_neither_answers_nor_a_streak_are_left_out(store: Store) -> None:
    await _days(store, CHANNEL, [["ana"]])
    subscription = await store.subscription(CHANNEL)
    assert subscription is not None
    round = await posted_round(store, subscription, DAY + timedelta(days=5))
    await say(store, round, "ben", message_id="gone")
    await store.delete_message(platform="test", message_id="gone", event_id=None, now=NOW)
    assert [e.user_id for e in (await board(store)).entries] == ["ana"]
    answerers = await store.reveal_round(round.id, NOW + timedelta(days=6))
    assert answerers == []
    assert (await board(store)).entries[0].current_streak == 0
    assert [e.user_id for e in (await board(store, ranked_by="answers")).entries] == ["ana"]


async def test_upkeep_changes_no_board(store: Store) -> None:
    await _days(store, CHANNEL, [["ana", "ben"], ["ben"], ["cat"]] * 3)
    end = NOW + timedelta(days=20)
    starts: dict[Window, datetime] = {"month": end - timedelta(days=30), "week": end - WEEK}
    before = [await board(store, window=w, since=starts.get(w), ranked_by="answers")
              for w in ("all", "month", "week")]  # fmt: skip
    await store.keep_standings(starts)
    after = [await board(store, window=w, since=starts.get(w), ranked_by="answers")
             for w in ("all", "month", "week")]  # fmt: skip
    assert after == before


@pytest.mark.parametrize("whole_space", [False, True])
async def test_a_rebuild_from_history_gives_the_same_boards(
    world: World, whole_space: bool
) -> None:
    for channel in (CHANNEL, WORLD_OTHER):
        await world.engine.subscribe(channel, post_time="09:00", timezone="UTC", days="daily")
    users = ["ana", "ben", "cat", "dev", "eve"]
    for day in range(3):
        for channel in (CHANNEL, WORLD_OTHER):
            posted = await world.engine.post_now(channel)
            assert posted.round is not None
            for user in users[: day + 2]:
                await world.engine.handle_message(message(posted.round, user))
            await world.engine.reveal_now(channel)
        world.clock.set(world.clock.now() + timedelta(days=3))
    before = await world.engine.leaderboard(CHANNEL, window="week", whole_space=whole_space)
    now = world.clock.now()
    await world.store.rebuild_standings({"month": now - timedelta(days=30), "week": now - WEEK})
    after = await world.engine.leaderboard(CHANNEL, window="week", whole_space=whole_space)
    assert after == before and after.entries
