"""The daily loop's rules, through the engine, on a real SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from bot.core.errors import InputError, NotAllowedError, NotFoundError, PublishError, PublishFailure
from bot.core.models import Round
from bot.core.records import ChangeOutcome, DeliveryKind, DeliveryStatus, MessageOutcome
from bot.core.results import IncomingMessage, PostStatus
from tests.helpers import CHANNEL, OTHER_CHANNEL, World, message


async def open_round(world: World) -> Round:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    result = await world.engine.post_now(CHANNEL)
    assert result.status is PostStatus.POSTED and result.round is not None
    return result.round


def table_counts(world: World) -> dict[str, int]:
    with sqlite3.connect(world.db_path) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("subscriptions", "rounds", "messages", "answers", "members")
        }


async def test_bad_subscription_input_changes_nothing(world: World) -> None:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    before = await world.store.subscription(CHANNEL)
    attempts = [
        dict(post_time="25:00"),
        dict(post_time="09:30", timezone="Europe/Berln"),
        dict(post_time="09:30", days="funday"),
        dict(post_time="09:30", reveal_after="2m"),
        dict(post_time="09:30", packs="nope"),
    ]
    for attempt in attempts:
        with pytest.raises(InputError):
            await world.engine.subscribe(CHANNEL, **attempt)
    assert await world.store.subscription(CHANNEL) == before


async def test_subscription_keeps_timezone_and_takes_pack_filter(world: World) -> None:
    await world.engine.subscribe(
        CHANNEL, post_time="09:00", timezone="Asia/Tokyo", packs="beta", days="mon,wed"
    )
    changed = await world.engine.subscribe(CHANNEL, post_time="10:15")
    assert changed.schedule.timezone == "Asia/Tokyo"
    assert changed.schedule.days == frozenset({0, 2})
    assert changed.packs == ("beta",)
    result = await world.engine.post_now(CHANNEL)
    assert result.question is not None and result.question.pack == "beta"


async def test_a_round_posted_by_hand_takes_the_days_place(world: World) -> None:
    await open_round(world)
    await world.scheduler.advance(timedelta(hours=2))  # past 09:00, today's scheduled time
    assert len(world.publisher.posts) == 1
    assert (await world.engine.post_now(CHANNEL)).status is PostStatus.ALREADY
    await world.scheduler.advance(timedelta(days=1))  # Wednesday 09:00 comes
    assert len(world.publisher.posts) == 2


async def test_several_messages_from_one_user_count_once(world: World) -> None:
    round = await open_round(world)
    first = await world.engine.handle_message(message(round, "ana", "part one"))
    second = await world.engine.handle_message(message(round, "ana", "part two"))
    assert (first.outcome, second.outcome) == (MessageOutcome.ANSWERED, MessageOutcome.ADDED)
    assert await world.store.answer_text(round.id, "ana") == "part one\npart two"
    reveal = await world.engine.reveal_now(CHANNEL)
    assert [a.name for a in reveal.answerers] == ["Ana"]
    assert (await world.engine.streak(CHANNEL, "ana")).answers == 1


async def test_a_duplicate_event_or_message_is_counted_once(world: World) -> None:
    round = await open_round(world)
    original = message(round, "ana", event_id="Ev1", message_id="m-1")
    assert (await world.engine.handle_message(original)).outcome is MessageOutcome.ANSWERED
    replay = await world.engine.handle_message(original)
    resume = await world.engine.handle_message(message(round, "ana", message_id="m-1"))
    assert replay.outcome is MessageOutcome.DUPLICATE
    assert resume.outcome is MessageOutcome.DUPLICATE
    assert table_counts(world)["messages"] == 1
    assert (await world.engine.streak(CHANNEL, "ana")).answers == 1


async def test_an_edit_updates_the_stored_text(world: World) -> None:
    round = await open_round(world)
    await world.engine.handle_message(message(round, "ana", "first draft", message_id="m-1"))
    edit = await world.engine.handle_edit("test", "m-1", "final answer")
    assert edit.outcome is ChangeOutcome.UPDATED
    assert await world.store.answer_text(round.id, "ana") == "final answer"
    assert (await world.engine.handle_edit("test", "unknown", "x")).outcome is ChangeOutcome.UNKNOWN


async def test_a_delete_before_the_reveal_removes_the_answer_and_its_credit(world: World) -> None:
    round = await open_round(world)
    await world.engine.handle_message(message(round, "ana", "one", message_id="a1"))
    await world.engine.handle_message(message(round, "ana", "two", message_id="a2"))
    await world.engine.handle_message(message(round, "ben", "mine", message_id="b1"))
    assert (await world.engine.handle_delete("test", "a1")).outcome is ChangeOutcome.KEPT
    assert (await world.engine.handle_delete("test", "a2")).outcome is ChangeOutcome.REMOVED
    assert (await world.engine.handle_delete("test", "a2")).outcome is ChangeOutcome.DUPLICATE
    reveal = await world.engine.reveal_now(CHANNEL)
    assert [a.user_id for a in reveal.answerers] == ["ben"]
    ana = await world.engine.streak(CHANNEL, "ana")
    assert (ana.current, ana.answers) == (0, 0)


async def test_messages_after_the_reveal_are_late_and_earn_nothing(world: World) -> None:
    round = await open_round(world)
    await world.engine.reveal_now(CHANNEL)
    late = await world.engine.handle_message(message(round, "ana", "too late"))
    assert late.outcome is MessageOutcome.LATE
    view = await world.engine.streak(CHANNEL, "ana")
    assert (view.current, view.answers) == (0, 0)
    with sqlite3.connect(world.db_path) as conn:
        assert conn.execute("SELECT late, text FROM messages").fetchall() == [(1, "too late")]
    # A delete after the reveal takes no credit away from anyone.
    assert (await world.engine.handle_delete("test", late_id(world))).outcome is ChangeOutcome.KEPT


def late_id(world: World) -> str:
    with sqlite3.connect(world.db_path) as conn:
        return str(conn.execute("SELECT message_id FROM messages").fetchone()[0])


async def test_a_huge_answer_is_stored_truncated_and_the_user_told(world: World) -> None:
    round = await open_round(world)
    result = await world.engine.handle_message(message(round, "ana", "x" * 50_000))
    assert result.outcome is MessageOutcome.ANSWERED and result.truncated
    assert len(await world.store.answer_text(round.id, "ana")) == 4000


async def test_bot_messages_and_other_threads_are_not_answers(world: World) -> None:
    round = await open_round(world)
    bot = IncomingMessage("test", round.thread_id or "", "b1", "bot", "Bot", "hi", is_bot=True)
    stray = IncomingMessage("test", "some-other-thread", "s1", "ana", "Ana", "hi")
    assert (await world.engine.handle_message(bot)).outcome is None
    assert (await world.engine.handle_message(stray)).outcome is None
    assert table_counts(world)["messages"] == 0


async def test_reveal_reports_answerers_in_order_and_moves_streaks(world: World) -> None:
    round = await open_round(world)
    await world.engine.handle_message(message(round, "ben"))
    world.clock.set(world.clock.now() + timedelta(minutes=1))
    await world.engine.handle_message(message(round, "ana"))
    await world.scheduler.advance(timedelta(hours=8))  # the reveal falls due
    assert len(world.publisher.reveals) == 1
    reveal = world.publisher.reveals[0]
    assert reveal.round.thread_id == round.thread_id
    assert [a.name for a in reveal.answerers] == ["Ben", "Ana"]
    assert (await world.engine.streak(CHANNEL, "ana")).current == 1
    with pytest.raises(NotFoundError):
        await world.engine.reveal_now(CHANNEL)  # nothing left to reveal


async def test_leaderboard_top_ten_plus_the_callers_own_rank(world: World) -> None:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC", days="daily")
    for day in range(3):
        result = await world.engine.post_now(CHANNEL)
        assert result.round is not None
        for i in range(12):
            if i < 12 - day * 4:  # users 0–3 answer all three rounds, 4–7 two, 8–11 one
                await world.engine.handle_message(message(result.round, f"user{i:02}"))
        await world.engine.reveal_now(CHANNEL)
        world.clock.set(world.clock.now() + timedelta(days=1))
    board = await world.engine.leaderboard(CHANNEL, caller_id="user11")
    assert len(board.entries) == 10
    assert [e.current_streak for e in board.entries[:4]] == [3, 3, 3, 3]
    assert board.entries[0].rank == 1 and board.entries[4].rank == 5
    assert board.caller is not None and board.caller.user_id == "user11"
    assert board.caller.rank == 9 and board.caller.current_streak == 0
    inside = await world.engine.leaderboard(CHANNEL, caller_id="user00")
    assert inside.caller is None
    by_answers = await world.engine.leaderboard(CHANNEL, window="week")
    assert by_answers.ranked_by == "answers" and by_answers.entries[0].answers == 3
    with pytest.raises(InputError, match="week, month or all"):
        await world.engine.leaderboard(CHANNEL, window="year")


async def test_space_leaderboard_sums_channels(world: World) -> None:
    for channel in (CHANNEL, OTHER_CHANNEL):
        await world.engine.subscribe(channel, post_time="09:00", timezone="UTC")
        result = await world.engine.post_now(channel)
        assert result.round is not None
        await world.engine.handle_message(message(result.round, "ana"))
    board = await world.engine.leaderboard(CHANNEL, whole_space=True, window="all")
    assert board.scope == "test:space1"
    assert [(e.user_id, e.answers) for e in board.entries] == [("ana", 2)]


async def test_quiz_is_private_unseen_first_and_never_the_open_round(world: World) -> None:
    round = await open_round(world)
    seen = set()
    for _ in range(5):
        card = await world.engine.quiz("test", "ana", channel=CHANNEL)
        assert card.question.id != round.question_id
        seen.add(card.question.id)
    assert len(seen) == 5, "every quiz is a question the user has not had yet"
    answer = await world.engine.reveal_quiz("test", "ana")
    assert answer.question.id == card.question.id
    with pytest.raises(NotAllowedError):
        await world.engine.reveal_quiz("test", "ben", card.quiz_id)
    with pytest.raises(NotFoundError):
        await world.engine.reveal_quiz("test", "ben")
    alpha = await world.engine.quiz("test", "ben", pack="alpha")
    assert alpha.question.pack == "alpha" and alpha.pack_title == "Alpha pack"
    with pytest.raises(InputError, match="Packs: alpha, beta"):
        await world.engine.quiz("test", "ben", pack="gamma")


async def test_not_in_channel_flags_that_channel_and_others_go_on(world: World) -> None:
    for channel in (CHANNEL, OTHER_CHANNEL):
        await world.engine.subscribe(channel, post_time="09:00", timezone="Europe/Berlin")
    world.publisher.failures["general"] = PublishError(
        PublishFailure.NOT_IN_CHANNEL, "invite me with /invite @practicebot"
    )
    await world.scheduler.advance(timedelta(hours=1))  # 09:00 Berlin
    assert [p.subscription.channel for p in world.publisher.posts] == [OTHER_CHANNEL]
    flagged = await world.store.subscription(CHANNEL)
    assert flagged is not None and flagged.active
    assert flagged.problem == "invite me with /invite @practicebot"
    assert table_counts(world)["rounds"] == 2, "the refused post waits, parked, holding its day"
    parked = await world.store.deliveries(flagged.id, [DeliveryStatus.PARKED])
    assert [d.kind for d in parked] == [DeliveryKind.POST]
    await world.scheduler.advance(timedelta(minutes=30))
    assert len(world.publisher.posts) == 1, "a parked post is not retried on its own"
    # Once invited, a post by hand sends the parked post and clears the problem.
    del world.publisher.failures["general"]
    assert (await world.engine.post_now(CHANNEL)).status is PostStatus.POSTED
    cleared = await world.store.subscription(CHANNEL)
    assert cleared is not None and cleared.problem is None


async def test_a_deleted_channel_pauses_its_subscription(world: World) -> None:
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    world.publisher.failures["general"] = PublishError(
        PublishFailure.CHANNEL_GONE, "channel_not_found"
    )
    result = await world.engine.post_now(CHANNEL)
    assert result.status is PostStatus.FAILED and result.failure is PublishFailure.CHANNEL_GONE
    paused = await world.store.subscription(CHANNEL)
    assert paused is not None and not paused.active
    await world.scheduler.advance(timedelta(days=3))
    assert world.publisher.posts == []
