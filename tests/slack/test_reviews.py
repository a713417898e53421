"""Spaced repetition and feedback on Slack: a written quiz answer in a modal, covered and missed
key points, rating buttons on the quiz and on the daily reveal, /review, and opted-in feedback."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.listeners.practice import FEEDBACK_ON, FEEDBACK_USAGE
from bot.adapters.slack.refs import message_ts
from bot.adapters.slack.render import (
    ANSWER_BLOCK,
    ANSWER_MODAL,
    RATE_QUIZ,
    RATE_ROUND,
    SHOW_ANSWER,
    WRITE_ANSWER,
)
from bot.core.models import Round
from bot.grading.base import Feedback
from tests.slack.harness import (
    ADMIN,
    ALICE,
    BOB,
    OrdinalGrader,
    Reply,
    SlackHarness,
    button,
    rating_buttons,
)


def blocks_text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks") or [], ensure_ascii=False)


async def _quiz(slack: SlackHarness, user: str = ALICE, pack: str = "alpha") -> dict[str, Any]:
    [card] = (await slack.command("/quiz", pack, user=user)).responses
    return card


async def _write(slack: SlackHarness, card: dict[str, Any], text: str, user: str = ALICE) -> Reply:
    """Click "Write an answer", then submit the modal that opened with `text` in it."""
    clicked = await slack.click(WRITE_ANSWER, button(card, WRITE_ANSWER)["value"], user=user)
    assert clicked.status == 200
    view = slack.opened_views()[-1]
    assert await slack.submit(view, {ANSWER_BLOCK: text}, user=user) == 200
    return clicked


async def test_write_show_rate_a_quiz(graded: SlackHarness) -> None:
    slack = graded
    card = await _quiz(slack)
    quiz_id = int(button(card, SHOW_ANSWER)["value"])

    clicked = await _write(slack, card, "The first one, and the third.")
    [opened] = slack.fake.calls_to("views.open")
    assert opened.params["trigger_id"] == "trigger"  # the click's own, used at once
    view = opened.params["view"]
    assert view["callback_id"] == ANSWER_MODAL and view["title"]["text"] == "Your answer"
    assert json.loads(view["private_metadata"])["quiz"] == quiz_id
    assert "What is alpha-one?" in blocks_text(view)  # the question stays in sight
    [saved] = clicked.responses  # the card, updated in place once the modal closed
    assert saved["replace_original"] is True and saved["response_type"] == "ephemeral"
    assert "Your answer is saved" in blocks_text(saved)
    assert await slack.world.store.quiz_answer(quiz_id) == "The first one, and the third."

    [answer] = (await slack.click(SHOW_ANSWER, str(quiz_id))).responses
    shown = blocks_text(answer)
    assert answer["replace_original"] is True and answer["response_type"] == "ephemeral"
    assert "The first one, and the third." in shown  # what they wrote, beside the reference
    assert "Your answer covered 2 of 3 key points." in shown
    assert ":white_check_mark: The first point about alpha-one is stated." in shown
    assert ":white_check_mark: The third point about alpha-one is stated." in shown
    assert ":x: Missed: The second point about alpha-one is stated." in shown
    assert "Suggested: *good*." in shown
    buttons = rating_buttons(answer)
    assert [b["text"]["text"] for b in buttons] == ["Again", "Hard", "Good", "Easy"]
    assert [b.get("style") for b in buttons] == [None, None, "primary", None]

    [rated] = (await slack.click(f"{RATE_QUIZ}good", str(quiz_id))).responses
    assert rated["replace_original"] is True and rated["response_type"] == "ephemeral"
    assert rated["text"] == "Rated good: it comes back in 10 minutes."
    assert "*Rated good: it comes back in 10 minutes.*" in blocks_text(rated)
    assert rating_buttons(rated) == []  # the buttons gave way to the rating
    assert "Missed: The second point" in blocks_text(rated)  # the feedback stays on screen

    # A second click (an old copy, a double click) rates nothing and leaves the card alone.
    [twice] = (await slack.click(f"{RATE_QUIZ}easy", str(quiz_id))).responses
    assert twice["text"] == "You have already rated this one."
    assert twice["replace_original"] is False and twice["response_type"] == "ephemeral"
    assert (await slack.world.engine.review_stats("slack", ALICE)).reviews_done == 1

    # The next /quiz says what is coming rather than repeating the question.
    again = await _quiz(slack)
    assert "Nothing due, next review in 10 minutes; here is a new question." in blocks_text(again)
    assert button(again, SHOW_ANSWER)["value"] != str(quiz_id)


async def test_due_reviews_come_first_with_their_count(graded: SlackHarness) -> None:
    slack = graded
    for rating in ("again", "again"):
        value = button(await _quiz(slack), SHOW_ANSWER)["value"]
        await slack.click(SHOW_ANSWER, value)
        await slack.click(f"{RATE_QUIZ}{rating}", value)
    slack.world.clock.set(slack.world.clock.now() + timedelta(minutes=5))
    assert "2 reviews due — here is the first." in blocks_text(await _quiz(slack))


async def test_without_a_written_answer_there_is_no_feedback(slack: SlackHarness) -> None:
    card = await _quiz(slack, pack="beta")
    [answer] = (await slack.click(SHOW_ANSWER, button(card, SHOW_ANSWER)["value"])).responses
    shown = blocks_text(answer)
    assert "Your answer" not in shown and "key points." not in shown
    assert "*How did you do?* Your rating decides when this question comes back." in shown
    assert [b.get("style") for b in rating_buttons(answer)] == [None] * 4


async def test_a_written_answer_is_quoted_safely_even_without_a_grader(slack: SlackHarness) -> None:
    card = await _quiz(slack)
    await _write(slack, card, "<!channel> ping @here\nsecond line")
    [answer] = (await slack.click(SHOW_ANSWER, button(card, SHOW_ANSWER)["value"])).responses
    shown = blocks_text(answer)
    assert "&gt; &lt;!channel&gt; ping @\u2060here\\n&gt; second line" in shown
    assert "<!channel>" not in shown and "covered" not in shown


async def test_an_answer_saved_after_the_reveal_is_refused(slack: SlackHarness) -> None:
    card = await _quiz(slack)
    value = button(card, WRITE_ANSWER)["value"]
    clicked = await slack.click(WRITE_ANSWER, value)
    await slack.click(SHOW_ANSWER, button(card, SHOW_ANSWER)["value"])  # from another device
    assert await slack.submit(slack.opened_views()[-1], {ANSWER_BLOCK: "too late"}) == 200
    [refused] = clicked.responses
    assert refused["text"] == "That quiz's answer is already shown: ask for a new one with /quiz."
    assert refused["replace_original"] is False


async def test_a_modal_slack_would_not_open_is_explained(slack: SlackHarness) -> None:
    card = await _quiz(slack)
    slack.fake.fail("views.open", "expired_trigger_id")
    clicked = await slack.click(WRITE_ANSWER, button(card, WRITE_ANSWER)["value"])
    [note] = clicked.responses
    assert note["text"] == "Slack did not open the answer box. Click *Write an answer* again."
    assert note["replace_original"] is False  # the card and its buttons stay


async def _revealed_round(slack: SlackHarness, answers: dict[str, str]) -> tuple[Round, Any]:
    """Subscribe, post, answer, reveal; the round and the reveal's chat.postMessage params."""
    await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN)
    await slack.world.scheduler.advance(timedelta(hours=2))
    round = await slack.open_round()
    for user, text in answers.items():
        await slack.answer(round, user, text)
    await slack.world.scheduler.advance(timedelta(hours=9))
    [reveal] = [p for p in slack.posts("C1") if p.get("thread_ts")]
    return round, reveal


