"""Contract: per-space settings, and the read-only history the pictures draw."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.ports import Store
from tests.contract.builders import DAY, NOW, PLATFORM, posted_round, say, subscribe


async def test_space_settings_store_text_and_forget_defaults(store: Store) -> None:
    assert await store.space_settings(PLATFORM, "T1") == {}
    await store.set_space_setting(PLATFORM, "T1", "weekly-recap", "on", "admin", NOW)
    await store.set_space_setting(PLATFORM, "T1", "weekly-recap", "off", "other", NOW)
    await store.set_space_setting(PLATFORM, "T2", "suggestion-limit", "5", None, NOW)
    assert await store.space_settings(PLATFORM, "T1") == {"weekly-recap": "off"}
    await store.set_space_setting(PLATFORM, "T1", "weekly-recap", None, "admin", NOW)
    assert await store.space_settings(PLATFORM, "T1") == {}
    assert await store.space_settings(PLATFORM, "T2") == {"suggestion-limit": "5"}


async def test_history_counts_weeks_and_one_persons_rounds(store: Store) -> None:
    subscription = await subscribe(store)
    first = await posted_round(store, subscription, DAY, "q1")
    week = timedelta(days=7)
    second = await posted_round(store, subscription, DAY + week, "q2", at=NOW + week)
    await say(store, first, "ann", name="Ann")
    await say(store, first, "bob")
    await say(store, second, "ann", at=NOW + timedelta(days=7))
    await store.reveal_round(first.id, NOW + timedelta(hours=9))

    weeks = await store.weekly_answers([subscription.id], DAY - timedelta(days=7))
    assert [(w.rounds, w.answers, w.people) for w in weeks] == [(1, 2, 2), (1, 1, 1)]
    assert all(w.week_start.weekday() == 0 for w in weeks)
    assert await store.weekly_answers([], DAY) == []

    rounds = await store.rounds_of(subscription.id, "bob", date(2000, 1, 1))
    assert [(r.local_date, r.revealed, r.answered) for r in rounds] == [
        (DAY, True, True),
        (DAY + timedelta(days=7), False, False),
    ]
    assert await store.user_name(PLATFORM, "ann") == "Ann"
    assert await store.user_name(PLATFORM, "nobody") is None


async def test_a_name_learned_late_reaches_the_boards(store: Store) -> None:
    subscription = await subscribe(store)
    round = await posted_round(store, subscription)
    await say(store, round, "U1", name="U1")  # stored under a stand-in: the id
    assert await store.rename_user(PLATFORM, "U1", "Ann")
    assert not await store.rename_user(PLATFORM, "U1", "Ann"), "already so named"
    assert not await store.rename_user(PLATFORM, "nobody", "Bob")
    assert await store.user_name(PLATFORM, "U1") == "Ann"
    await store.reveal_round(round.id, NOW + timedelta(hours=9))
    board = await store.leaderboard(
        channel=subscription.channel, whole_space=False, window="all", since=None,
        ranked_by="streak", caller_id=None,
    )  # fmt: skip
    assert [e.name for e in board.entries] == ["Ann"]
