"""Discord: the outbox's notices and recaps. A channel's problem reaches whoever subscribed it
as a DM once, with the delivery's nonce; the weekly recap carries its nonce, so a repeat within
Discord's window is the first message again."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from bot.core.ports import RecapPost
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ALICE, DiscordBot


async def test_a_channels_problem_is_told_to_its_subscriber_once_by_dm(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    locked = fake.add_channel("locked")
    deleted = fake.add_channel("deleted")
    fake.refuse("POST", f"/channels/{locked}/messages")
    fake.refuse("POST", f"/channels/{deleted}/messages", status=404, code=10003)
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        for channel in (locked, deleted):
            await bot.subscribe(channel)
        await bot.world.scheduler.advance(timedelta(hours=2))
        notes = {call.body["content"]: call.body for call in fake.dms_to(ALICE)}
        assert len(notes) == 2 and all(n["nonce"].startswith("pb-") for n in notes.values())
        assert all(n["enforce_nonce"] for n in notes.values())
        assert (
            f"I could not post in <#{locked}>. The bot needs the Send Messages and Embed Links "
            "permissions in this channel." in notes
        )
        assert (
            f"I could not post in <#{deleted}>. The channel was deleted, or the bot can no longer "
            "see it. Its questions are paused until the channel is subscribed again." in notes
        )
        # Still refused the next day: the same problem is not told twice.
        await bot.world.scheduler.advance(timedelta(days=1))
        assert len(fake.dms_to(ALICE)) == 2
    finally:
        await bot.stop()


async def test_a_recap_sent_twice_is_one_message(tmp_path: Path, fake: FakeDiscord) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general)
        subscription = await bot.world.engine.subscription(bot.channel(general))
        assert subscription is not None
        recap = RecapPost(subscription, date(2026, 11, 30), 3, 4, 2, (), None, 0, delivery_id=9)
        first = await bot.adapter.publisher.post_recap(recap)
        # A crash after Discord took it: the worker sends it again, with the same nonce.
        again = await bot.adapter.publisher.post_recap(replace(recap))
        assert again == first
        [message] = [m for m in fake.messages.values() if m.get("nonce") == "pb-9"]
        assert message["id"] == first.message_id
    finally:
        await bot.stop()
