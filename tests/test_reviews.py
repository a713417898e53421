"""Spaced repetition: due reviews first, new questions easy before hard, ratings once."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.engine import Engine, EngineSettings
from bot.core.errors import InputError, NotAllowedError, NotFoundError
from bot.core.records import DeliveryKind, DeliveryStatus
from bot.grading.base import Feedback, KeyPointVerdict
from tests.helpers import CHANNEL, World, message
from tests.test_console_cli import practicebot


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    opened = await World.open(tmp_path / "bot.db", settings=EngineSettings(review_fuzz=False))
    yield opened
    await opened.close()


async def quiz_and_rate(world: World, user: str, rating: str, pack: str = "alpha") -> str:
    card = await world.engine.quiz("test", user, pack=pack)
    await world.engine.reveal_quiz("test", user, card.quiz_id)
    await world.engine.rate_quiz("test", user, rating, card.quiz_id)
    return card.question.id


async def test_new_questions_come_easy_before_hard(world: World) -> None:
    difficulties = []
    for _ in range(3):
        card = await world.engine.quiz("test", "ana", pack="alpha")
        difficulties.append(card.question.difficulty)
        await world.engine.reveal_quiz("test", "ana", card.quiz_id)
        await world.engine.rate_quiz("test", "ana", "easy", card.quiz_id)
    assert difficulties == ["easy", "medium", "hard"]


async def test_due_reviews_come_first_and_are_counted(world: World) -> None:
    first = await quiz_and_rate(world, "ana", "again")
    second = await quiz_and_rate(world, "ana", "again")
    world.clock.set(world.clock.now() + timedelta(minutes=30))
    card = await world.engine.quiz("test", "ana", pack="alpha")
    assert card.intro == "2 reviews due — here is the first."
    assert card.question.id == first
    await world.engine.reveal_quiz("test", "ana", card.quiz_id)
    await world.engine.rate_quiz("test", "ana", "good", card.quiz_id)
    card = await world.engine.quiz("test", "ana", pack="alpha")
    assert card.intro == "1 review due — here it is." and card.question.id == second


async def test_nothing_due_says_when_and_gives_a_new_question(world: World) -> None:
    rated = await quiz_and_rate(world, "ana", "easy")
    card = await world.engine.quiz("test", "ana", pack="alpha")
    assert card.question.id != rated
    assert card.intro is not None
    assert re.fullmatch(
        r"Nothing due, next review in \d+ days; here is a new question\.", card.intro
    )


async def test_when_everything_is_known_the_soonest_card_comes_back_early(world: World) -> None:
    ratings: dict[str, str | None] = {"easy": None, "good": None, "hard": None}
    for rating in ratings:
        ratings[rating] = await quiz_and_rate(world, "ana", rating)
    card = await world.engine.quiz("test", "ana", pack="alpha")
    assert card.question.id == ratings["hard"]
    assert card.intro is not None and card.intro.startswith("Nothing new here and nothing due")


async def test_again_comes_back_sooner_than_easy(world: World) -> None:
    again = await world.engine.quiz("test", "ana", pack="beta")
    await world.engine.reveal_quiz("test", "ana", again.quiz_id)
    soon = await world.engine.rate_quiz("test", "ana", "again", again.quiz_id)
    easy = await world.engine.quiz("test", "ana", pack="beta")
    await world.engine.reveal_quiz("test", "ana", easy.quiz_id)
    late = await world.engine.rate_quiz("test", "ana", "easy", easy.quiz_id)
    assert soon.due - world.clock.now() < timedelta(hours=1)
    assert late.due - world.clock.now() > timedelta(days=3)


async def test_a_quiz_is_rated_once_and_only_after_its_answer(world: World) -> None:
    card = await world.engine.quiz("test", "ana")
    with pytest.raises(NotAllowedError, match="Show the answer first"):
        await world.engine.rate_quiz("test", "ana", "good", card.quiz_id)
    await world.engine.reveal_quiz("test", "ana", card.quiz_id)
    with pytest.raises(InputError, match="again, hard, good or easy"):
        await world.engine.rate_quiz("test", "ana", "meh", card.quiz_id)
    await world.engine.rate_quiz("test", "ana", "good", card.quiz_id)
    with pytest.raises(NotAllowedError, match="already rated"):
        await world.engine.rate_quiz("test", "ana", "easy", card.quiz_id)
    with pytest.raises(NotAllowedError, match="someone else"):
        await world.engine.rate_quiz("test", "ben", "easy", card.quiz_id)
    assert (await world.engine.review_stats("test", "ana")).reviews_done == 1


async def test_a_written_quiz_answer_comes_back_at_the_reveal(world: World) -> None:
    card = await world.engine.quiz("test", "ana")
    await world.engine.answer_quiz("test", "ana", "first line", append=True)
    await world.engine.answer_quiz("test", "ana", "second line", append=True)
    revealed = await world.engine.reveal_quiz("test", "ana", card.quiz_id)
    assert revealed.written_answer == "first line\nsecond line"
    with pytest.raises(NotAllowedError):
        await world.engine.answer_quiz("test", "ana", "too late", quiz_id=card.quiz_id)


async def test_daily_rounds_are_rated_by_those_who_answered_after_the_reveal(world: World) -> None:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC")
    posted = await world.engine.post_now(CHANNEL)
    assert posted.round is not None
    await world.engine.handle_message(message(posted.round, "ana"))
    with pytest.raises(NotFoundError, match="not revealed yet"):
        await world.engine.rate_round("test", "ana", posted.round.id, "good")
    await world.engine.reveal_now(CHANNEL)
    with pytest.raises(NotAllowedError, match="Only people who answered"):
        await world.engine.rate_round("test", "ben", posted.round.id, "good")
    rated = await world.engine.rate_round("test", "ana", posted.round.id, "hard")
    assert rated.question_id == posted.round.question_id
    with pytest.raises(NotAllowedError, match="already rated"):
        await world.engine.rate_round("test", "ana", posted.round.id, "good")
    card = await world.engine.quiz("test", "ana")
    assert card.question.id != posted.round.question_id, "known questions are not handed out as new"


async def test_review_stats(world: World) -> None:
    assert (await world.engine.review_stats("test", "ana")).cards == 0
    await quiz_and_rate(world, "ana", "again")
    await quiz_and_rate(world, "ana", "easy")
    world.clock.set(world.clock.now() + timedelta(hours=1))
    stats = await world.engine.review_stats("test", "ana")
    assert (stats.cards, stats.due_now, stats.due_this_week, stats.reviews_done) == (2, 1, 0, 2)
    assert stats.retention == 1.0, "FSRS counts elapsed time in whole days"
    world.clock.set(world.clock.now() + timedelta(days=5))
    later = await world.engine.review_stats("test", "ana")
    assert later.retention is not None and 0.3 < later.retention < 0.95


QUIZ_WEEK = """\
/quiz alpha
/answer
/rate again
/quiz alpha
/answer
/rate easy
/advance 1d
/quiz alpha
/answer
/rate good
/advance 1d
/quiz alpha
/review
/quit
"""


def test_a_week_of_quizzes_in_the_console(tmp_path: Path) -> None:
    out = practicebot(
        "console", "--clock", "manual", "--start", "2026-12-01T08:00", "--timezone", "UTC",
        db=tmp_path / "bot.db", stdin=QUIZ_WEEK,
    ).stdout  # fmt: skip
    rated = re.findall(r"Rated (\w+): it comes back in (\d+) (\w+)", out)
    assert rated[0][0] == "again" and rated[0][2].startswith("minute")
    assert rated[1][0] == "easy" and rated[1][2] == "days"
    assert "1 review due — here it is." in out, "the 'again' question is back the next day"
    assert re.search(r"Reviews: \d+ due now, \d+ more this week, 3 reviews done over\s+2 questions", out)


class WordGrader:
    """A stand-in grader: a key point counts as covered when its last word is in the answer."""

    name = "words"

    async def grade(self, key_points: Sequence[str], answer: str, reference: str = "") -> Feedback:
        verdicts = [
            KeyPointVerdict(p, p.split()[-1].strip(".").lower() in answer.lower(), 1.0)
            for p in key_points
        ]
        return Feedback.from_verdicts(verdicts)


async def test_feedback_on_a_written_quiz_and_on_opted_in_daily_answers(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    world.engine = Engine(world.store, world.bank, world.clock, grader=WordGrader())
    world.engine.add_publisher("test", world.publisher)
    try:
        card = await world.engine.quiz("test", "ana", pack="alpha")
        await world.engine.answer_quiz("test", "ana", "It is stated, clearly.")
        revealed = await world.engine.reveal_quiz("test", "ana")
        assert revealed.feedback is not None
        assert revealed.feedback.covered == list(card.question.key_points)
        assert revealed.feedback.suggested_rating == "easy"

        await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC")
        posted = await world.engine.post_now(CHANNEL)
        assert posted.round is not None
        await world.engine.set_daily_feedback("test", "ana", True)
        await world.engine.handle_message(message(posted.round, "ana", "nothing relevant"))
        await world.engine.handle_message(message(posted.round, "ben", "stated"))
        await world.engine.reveal_now(CHANNEL)  # the reveal, then its feedback
        [sent] = world.publisher.feedbacks
        assert sent.user_id == "ana", "only those who opted in get feedback"
        assert sent.feedback.suggested_rating == "again" and len(sent.feedback.missed) == 3
        # Kept: the home view's last feedback, and a second send would be the same notes.
        kept = await world.store.latest_feedback("test", "ana")
        assert kept is not None and (kept.source, kept.ref_id) == ("daily", posted.round.id)
        assert kept.feedback == sent.feedback
    finally:
        await world.close()


class BrokenGrader:
    name = "broken"

    async def grade(self, key_points: Sequence[str], answer: str, reference: str = "") -> Feedback:
        raise RuntimeError("model failed to load")


async def test_a_failing_grader_costs_the_feedback_never_the_answer(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    world.engine = Engine(world.store, world.bank, world.clock, grader=BrokenGrader())
    world.engine.add_publisher("test", world.publisher)
    try:
        await world.engine.quiz("test", "ana")
        await world.engine.answer_quiz("test", "ana", "my attempt")
        revealed = await world.engine.reveal_quiz("test", "ana")
        assert revealed.written_answer == "my attempt" and revealed.feedback is None
        await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC")
        posted = await world.engine.post_now(CHANNEL)
        assert posted.round is not None
        await world.engine.set_daily_feedback("test", "ana", True)
        await world.engine.handle_message(message(posted.round, "ana", "an answer"))
        await world.engine.reveal_now(CHANNEL)
        assert len(world.publisher.reveals) == 1 and world.publisher.feedbacks == []
        [dropped] = [
            d for d in await world.store.deliveries(posted.round.subscription_id)
            if d.kind is DeliveryKind.FEEDBACK
        ]
        assert dropped.status is DeliveryStatus.DROPPED and dropped.error == "nothing to grade"
    finally:
        await world.close()
