"""/quiz missed:True and /review export:True on Discord: the export is a file attachment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.adapters.discord.refs import PLATFORM
from bot.core.models import Round
from bot.core.results import IncomingMessage
from bot.present import missed
from tests.discord.fake_discord import EPHEMERAL, FakeDiscord
from tests.discord.harness import ALICE, BOB, DiscordBot


async def _alice_misses_one(bot: DiscordBot, general: int) -> Round:
    engine, channel = bot.world.engine, bot.channel(general)
    rounds = []
    for number, user in enumerate((ALICE, BOB)):
        posted = await engine.post_now(channel)
        assert posted.round is not None and posted.round.thread_id is not None
        await engine.handle_message(
            IncomingMessage(PLATFORM, posted.round.thread_id, f"m{number}", str(user.id),
                            user.name, "an answer")
        )  # fmt: skip
        await engine.reveal_now(channel)
        bot.world.clock.set(bot.world.clock.now() + timedelta(days=1))
        rounds.append(posted.round)
    return rounds[1]


async def test_quiz_missed_and_the_export_as_an_attachment(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general, days="daily")
        [nothing] = await fake.interact(
            fake.slash("review", {"export": True}, user=ALICE, channel_id=general)
        )
        assert nothing.flags & EPHEMERAL and nothing.text == missed.NOTHING_TO_EXPORT
        missed_round = await _alice_misses_one(bot, general)
        question = bot.world.engine.question(missed_round.question_id)
        assert question is not None

        [card] = await fake.interact(
            fake.slash("quiz", {"missed": True}, user=ALICE, channel_id=general)
        )
        assert card.flags & EPHEMERAL
        assert "1 missed question (a daily question you did not answer)" in card.text
        assert question.text.split()[0] in card.text

        [exported] = await fake.interact(
            fake.slash("review", {"export": True}, user=ALICE, channel_id=general)
        )
        assert exported.flags & EPHEMERAL and exported.text.startswith(missed.export_note(1))
        [(name, data)] = exported.files.items()
        assert name.startswith("practicebot-missed-") and name.endswith(".md")
        assert question.answer.strip().encode() in data
    finally:
        await bot.stop()
