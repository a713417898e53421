"""Contract: missed questions are the revealed rounds someone did not answer in the channels
they answer in (until rated above Again after the reveal), and the questions rated Again."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.ports import Store
from bot.core.records import MissedQuestion
from tests.contract.builders import DAY, NOW, OTHER_CHANNEL, PLATFORM, posted_round, say, subscribe


async def _rate(store: Store, question_id: str, rating: str, at: datetime, user: str = "ana") -> None:
    quiz = await store.add_quiz(PLATFORM, user, question_id, at)
    await store.save_review(
        platform=PLATFORM, user_id=user, question_id=question_id, card="{}", due=at,
        rating=rating, source="quiz", quiz_id=quiz.id, round_id=None, log="{}", now=at,
    )  # fmt: skip


async def test_missed_rounds_and_again_ratings_latest_first(store: Store) -> None:
    general = await subscribe(store)
    elsewhere = await subscribe(store, OTHER_CHANNEL)
    first = await posted_round(store, general, DAY, "q1")
    await say(store, first, "ana")
    await store.reveal_round(first.id, NOW + timedelta(hours=8))
    second = await posted_round(store, general, DAY + timedelta(days=1), "q2")
    await say(store, second, "ben")
    await store.reveal_round(second.id, NOW + timedelta(days=1, hours=8))
    third = await posted_round(store, general, DAY + timedelta(days=2), "q3")
    await store.reveal_round(third.id, NOW + timedelta(days=2, hours=8))
    still_open = await posted_round(store, general, DAY + timedelta(days=3), "q4")
    assert still_open.status.value == "posted"  # not revealed: not missed yet
    not_hers = await posted_round(store, elsewhere, DAY, "q5")  # a channel she never answers in
    await store.reveal_round(not_hers.id, NOW + timedelta(hours=8))

    missed = await store.missed_questions(PLATFORM, "ana")
    assert missed == [
        MissedQuestion("q3", "missed", NOW + timedelta(days=2, hours=8)),
        MissedQuestion("q2", "missed", NOW + timedelta(days=1, hours=8)),
    ]
    # Rated Again: it counts (once, by its latest reason); rated Good after the miss: it leaves.
    await _rate(store, "q1", "again", NOW + timedelta(days=4))
    await _rate(store, "q2", "good", NOW + timedelta(days=4))
    await _rate(store, "q3", "again", NOW + timedelta(days=5))
    assert await store.missed_questions(PLATFORM, "ana") == [
        MissedQuestion("q3", "again", NOW + timedelta(days=5)),
        MissedQuestion("q1", "again", NOW + timedelta(days=4)),
    ]
    await _rate(store, "q1", "easy", NOW + timedelta(days=6))
    assert [m.question_id for m in await store.missed_questions(PLATFORM, "ana")] == ["q3"]
    assert await store.missed_questions(PLATFORM, "nobody") == []
    assert await store.missed_questions("elsewhere", "ana") == []
