"""The weekly recap: on the first scheduled day of the week, before the question, once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.adapters.console.publisher import ConsolePublisher
from bot.core.ports import PostedRef, RecapPost
from bot.core.recap import first_scheduled_day
from bot.core.schedule import days_from_cron
from tests.helpers import CHANNEL, PLATFORM, RecordingPublisher, World

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@dataclass
class RecapRecorder(RecordingPublisher):
    recaps: list[RecapPost] = field(default_factory=list)
    posts_before: list[int] = field(default_factory=list)  # questions posted before each recap

    async def post_recap(self, recap: RecapPost) -> PostedRef:
        self.recaps.append(recap)
        self.posts_before.append(len(self.posts))
        return PostedRef(f"recap-{len(self.recaps)}", "")


async def last_week(world: World, days: str = "mon-fri") -> int:
    """Three rounds last week (Tue–Thu): ana answers all, ben only the first; the subscription."""
    engine = world.engine
    subscription = await engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC", days=days)
    for number in range(3):
        world.clock.set(datetime(2026, 12, 1 + number, 9, 0, tzinfo=UTC))
        posted = await engine.post_now(CHANNEL)
        assert posted.round is not None
        await world.answer(posted.round, "ana")
        if number == 0:
            await world.answer(posted.round, "ben")
        await engine.reveal_now(CHANNEL)
    return subscription.id


def test_the_first_scheduled_day_of_the_week() -> None:
    weekdays = days_from_cron("mon,tue,wed,thu,fri")
    assert first_scheduled_day(weekdays, date(2026, 12, 7))  # a Monday
    assert not first_scheduled_day(weekdays, date(2026, 12, 8))
    assert first_scheduled_day(days_from_cron("tue,thu"), date(2026, 12, 8))
    assert not first_scheduled_day(frozenset(), date(2026, 12, 7))


async def test_the_recap_comes_before_the_monday_question_once(tmp_path: Path) -> None:
    recorder = RecapRecorder()
    world = await World.open(tmp_path / "bot.db", publisher=recorder, start=False)
    try:
        subscription_id = await last_week(world)
        world.clock.set(MONDAY)
        await world.engine.post_due(subscription_id)
        assert recorder.recaps == []  # not opted in: no recap
        await world.engine.set_space_setting(CHANNEL, "weekly-recap", "on")
        world.clock.set(MONDAY + timedelta(weeks=1))  # the next Monday: opted in now
        before = len(recorder.posts)
        await world.engine.post_due(subscription_id)
        [recap] = recorder.recaps
        assert len(recorder.posts) == before + 1
        # The week before 14 Dec is 7–11 Dec: one round (7 Dec) nobody answered.
        assert recap.week_start == date(2026, 12, 7) and recap.rounds == 1 and recap.people == 0
        assert recap.most_missed is None  # nobody answered, so nobody "missed" more than others
        await world.engine.post_due(subscription_id)  # again the same day: no second recap
        assert len(recorder.recaps) == 1
    finally:
        await world.close()


async def test_the_recap_sums_up_last_week(tmp_path: Path) -> None:
    recorder = RecapRecorder()
    world = await World.open(tmp_path / "bot.db", publisher=recorder, start=False)
    try:
        subscription_id = await last_week(world)
        await world.engine.set_space_setting(CHANNEL, "weekly-recap", "on")
        missed_question = recorder.posts[1].question
        world.clock.set(MONDAY)
        await world.engine.post_due(subscription_id)
        [recap] = recorder.recaps
        assert recorder.posts_before == [3] and len(recorder.posts) == 4  # before the question
        assert (recap.week_start, recap.rounds, recap.answers, recap.people) == (
            date(2026, 11, 30), 3, 4, 2
        )
        assert [(e.user_id, e.current_streak) for e in recap.streaks] == [("ana", 3)]
        assert recap.most_missed == missed_question and recap.missed_by == 1
        world.clock.set(MONDAY + timedelta(days=1))  # Tuesday: not the first day of the week
        await world.engine.post_due(subscription_id)
        assert len(recorder.recaps) == 1

        shown: list[str] = []
        await ConsolePublisher(shown.append).post_recap(recap)
        text = " ".join(shown[0].split())
        assert text.startswith("Last week in review (30 Nov – 06 Dec)")
        assert "Participation: 3 rounds, 4 answers from 2 people." in text
        assert "Longest streaks: Ana (3)" in text
        assert "(missed by 1 of 2)" in text
        assert f"Quiz me on it: /quiz {missed_question.id}" in text
    finally:
        await world.close()


async def test_the_recap_button_quizzes_that_question(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db")
    try:
        question = world.bank.packs[0].questions[0]
        card = await world.engine.quiz_question(PLATFORM, "ben", question.id)
        assert card.question == question and card.intro is None
    finally:
        await world.close()
