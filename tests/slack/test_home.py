"""The App Home: app_home_opened publishes the person's Home tab through views.publish."""

from __future__ import annotations

import json
from typing import Any

from bot.adapters.slack.listeners.home import HOME_QUIZ
from bot.present import home as words
from tests.slack.harness import ALICE, SlackHarness
from tests.slack.test_missed import _alice_misses_one


def _flat(view: dict[str, Any]) -> str:
    return json.dumps(view, ensure_ascii=False)


async def test_the_home_tab_shows_streaks_reviews_feedback_and_calendar(
    graded: SlackHarness,
) -> None:
    slack = graded
    assert await slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"}) == 200
    [first] = await slack.fake.wait_calls("views.publish")
    assert first.answer["ok"]
    empty = slack.fake.homes[ALICE]
    assert words.NO_CHANNELS in _flat(empty) and words.NO_FEEDBACK in _flat(empty)

    await _alice_misses_one(slack)
    card = await slack.world.engine.quiz("slack", ALICE)
    await slack.world.engine.answer_quiz("slack", ALICE, "the first and the third", quiz_id=card.quiz_id)
    await slack.world.engine.reveal_quiz("slack", ALICE, card.quiz_id)
    await slack.world.engine.rate_quiz("slack", ALICE, "good", card.quiz_id)
    await slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    await slack.fake.wait_calls("views.publish", 2)
    view = slack.fake.homes[ALICE]
    shown = _flat(view)
    assert "<#C1>: streak 0 (best 1), 1 answer" in shown
    assert "*Reviews:* 0 reviews due now" in shown
    # The last feedback, as it was given: covered, missed (with the reference's sentence).
    assert "*Your last feedback:* " + card.question.text.splitlines()[0][:40] in shown
    points = card.question.key_points
    assert f"Your answer covered 2 of {len(points)} key points." in shown
    assert f"✅ {points[0]}" in shown and f"❌ Missed: {points[1]}" in shown
    [button] = next(b for b in view["blocks"] if b["type"] == "actions")["elements"]
    assert button["action_id"] == HOME_QUIZ
    [image] = [b for b in view["blocks"] if b["type"] == "image"]
    assert slack.fake.files[image["slack_file"]["id"]].filename == "streak.png"

    # The messages tab is left alone.
    await slack.event({"type": "app_home_opened", "user": ALICE, "tab": "messages"})
    assert len(slack.fake.calls_to("views.publish")) == 2

    # "Quiz me" sends a quiz card to the person's DMs (a Home tab has no response_url).
    before = len(slack.posts())
    await slack.click(HOME_QUIZ, "quiz", user=ALICE)
    calls = await slack.fake.wait_calls("chat.postMessage", before + 1)
    assert calls[-1].params["channel"] == ALICE and "Quiz, just for you" in calls[-1].params["text"]
