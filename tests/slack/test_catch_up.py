"""Slack: answers written in open rounds' threads while the bot was down count after it starts.

The real Bolt app on signed loopback HTTP, FakeSlack's stored threads, the manual clock: a
reply "written while the bot was down" is put straight into the fake's history (no event is
delivered), then a new adapter starts, as a restarted process would, and reads the threads back
with conversations.replies, within the limits the fake enforces on the injected clock.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.slack import SlackAdapter
from bot.adapters.slack.refs import PLATFORM, message_key
from bot.clock import ManualClock
from bot.core.catchup import FIRST_BACKOFF_S, REFUSED_TRIES, Sleep
from bot.core.models import Round
from bot.core.results import PostStatus
from tests.faults import rate_limited, server_error
from tests.slack.fake_slack import APP_TOKEN, BOT_ID, BOT_USER, Call
from tests.slack.harness import ALICE, BOB, SlackHarness

CAROL = "UCAROL"
_micros = itertools.count(1)


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    harness = await SlackHarness.open(tmp_path)
    # The fake's rate limits count on the bot's clock, so a test can check calls per minute.
    harness.fake.clock = lambda: harness.world.clock.now().timestamp()
    yield harness
    await harness.close()


def moving(clock: ManualClock) -> Sleep:
    """The catch-up's sleep in tests: the manual clock moves on instead of the test waiting."""

    async def sleep(seconds: float) -> None:
        clock.set(clock.now() + timedelta(seconds=seconds))
        await asyncio.sleep(0)

    return sleep


async def down(slack: SlackHarness) -> None:
    """The bot's process stops: no events reach it (the scheduler of the test world keeps the
    time; a reveal due meanwhile happens as it would at the next start)."""
    await slack.adapter.stop()


async def back(slack: SlackHarness, *, per_minute: int | None = None) -> SlackAdapter:
    """A new process's adapter on the same database: it connects, reads back in the background."""
    config = slack.adapter.config
    if per_minute is not None:
        config = replace(config, history_per_minute=per_minute)
    adapter = SlackAdapter(
        slack.world.engine, config, process_before_response=True,
        catch_up_sleep=moving(slack.world.clock),
    )  # fmt: skip
    slack.world.engine.add_publisher(PLATFORM, adapter.publisher)
    await adapter.start()
    slack.adapter = adapter
    return adapter


async def posted(slack: SlackHarness, channel_id: str = "C1") -> Round:
    channel = slack.channel(channel_id)
    await slack.world.engine.subscribe(channel, post_time="09:00", timezone="UTC")
    assert (await slack.world.engine.post_now(channel)).status is PostStatus.POSTED
    return await slack.open_round(channel_id)


def write(
    slack: SlackHarness, round: Round, user: str, text: str, *, at: datetime | None = None,
    **extra: object,
) -> str:  # fmt: skip
    """A reply written in Slack while nobody listens; its ts is when it was written."""
    assert round.thread_id is not None
    channel, _, post_ts = round.thread_id.partition(":")
    when = at or slack.world.clock.now()
    ts = f"{int(when.timestamp())}.{next(_micros):06d}"
    slack.fake.add_message(channel, user, text, ts=ts, thread_ts=post_ts, **extra)
    return ts


def replies_calls(slack: SlackHarness, channel_id: str | None = None) -> list[Call]:
    return [
        c for c in slack.fake.calls_to("conversations.replies")
        if channel_id is None or c.params.get("channel") == channel_id
    ]  # fmt: skip


async def test_answers_written_while_down_count_after_start_up(slack: SlackHarness) -> None:
    round = await posted(slack)
    await down(slack)
    slack.world.clock.set(slack.world.clock.now() + timedelta(hours=1))
    write(slack, round, ALICE, "Bias is error from wrong assumptions.")
    edited_ts = write(slack, round, BOB, "Variance is sensitivity to noise (edited)",
                      edited={"user": BOB, "ts": "1796108400.000001"})  # fmt: skip
    write(slack, round, BOT_USER, "a bot's note", bot_id=BOT_ID, subtype="bot_message")
    write(slack, round, CAROL, "<@UCAROL> has joined the channel", subtype="channel_join")

    adapter = await back(slack)
    assert adapter.health()[0]  # connected before any thread was read: start-up never waits
    await adapter.catch_up.settle()

    store = slack.world.store
    assert await store.answered(round.id, ALICE) and await store.answered(round.id, BOB)
    assert not await store.answered(round.id, CAROL)
    assert await slack.answer_text(round, BOB) == "Variance is sensitivity to noise (edited)"
    assert await store.thread_messages(round.id, BOB) == [message_key("C1", edited_ts)]
    [call] = replies_calls(slack)  # one page, at the strict tier's size
    assert call.params["limit"] == "15" and call.params["oldest"] == str(round.thread_id)[3:]
    await slack.adapter.users.settle()
    assert await slack.world.engine.user_name(PLATFORM, ALICE) == "Alice"  # filled in after


