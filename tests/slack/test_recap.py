"""The weekly recap on Slack: a message before Monday's question, and its "Quiz me" button."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.adapters.slack.publisher import RECAP_QUIZ
from tests.slack.harness import ADMIN, ALICE, BOB, SlackHarness


async def test_recap_before_the_monday_question_and_quiz_me(slack: SlackHarness) -> None:
    await slack.command("/practice", "subscribe 09:00 UTC mon-fri", user=ADMIN)
    await slack.command("/practice", "config weekly-recap on", user=ADMIN)
    # Set in C1 for C1 alone: the workspace's other channels keep their own choice.
    elsewhere = await slack.command("/practice", "config weekly-recap", user=ADMIN, channel="C2")
    assert elsewhere.responses[0]["text"].startswith("weekly-recap = off (default)")
    clock, engine = slack.world.clock, slack.world.engine
    missed_id = ""
    for number in range(2):  # Tue and Wed: Alice answers both, Bob the first
        clock.set(datetime(2026, 12, 1 + number, 9, 0, tzinfo=UTC))
        await slack.command("/practice", "post-now", user=ADMIN)
        round = await slack.open_round()
        await slack.answer(round, ALICE, "an answer")
        if number == 0:
            await slack.answer(round, BOB, "an answer")
        else:
            missed_id = round.question_id
        await slack.command("/practice", "reveal-now", user=ADMIN)
    subscription = await engine.subscription(slack.channel())
    assert subscription is not None
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    before = len(slack.posts("C1"))
    await engine.post_due(subscription.id)

    recap, question = slack.posts("C1")[before:]
    blocks = json.loads(recap["blocks"]) if isinstance(recap["blocks"], str) else recap["blocks"]
    assert blocks[0]["text"]["text"].startswith("Last week in review")
    assert "2 rounds, 3 answers from 2 people" in recap["text"]
    assert "(missed by 1 of 2)" in recap["text"]
    [button] = blocks[-1]["elements"]
    assert (button["action_id"], button["value"]) == (RECAP_QUIZ, missed_id)
    assert "thread_ts" not in question  # the question comes after, as usual

    reply = await slack.click(RECAP_QUIZ, missed_id, user=BOB, message_ts="1.1")
    [card] = reply.responses
    assert card["response_type"] == "ephemeral" and card.get("replace_original") is False
    assert (await engine.pending_quiz("slack", BOB)) is not None
