"""Missed questions come back: `/quiz missed` and `/review export` (engine and console)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.adapters.console.publisher import PLATFORM as CONSOLE
from bot.adapters.console.session import CHANNEL as CONSOLE_CHANNEL
from bot.core.missed import NOTHING_MISSED
from bot.core.models import ChannelRef, Round
from bot.present import missed
from tests.console_harness import ConsoleRun
from tests.helpers import CHANNEL, PLATFORM, World, message


async def rounds_ana_misses_one(world: World, channel: ChannelRef = CHANNEL) -> Round:
    """Ana answers day 1 and misses day 2, both revealed: day 2's round."""
    engine = world.engine
    await engine.subscribe(channel, post_time="09:00", timezone="UTC", days="daily")
    rounds = []
    for user in ("ana", "ben"):
        posted = await engine.post_now(channel)
        assert posted.round is not None
        said = replace(message(posted.round, user), platform=channel.platform)
        await engine.handle_message(said)
        await engine.reveal_now(channel)
        world.clock.set(world.clock.now() + timedelta(days=1))
        rounds.append(posted.round)
    return rounds[1]


async def test_quiz_missed_serves_the_missed_round_then_again_ratings(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    try:
        engine = world.engine
        missed_round = await rounds_ana_misses_one(world)
        card = await engine.quiz_missed(PLATFORM, "ana", channel=CHANNEL)
        assert card.question.id == missed_round.question_id
        assert card.intro == "1 missed question (a daily question you did not answer) — here it is."
        # Rated Good after the reveal: it is done; a question rated Again comes back instead.
        await engine.reveal_quiz(PLATFORM, "ana", card.quiz_id)
        await engine.rate_quiz(PLATFORM, "ana", "good", card.quiz_id)
        fresh = await engine.quiz(PLATFORM, "ana")
        await engine.reveal_quiz(PLATFORM, "ana", fresh.quiz_id)
        await engine.rate_quiz(PLATFORM, "ana", "again", fresh.quiz_id)
        again = await engine.quiz_missed(PLATFORM, "ana")
        assert again.question.id == fresh.question.id
        assert again.intro == "1 missed question (rated Again) — here it is."
        # Nothing missed: the usual quiz, saying so.
        nothing = await engine.quiz_missed(PLATFORM, "zed")
        assert nothing.intro is not None and nothing.intro.startswith(NOTHING_MISSED)
    finally:
        await world.close()


async def test_the_export_has_each_question_and_its_reference_answer(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    try:
        missed_round = await rounds_ana_misses_one(world)
        items = await world.engine.missed_questions(PLATFORM, "ana")
        assert [i.question.id for i in items] == [missed_round.question_id]
        question = items[0].question
        markdown = missed.export_markdown(items, world.clock.now().date())
        assert markdown.startswith("# Questions to study again\n")
        assert question.answer.strip() in markdown and "**Reference answer**" in markdown
        assert all(f"- {p}" in markdown for p in question.key_points)
        assert "not answered" in markdown
    finally:
        await world.close()


async def test_the_console_quizzes_missed_and_writes_the_export(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    world.engine.add_publisher(CONSOLE, world.publisher)
    try:
        console = ConsoleRun(world, user="Ana", pictures=tmp_path / "pictures")
        console.session.channel = CONSOLE_CHANNEL
        assert await console.say("/review export") == " ".join(missed.NOTHING_TO_EXPORT.split())
        missed_round = await rounds_ana_misses_one(world, CONSOLE_CHANNEL)
        question = world.engine.question(missed_round.question_id)
        assert question is not None
        quiz = await console.say("/quiz missed")
        assert quiz.startswith("1 missed question (a daily question you did not answer)")
        assert " ".join(question.text.split()[:4]) in quiz
        exported = await console.say("/review export")
        assert exported.startswith("Your 1 missed question, with the reference answers")
        [path] = (tmp_path / "pictures").glob("practicebot-missed-*.md")
        assert str(path) in exported and question.answer.strip() in path.read_text()
    finally:
        await world.close()