async def test_a_message_delivered_live_and_found_in_history_counts_once(
    slack: SlackHarness,
) -> None:
    round = await posted(slack)
    live = await slack.answer(round, ALICE, "Live, before the restart.")
    await down(slack)
    bob_ts = write(slack, round, BOB, "Written while the bot was down.")
    adapter = await back(slack)
    await adapter.catch_up.settle()
    assert await slack.world.store.answered(round.id, BOB)  # read back
    # Slack redelivers Bob's event after the restart: the message is already stored.
    assert await slack.event(slack.reply(round, BOB, "Written while the bot was down.",
                                         ts=bob_ts)) == 200  # fmt: skip
    store = slack.world.store
    assert await store.thread_messages(round.id, ALICE) == [message_key("C1", live["ts"])]
    assert await store.thread_messages(round.id, BOB) == [message_key("C1", bob_ts)]
    await slack.world.scheduler.advance(timedelta(hours=9))  # the reveal
    for user in (ALICE, BOB):
        streak = await slack.world.engine.streak(slack.channel(), user)
        assert (streak.current, streak.answers) == (1, 1)


async def test_an_answer_written_before_the_reveal_but_read_after_it_counts_for_the_streak(
    slack: SlackHarness,
) -> None:
    engine, clock = slack.world.engine, slack.world.clock
    first = await posted(slack)
    await slack.answer(first, ALICE, "Day one.")
    await engine.reveal(first.id)
    clock.set(clock.now() + timedelta(days=1))
    second = await slack.world.engine.post_now(slack.channel())
    assert second.round is not None
    round = await slack.open_round()
    await down(slack)
    write(slack, round, ALICE, "Just in time.", at=round.reveal_at - timedelta(minutes=30))
    clock.set(round.reveal_at + timedelta(minutes=10))
    write(slack, round, BOB, "Too late.")  # after the reveal time: late, as when live
    await engine.reveal(round.id)  # it fell due while the bot was down: at start-up
    assert (await engine.streak(slack.channel(), ALICE)).current == 0  # as far as it knew
    reveal_calls = len(slack.fake.calls_to("chat.postMessage"))

    adapter = await back(slack)
    await adapter.catch_up.settle()

    alice = await engine.streak(slack.channel(), ALICE)
    assert (alice.current, alice.best, alice.answers) == (2, 2, 2)
    assert not await slack.world.store.answered(round.id, BOB)
    assert await slack.world.store.thread_messages(round.id, BOB)  # kept, as a late answer
    # The reveal that went out stays as it was: nothing is posted or edited for the catch-up.
    assert len(slack.fake.calls_to("chat.postMessage")) == reveal_calls
    assert not slack.fake.calls_to("chat.update")


async def test_a_429_on_conversations_replies_is_waited_out(slack: SlackHarness) -> None:
    round = await posted(slack)
    await down(slack)
    write(slack, round, ALICE, "Counted after the wait.")
    slack.fake.inject(r"conversations\.replies", rate_limited(42))
    adapter = await back(slack)
    await adapter.catch_up.settle()
    assert await slack.world.store.answered(round.id, ALICE)
    throttled, read = replies_calls(slack)
    assert (throttled.status, read.status) == (429, 200)
    assert read.at - throttled.at >= 42  # Retry-After, on the bot's clock


async def test_a_5xx_html_page_is_retried_after_a_backoff(slack: SlackHarness) -> None:
    round = await posted(slack)
    await down(slack)
    write(slack, round, ALICE, "Counted at the second try.")
    slack.fake.inject(r"conversations\.replies", server_error(502))
    adapter = await back(slack)
    await adapter.catch_up.settle()
    assert await slack.world.store.answered(round.id, ALICE)
    failed, read = replies_calls(slack)
    assert (failed.status, read.status) == (502, 200)
    assert read.at - failed.at >= FIRST_BACKOFF_S