async def test_the_reveal_lets_those_who_answered_rate_themselves(slack: SlackHarness) -> None:
    round, reveal = await _revealed_round(slack, {ALICE: "Memorising noise."})
    assert "Answered? Rate yourself" in blocks_text(reveal)
    buttons = rating_buttons(reveal)
    assert [b["action_id"] for b in buttons] == [
        f"{RATE_ROUND}{r}" for r in ("again", "hard", "good", "easy")
    ]
    assert {b["value"] for b in buttons} == {str(round.id)}
    assert round.thread_id is not None
    on_reveal = {"message_ts": message_ts(round.thread_id)}

    [rated] = (await slack.click(f"{RATE_ROUND}good", str(round.id), **on_reveal)).responses
    assert rated == {
        "text": "Rated good: this question comes back in your `/quiz` in 10 minutes.",
        "response_type": "ephemeral",
        "replace_original": False,
        "thread_ts": message_ts(round.thread_id),  # in the round's thread, not the channel
    }
    [refused] = (
        await slack.click(f"{RATE_ROUND}easy", str(round.id), user=BOB, **on_reveal)
    ).responses
    assert refused["text"] == "Only people who answered this round can rate it; try /quiz."
    assert refused["response_type"] == "ephemeral" and refused["replace_original"] is False
    [twice] = (await slack.click(f"{RATE_ROUND}easy", str(round.id), **on_reveal)).responses
    assert twice["text"] == "You have already rated this one."
    assert (await slack.world.engine.review_stats("slack", BOB)).cards == 0
    assert (await slack.world.engine.review_stats("slack", ALICE)).reviews_done == 1


async def test_a_reveal_nobody_answered_has_no_rating_buttons(slack: SlackHarness) -> None:
    _, reveal = await _revealed_round(slack, {})
    assert rating_buttons(reveal) == [] and "Rate yourself" not in blocks_text(reveal)


