"""Discord: a delivery in doubt after a crash is looked for in the channel's (a reveal: the
thread's) history before it is sent again, with one history call, and recognised by the mark
it carries (history returns no nonces): no second message, even outside the nonce window.

The crash is a publisher that dies right after Discord accepted the message (or right before
sending it), so that nothing is recorded; the bot then starts again on the same database, past
the delivery's lease, and the fake's nonce window is zero (any repeat would be a new message).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import discord
import pytest

from bot.adapters.discord import publisher
from bot.adapters.discord.publisher import DiscordPublisher
from bot.adapters.discord.refs import PLATFORM
from bot.adapters.discord.views import ANSWER_ID, AnswerButton, answer_id
from bot.core.outbox import LEASE
from bot.core.ports import PostedRef, RevealPost, RoundPost
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import DiscordBot

LATER = LEASE * 3  # the restart comes after the lease: the delivery is in doubt


class Crash(BaseException):
    """The process dying: nothing after it runs, nothing is recorded."""


class Crashing:
    """The real publisher, and a crash right after (or, `before`, instead of) each send."""

    def __init__(self, real: DiscordPublisher, *, before: bool = False) -> None:
        self._real = real
        self._before = before

    async def post_round(self, post: RoundPost) -> PostedRef:
        if not self._before:
            await self._real.post_round(post)
        raise Crash

    async def post_reveal(self, reveal: RevealPost) -> None:
        if not self._before:
            await self._real.post_reveal(reveal)
        raise Crash


def test_the_answer_button_of_a_post_from_before_the_marks_still_answers() -> None:
    template = AnswerButton.__discord_ui_compiled_template__
    assert template.fullmatch(ANSWER_ID) and template.fullmatch(answer_id(12))
    assert answer_id(12) == f"{ANSWER_ID}:12" and answer_id(None) == ANSWER_ID


async def restarted(bot: DiscordBot, db: Path, fake: FakeDiscord) -> DiscordBot:
    """The bot started again on the same database, past the lease, and its outbox run."""
    crashed_at = bot.world.clock.now()
    await bot.stop()
    again = await DiscordBot.start(db, fake)
    again.world.clock.set(crashed_at + LATER)
    fake.message_time = again.world.clock.now
    await again.world.engine.deliver_due()
    return again


async def started(db: Path, fake: FakeDiscord) -> tuple[DiscordBot, int]:
    fake.nonce_window = 0.0  # every repeat is outside Discord's nonce window
    channel = fake.add_channel("general")
    bot = await DiscordBot.start(db, fake)
    fake.message_time = bot.world.clock.now
    await bot.subscribe(channel)
    return bot, channel


async def test_a_post_accepted_before_a_crash_is_found_not_sent_again(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    db = tmp_path / "bot.db"
    bot, channel = await started(db, fake)
    bot.world.engine.add_publisher(PLATFORM, Crashing(bot.adapter.publisher))
    with pytest.raises(Crash):
        await bot.world.engine.post_now(bot.channel(channel))
    [message] = fake.channel_messages(channel)  # Discord has it; the database does not

    bot = await restarted(bot, db, fake)
    try:
        assert len(fake.find("POST", f"/channels/{channel}/messages")) == 1, "not sent again"
        [lookup] = fake.find("GET", f"/channels/{channel}/messages")  # one history call
        assert int(lookup.query["after"]) < int(message["id"])
        assert len(fake.find("POST", rf"/channels/{channel}/messages/\d+/threads")) == 1
        state = await bot.world.engine.status(bot.channel(channel))
        assert state.open_round is not None
        assert (state.open_round.message_id, state.open_round.thread_id) == (
            message["id"], message["id"],
        )  # fmt: skip
    finally:
        await bot.stop()


async def test_a_post_found_without_its_thread_gets_it(
    tmp_path: Path, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "bot.db"
    bot, channel = await started(db, fake)

    async def crash(*args: object, **kwargs: object) -> None:
        raise Crash  # between the post and its thread

    with monkeypatch.context() as patched:
        patched.setattr(discord.Message, "create_thread", crash)
        with pytest.raises(Crash):
            await bot.world.engine.post_now(bot.channel(channel))
    [message] = fake.channel_messages(channel)
    assert "thread" not in message

    bot = await restarted(bot, db, fake)
    try:
        assert len(fake.find("POST", f"/channels/{channel}/messages")) == 1, "not sent again"
        [thread] = fake.find("POST", rf"/channels/{channel}/messages/{message['id']}/threads")
        question = message["embeds"][0]["description"].splitlines()[0]
        assert thread.status == 200 and thread.body["name"].endswith(question[:40])
        state = await bot.world.engine.status(bot.channel(channel))
        assert state.open_round is not None and state.open_round.thread_id == message["id"]
    finally:
        await bot.stop()


async def test_a_post_never_sent_is_looked_for_once_then_sent(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    db = tmp_path / "bot.db"
    bot, channel = await started(db, fake)
    bot.world.engine.add_publisher(PLATFORM, Crashing(bot.adapter.publisher, before=True))
    with pytest.raises(Crash):
        await bot.world.engine.post_now(bot.channel(channel))
    assert fake.channel_messages(channel) == []

    bot = await restarted(bot, db, fake)
    try:
        assert len(fake.find("GET", f"/channels/{channel}/messages")) == 1
        assert len(fake.find("POST", f"/channels/{channel}/messages")) == 1
        state = await bot.world.engine.status(bot.channel(channel))
        assert state.open_round is not None and state.open_round.message_id is not None
    finally:
        await bot.stop()


async def test_a_reveal_accepted_before_a_crash_is_found_in_the_thread(
    tmp_path: Path, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "bot.db"
    bot, channel = await started(db, fake)
    await bot.world.engine.post_now(bot.channel(channel))
    [post] = fake.channel_messages(channel)
    thread = int(post["id"])
    bot.world.clock.set(bot.world.clock.now() + timedelta(minutes=10))

    async def crash(*args: object) -> None:
        raise Crash  # the reveal is out; the Answer button is still on the post

    with monkeypatch.context() as patched:
        patched.setattr(publisher, "_close_answers", crash)
        with pytest.raises(Crash):
            await bot.world.engine.reveal_now(bot.channel(channel))
    sent = fake.find("POST", f"/channels/{thread}/messages")
    assert sent and sent[-1].embeds[-1]["url"].startswith("https://practicebot.invalid/")
    assert not fake.find("PATCH", f"/channels/{channel}/messages/{thread}")

    bot = await restarted(bot, db, fake)
    try:
        assert fake.find("POST", f"/channels/{thread}/messages") == sent, "not sent again"
        reads = fake.find("GET", f"/channels/{thread}/messages")
        # One look-up; the start-up catch-up reads the thread from its post on its own.
        assert len([r for r in reads if r.query.get("after") != str(thread)]) == 1
        [closed] = fake.find("PATCH", f"/channels/{channel}/messages/{thread}")
        assert closed.body["components"] == []  # the Answer button is off the post now
        status = await bot.world.engine.status(bot.channel(channel))
        assert status.open_round is None
    finally:
        await bot.stop()
