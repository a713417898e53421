"""The weekly recap on Discord: an embed before Monday's question, and its "Quiz me" button."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.core.results import IncomingMessage
from bot.present.recap import QUIZ_ME
from tests.discord.fake_discord import EPHEMERAL, FakeDiscord
from tests.discord.harness import ALICE, BOB, DiscordBot, press


async def test_recap_before_the_monday_question_and_quiz_me(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general, timezone="UTC", time="09:00")
        engine, channel, clock = bot.world.engine, bot.channel(general), bot.world.clock
        await engine.set_space_setting(channel, "weekly-recap", "on")
        missed_id = ""
        for number in range(2):
            clock.set(datetime(2026, 12, 1 + number, 9, 0, tzinfo=UTC))
            posted = await engine.post_now(channel)
            assert posted.round is not None and posted.round.thread_id is not None
            users = (ALICE, BOB) if number == 0 else (ALICE,)
            for user in users:
                await engine.handle_message(
                    IncomingMessage("discord", posted.round.thread_id, f"m{number}{user.id}",
                                    str(user.id), user.name, "an answer")
                )  # fmt: skip
            missed_id = posted.round.question_id
            await engine.reveal_now(channel)
        subscription = await engine.subscription(channel)
        assert subscription is not None
        clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
        before = len(fake.find("POST", f"/channels/{general}/messages"))
        await engine.post_due(subscription.id)
        recap, question = fake.find("POST", f"/channels/{general}/messages")[before:]
        [embed] = recap.embeds
        assert embed["title"].startswith("Last week in review")
        assert "2 rounds, 3 answers from 2 people" in embed["description"]
        assert "(missed by 1 of 2)" in embed["description"]
        assert question.embeds  # the question comes after, as usual

        [card] = await fake.interact(press(fake, recap, QUIZ_ME, user=BOB, channel_id=general))
        assert card.flags & EPHEMERAL
        pending = await engine.pending_quiz("discord", str(BOB.id))
        assert pending is not None and pending.question_id == missed_id
    finally:
        await bot.stop()