async def test_a_channel_the_bot_cannot_read_does_not_stop_the_others(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    hidden, seen = await posted(slack, "C1"), await posted(slack, "C2")
    await down(slack)
    write(slack, hidden, ALICE, "In a channel the bot left.")
    write(slack, seen, BOB, "In a channel it still reads.")
    slack.fake.fail("conversations.replies", "not_in_channel", channel="C1")
    adapter = await back(slack, per_minute=50)
    with caplog.at_level(logging.WARNING, logger="bot.core.catchup"):
        await adapter.catch_up.settle()
    assert await slack.world.store.answered(seen.id, BOB)
    assert not await slack.world.store.answered(hidden.id, ALICE)
    assert len(replies_calls(slack, "C1")) == REFUSED_TRIES  # tried again later, then left
    warnings = [r.getMessage() for r in caplog.records if "channel C1" in r.getMessage()]
    assert len(warnings) == 1 and "not_in_channel" in warnings[0]  # logged once
    assert slack.adapter.health()[0]

    # The next pass (a reconnect, a restart) tries again; fixed, the answer counts.
    slack.fake.heal()
    adapter.catch_up.request()
    await adapter.catch_up.settle()
    assert await slack.world.store.answered(hidden.id, ALICE)


async def test_the_strict_tier_is_kept_with_many_open_rounds(slack: SlackHarness) -> None:
    """Outside the Marketplace: conversations.replies once a minute, 15 messages a page."""
    slack.fake.distributed_outside_marketplace()
    rounds = [await posted(slack, f"C{n}") for n in range(1, 13)]
    await down(slack)
    for n, round in enumerate(rounds):
        write(slack, round, ALICE, f"Answer {n}")
    busy = rounds[0]
    people = [f"UPERSON{n:02d}" for n in range(20)]
    for user in people:  # 21 replies: two pages of 15
        write(slack, busy, user, "One of many.")

    adapter = await back(slack)
    assert adapter.catch_up.calls == 0  # start-up returned before the first read
    await adapter.catch_up.settle()

    store = slack.world.store
    for round in rounds:
        assert await store.answered(round.id, ALICE)
    for user in people:
        assert await store.answered(busy.id, user)
    calls = replies_calls(slack)
    assert len(calls) == len(rounds) + 1  # one page each, two for the busy thread
    assert all(c.status == 200 for c in calls)  # never over the tier: no 429 at all
    assert all(int(c.params["limit"]) <= 15 for c in calls)
    first, second = replies_calls(slack, "C1")  # the busy thread: its cursor, the same oldest
    assert second.params["cursor"] and second.params["oldest"] == first.params["oldest"]
    minutes = [int((c.at - calls[0].at) // 60) for c in calls]
    assert len(set(minutes)) == len(calls)  # at most one call in any minute of the clock
    gaps = [b.at - a.at for a, b in itertools.pairwise(calls)]
    assert min(gaps) >= 60


async def test_after_a_socket_mode_reconnect_the_threads_are_read_again(tmp_path: Path) -> None:
    slack = await SlackHarness.open(tmp_path, mode_env={"SLACK_APP_TOKEN": APP_TOKEN})
    try:
        slack.fake.clock = lambda: slack.world.clock.now().timestamp()
        round = await posted(slack)
        await down(slack)
        bob_ts = write(slack, round, BOB, "Written while the bot was down.")
        adapter = await back(slack)  # Socket Mode, reading back on the manual clock
        await adapter.catch_up.settle()
        assert len(replies_calls(slack)) == 1
        # The socket drops for a while; Slack sends no events for what is written meanwhile.
        await slack.fake.drop_socket()
        write(slack, round, ALICE, "Written while the socket was down.")
        await slack.fake.wait_calls("conversations.replies", 2)  # after the new `hello`
        await adapter.catch_up.settle()
        assert await slack.world.store.answered(round.id, ALICE)
        assert slack.fake.hellos == 3  # the harness's, the restarted adapter's, the reconnect's
        [_, again] = replies_calls(slack)
        assert again.params["oldest"] == bob_ts  # from where the first read ended
    finally:
        await slack.close()
