"""Discord: answers written in open rounds' threads while the bot was away count.

discord.py against the loopback gateway and REST fake. A message "written while the bot was
down" is put straight into the fake's channel history (no MESSAGE_CREATE is dispatched); its
snowflake id carries when it was written, as on Discord. A new adapter then starts (a restarted
process: a new gateway session) and reads the threads back with the history endpoint.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import discord
import pytest

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.refs import PLATFORM
from bot.clock import ManualClock
from bot.core.catchup import Sleep
from bot.core.models import Round
from bot.core.results import PostStatus
from tests.discord.fake_discord import Call, FakeDiscord, FakeUser, Json, eventually
from tests.discord.harness import ALICE, BOB, CLIENT_OPTIONS, DiscordBot

ROBOT = FakeUser(800_000_000_000_000_009, "otherbot", bot=True)


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[DiscordBot]:
    started = await DiscordBot.start(tmp_path / "bot.db", fake)
    yield started
    await started.stop()


def moving(clock: ManualClock) -> Sleep:
    """The catch-up's sleep in tests: the manual clock moves on instead of the test waiting."""

    async def sleep(seconds: float) -> None:
        clock.set(clock.now() + timedelta(seconds=seconds))
        await asyncio.sleep(0)

    return sleep


async def posted(bot: DiscordBot, channel_id: int) -> Round:
    channel = bot.channel(channel_id)
    await bot.world.engine.subscribe(channel, post_time="09:00", timezone="UTC")
    assert (await bot.world.engine.post_now(channel)).status is PostStatus.POSTED
    status = await bot.world.engine.status(channel)
    assert status.open_round is not None and status.open_round.thread_id is not None
    return status.open_round


async def restart(bot: DiscordBot) -> DiscordAdapter:
    """The process comes back: a new client, a new gateway session."""
    await bot.adapter.stop()
    adapter = DiscordAdapter(
        bot.world.engine, bot.adapter.config, client_options=CLIENT_OPTIONS,
        catch_up_sleep=moving(bot.world.clock),
    )  # fmt: skip
    bot.world.engine.add_publisher(PLATFORM, adapter.publisher)
    await adapter.start()
    bot.adapter = adapter
    return adapter


def write(
    fake: FakeDiscord, round: Round, author: FakeUser, text: str, *, at: datetime,
    **fields: object,
) -> Json:  # fmt: skip
    """A message written in the thread while nobody listens (its id says when)."""
    message_id = discord.utils.time_snowflake(at) + len(fake.messages)
    message = fake.message_payload(int(str(round.thread_id)), author, text, message_id=message_id)
    message.update(fields)
    fake.messages[message_id] = message
    return message


def history_calls(fake: FakeDiscord, round: Round) -> list[Call]:
    return fake.find("GET", f"/channels/{round.thread_id}/messages")


async def test_answers_written_while_down_count_after_a_new_session(
    bot: DiscordBot, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    round = await posted(bot, general)
    await bot.adapter.stop()
    later = bot.world.clock.now() + timedelta(minutes=30)
    write(fake, round, ALICE, "Bias is error from wrong assumptions.", at=later)
    edited = (later + timedelta(minutes=5)).isoformat()
    write(fake, round, BOB, "Variance, edited.", at=later + timedelta(minutes=1),
          edited_timestamp=edited)  # fmt: skip
    write(fake, round, ROBOT, "I am a bot", at=later + timedelta(minutes=2))
    write(fake, round, BOB, "", at=later + timedelta(minutes=3), type=7)  # a join notice

    adapter = await restart(bot)
    await adapter.catch_up.settle()

    store = bot.world.store
    assert await store.answered(round.id, str(ALICE.id))
    assert await store.answer_text(round.id, str(BOB.id)) == "Variance, edited."
    assert not await store.answered(round.id, str(ROBOT.id))
    [read] = history_calls(fake, round)
    assert read.query == {"limit": "100", "after": str(round.thread_id)}  # from the post


async def test_a_message_seen_live_and_in_history_counts_once(
    bot: DiscordBot, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    round = await posted(bot, general)
    live = write(fake, round, ALICE, "Sent live.", at=bot.world.clock.now())
    await fake.dispatch("MESSAGE_CREATE", live)
    store = bot.world.store
    await eventually(lambda: store.answered(round.id, str(ALICE.id)))
    adapter = await restart(bot)
    await adapter.catch_up.settle()
    assert len(history_calls(fake, round)) == 1  # the new session's read found it again
    assert await store.thread_messages(round.id, str(ALICE.id)) == [live["id"]]
    await bot.world.engine.reveal(round.id)
    streak = await bot.world.engine.streak(bot.channel(general), str(ALICE.id))
    assert (streak.current, streak.answers) == (1, 1)


async def test_a_thread_the_bot_may_not_read_does_not_stop_the_others(
    bot: DiscordBot, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    hidden, seen = await posted(bot, fake.add_channel("a")), await posted(bot, fake.add_channel("b"))
    await bot.adapter.stop()
    now = bot.world.clock.now()
    write(fake, hidden, ALICE, "Where the bot lost access.", at=now)
    write(fake, seen, BOB, "Where it still reads.", at=now)
    fake.refuse("GET", f"/channels/{hidden.thread_id}/messages")
    with caplog.at_level(logging.WARNING, logger="bot.core.catchup"):
        adapter = await restart(bot)
        await adapter.catch_up.settle()
    assert await bot.world.store.answered(seen.id, str(BOB.id))
    assert not await bot.world.store.answered(hidden.id, str(ALICE.id))
    warnings = [r for r in caplog.records if f"channel {hidden.thread_id}" in r.getMessage()]
    assert len(warnings) == 1 and "403" in warnings[0].getMessage()
    assert adapter.health()[0]


async def test_a_resumed_session_reads_nothing_a_new_one_reads_again(
    bot: DiscordBot, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def at_once(self: discord.Client, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before identifying again (Discord's identify limit)."""

    monkeypatch.setattr(discord.Client, "before_identify_hook", at_once)
    round = await posted(bot, fake.add_channel("general"))
    adapter = await restart(bot)
    await adapter.catch_up.settle()
    assert len(history_calls(fake, round)) == 1  # the first session's read (none before)

    await fake.ask_to_reconnect()  # a resume: Discord replays what was missed itself
    await fake.wait_until(lambda: len(fake.resumes) == 1)
    await adapter.catch_up.settle()
    assert len(history_calls(fake, round)) == 1

    write(fake, round, ALICE, "Written while the session was lost.", at=bot.world.clock.now())
    await fake.invalidate_session()  # a new session: nothing is replayed
    await fake.wait_for_call(lambda c: len(history_calls(fake, round)) == 2)
    await adapter.catch_up.settle()
    assert await bot.world.store.answered(round.id, str(ALICE.id))
