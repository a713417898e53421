"""Contract: review cards and their log, private quizzes, daily feedback settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from bot.core.ports import Store
from bot.core.records import QuizRecord
from tests.contract.builders import NOW, PLATFORM, posted_round, subscribe

DUE = NOW + timedelta(days=3)


async def _rate(
    store: Store,
    question_id: str,
    *,
    quiz_id: int | None = None,
    round_id: int | None = None,
    card: str = "{}",
    user: str = "ana",
) -> bool:
    source: Literal["quiz", "daily"] = "quiz" if quiz_id is not None else "daily"
    return await store.save_review(
        platform=PLATFORM, user_id=user, question_id=question_id, card=card, due=DUE,
        rating="good", source=source, quiz_id=quiz_id, round_id=round_id, log="{}", now=NOW,
    )  # fmt: skip


async def test_a_rating_is_kept_once_per_quiz_and_per_round(store: Store) -> None:
    quiz = await store.add_quiz(PLATFORM, "ana", "q1", NOW)
    assert await _rate(store, "q1", quiz_id=quiz.id, card='{"n": 1}')
    assert not await _rate(store, "q1", quiz_id=quiz.id, card='{"n": 2}')
    assert await store.quiz_rated(quiz.id)
    round = await posted_round(store, await subscribe(store), question_id="q2")
    assert await _rate(store, "q2", round_id=round.id, card='{"n": 3}')
    assert not await _rate(store, "q2", round_id=round.id)
    assert await _rate(store, "q2", round_id=round.id, user="ben")  # once per person
    assert await store.review_cards(PLATFORM, "ana") == {"q1": ('{"n": 1}', DUE),
                                                         "q2": ('{"n": 3}', DUE)}  # fmt: skip
    assert await store.review_count(PLATFORM, "ana") == 2
    assert await store.review_count(PLATFORM, "ben") == 1
    assert await store.review_cards("other", "ana") == {}


async def test_a_new_rating_replaces_the_card(store: Store) -> None:
    first = await store.add_quiz(PLATFORM, "ana", "q1", NOW)
    second = await store.add_quiz(PLATFORM, "ana", "q1", NOW + timedelta(minutes=1))
    await _rate(store, "q1", quiz_id=first.id, card="old")
    await _rate(store, "q1", quiz_id=second.id, card="new")
    assert await store.review_cards(PLATFORM, "ana") == {"q1": ("new", DUE)}
    assert await store.review_count(PLATFORM, "ana") == 2


async def test_quizzes(store: Store) -> None:
    assert await store.latest_quiz(PLATFORM, "ana") is None
    first = await store.add_quiz(PLATFORM, "ana", "q1", NOW)
    assert first == QuizRecord(first.id, PLATFORM, "ana", "q1", NOW, None)
    later = NOW + timedelta(hours=1)
    second = await store.add_quiz(PLATFORM, "ana", "q2", later)
    third = await store.add_quiz(PLATFORM, "ana", "q1", later + timedelta(hours=1))
    await store.add_quiz(PLATFORM, "ben", "q3", later)
    assert await store.quiz(first.id) == first
    assert await store.quiz(first.id + 1000) is None
    assert await store.latest_quiz(PLATFORM, "ana") == third
    assert await store.quiz_history(PLATFORM, "ana") == {"q1": third.asked_at, "q2": later}
    assert second.id != first.id and not await store.quiz_rated(second.id)


async def test_a_quiz_answer_is_kept_until_the_reveal_and_the_first_reveal_stays(
    store: Store,
) -> None:
    quiz = await store.add_quiz(PLATFORM, "ana", "q1", NOW)
    assert await store.quiz_answer(quiz.id) is None
    await store.set_quiz_answer(quiz.id, "draft")
    await store.set_quiz_answer(quiz.id, "final")
    assert await store.quiz_answer(quiz.id) == "final"
    await store.mark_quiz_revealed(quiz.id, NOW + timedelta(minutes=1))
    await store.mark_quiz_revealed(quiz.id, NOW + timedelta(minutes=2))
    revealed = await store.quiz(quiz.id)
    assert revealed is not None and revealed.revealed_at == NOW + timedelta(minutes=1)
    await store.set_quiz_answer(quiz.id, "too late")
    assert await store.quiz_answer(quiz.id) == "final"


async def test_daily_feedback_is_per_person_and_platform(store: Store) -> None:
    assert await store.daily_feedback_users(PLATFORM) == set()
    await store.set_daily_feedback(PLATFORM, "ana", True)
    await store.set_daily_feedback(PLATFORM, "ben", True)
    await store.set_daily_feedback("other", "cat", True)
    await store.set_daily_feedback(PLATFORM, "ben", False)
    assert await store.daily_feedback_users(PLATFORM) == {"ana"}
    assert await store.daily_feedback_users("other") == {"cat"}