async def test_review_shows_due_now_this_week_done_and_retention(graded: SlackHarness) -> None:
    slack = graded
    empty = (await slack.command("/review", user=ALICE)).responses[0]
    assert empty["response_type"] == "ephemeral" and empty["text"].startswith("No reviews yet.")

    for rating in ("again", "good", "easy"):
        value = button(await _quiz(slack), SHOW_ANSWER)["value"]
        await slack.click(SHOW_ANSWER, value)
        await slack.click(f"{RATE_QUIZ}{rating}", value)
    # Five minutes on: "again" (1 minute) is due, "good" (10 minutes) is due this week, "easy"
    # (days away) is neither.
    slack.world.clock.set(slack.world.clock.now() + timedelta(minutes=5))
    stats = await slack.world.engine.review_stats("slack", ALICE)
    assert (stats.due_now, stats.due_this_week, stats.reviews_done, stats.cards) == (1, 1, 3, 3)
    assert stats.retention is not None

    [reply] = (await slack.command("/review", user=ALICE)).responses
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].splitlines() == [
        "*Your reviews*",
        "• Due now: *1*",
        "• Due this week: *1* more",
        "• Reviews done: *3* over 3 questions",
        f"• Estimated retention: *{stats.retention:.0%}*",
        "`/quiz` serves what is due first.",
    ]
    assert re.search(r"retention: \*\d{1,3}%\*", reply["text"])
    assert (await slack.command("/review", user=BOB)).responses[0]["text"].startswith("No reviews")


def _ephemerals(slack: SlackHarness) -> list[dict[str, Any]]:
    return [c.params for c in slack.fake.calls_to("chat.postEphemeral")]


async def test_feedback_after_the_reveal_goes_to_those_who_opted_in(graded: SlackHarness) -> None:
    slack = graded
    # Anyone may opt in: Alice is no admin.
    assert (await slack.command("/practice", "feedback on", user=ALICE)).responses[0][
        "text"
    ] == FEEDBACK_ON
    assert (await slack.command("/practice", "feedback", user=BOB)).responses[0][
        "text"
    ] == FEEDBACK_USAGE

    round, _ = await _revealed_round(
        slack, {ALICE: "The first, then the second.", BOB: "The third."}
    )
    [note] = _ephemerals(slack)
    assert round.thread_id is not None
    assert (note["channel"], note["user"]) == ("C1", ALICE)
    assert note["thread_ts"] == message_ts(round.thread_id)  # under the reveal, in the thread
    assert note["text"] == "Your answer covered 2 of 3 key points. Suggested rating: good."
    shown = blocks_text(note)
    assert ":x: Missed: The third point" in shown and ":white_check_mark: The first point" in shown
    assert "Rate yourself with the buttons on the reveal" in shown

    # Off again: the next reveal sends nothing private.
    await slack.command("/practice", "feedback off", user=ALICE)
    await slack.world.scheduler.advance(timedelta(hours=15))
    await slack.answer(await slack.open_round(), ALICE, "The first.")
    await slack.world.scheduler.advance(timedelta(hours=9))
    assert len(_ephemerals(slack)) == 1


async def test_a_refused_feedback_note_does_not_undo_the_reveal(
    graded: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    slack = graded
    await slack.command("/practice", "feedback on", user=ALICE)
    slack.fake.fail("chat.postEphemeral", "user_not_in_channel")
    _, reveal = await _revealed_round(slack, {ALICE: "The first."})
    assert "Answered by 1:" in blocks_text(reveal)
    assert len(slack.fake.calls_to("chat.postEphemeral")) == 1
    status = await slack.world.engine.status(slack.channel())
    assert status.open_round is None
    assert status.subscription is not None and status.subscription.problem is None
    # Refused for good: that note waits alone (parked), the channel is not flagged for it.
    assert "(feedback) parked channel=slack:T1:C1 failure=forbidden" in caplog.text
    assert ("feedback", "parked", "Slack said user_not_in_channel: they left the channel.") in (
        status.waiting
    )


class HeldGrader(OrdinalGrader):
    """Grades only once released: stands for a slow embedding model."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def grade(self, key_points: Sequence[str], answer: str, reference: str = "") -> Feedback:
        await self.release.wait()
        return await super().grade(key_points, answer, reference)


async def test_buttons_and_the_modal_answer_slack_before_the_work_is_done(tmp_path: Path) -> None:
    grader = HeldGrader()
    slack = await SlackHarness.open(tmp_path, grader=grader, ack_first=True)
    try:
        asked = await slack.command("/quiz", "alpha")
        [card] = await slack.fake.wait_responses(asked.hook)
        value = button(card, SHOW_ANSWER)["value"]

        clicked = await slack.click(WRITE_ANSWER, button(card, WRITE_ANSWER)["value"])
        [opened] = await slack.fake.wait_calls("views.open")
        assert await slack.submit(opened.answer["view"], {ANSWER_BLOCK: "The first."}) == 200
        await slack.fake.wait_responses(clicked.hook)

        # Grading is held, as a slow model would hold it: Slack still gets its answer at once.
        shown = await asyncio.wait_for(slack.click(SHOW_ANSWER, value), timeout=2)
        assert shown.status == 200 and shown.responses == []
        grader.release.set()
        [answer] = await slack.fake.wait_responses(shown.hook)
        assert "Your answer covered 1 of 3 key points." in blocks_text(answer)

        grader.release.clear()  # rating draws the answer again, graded again
        rated = await asyncio.wait_for(slack.click(f"{RATE_QUIZ}hard", value), timeout=2)
        assert rated.status == 200 and rated.responses == []
        grader.release.set()
        [note] = await slack.fake.wait_responses(rated.hook)
        assert note["text"].startswith("Rated hard: it comes back in")
    finally:
        await slack.close()
