"""/quiz missed and /review export on Slack: the file lands in the person's direct messages."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.adapters.slack.listeners.commands import SENT_TO_DM
from bot.core.models import Round
from bot.present import missed
from tests.slack.harness import ADMIN, ALICE, BOB, SlackHarness


async def _alice_misses_one(slack: SlackHarness) -> Round:
    await slack.command("/practice", "subscribe 17:00 Europe/Berlin daily", user=ADMIN)
    rounds = []
    for user in (ALICE, BOB):
        await slack.command("/practice", "post-now", user=ADMIN)
        round = await slack.open_round()
        await slack.answer(round, user, "an answer")
        await slack.command("/practice", "reveal-now", user=ADMIN)
        slack.world.clock.set(slack.world.clock.now() + timedelta(days=1))
        rounds.append(round)
    return rounds[1]


async def test_quiz_missed_and_the_export_in_direct_messages(slack: SlackHarness) -> None:
    nothing = await slack.command("/review", "export", user=ALICE)
    assert nothing.responses[0]["text"] == missed.NOTHING_TO_EXPORT
    assert slack.fake.files == {}

    missed_round = await _alice_misses_one(slack)
    question = slack.world.engine.question(missed_round.question_id)
    assert question is not None
    quiz = await slack.command("/quiz", "missed", user=ALICE)
    [response] = quiz.responses
    assert response["response_type"] == "ephemeral"
    assert "1 missed question (a daily question you did not answer)" in json.dumps(
        response["blocks"], ensure_ascii=False
    )
    assert question.id in json.dumps(response["blocks"])

    exported = await slack.command("/review", "export", user=ALICE)
    assert exported.responses[0]["text"] == f"{missed.export_note(1)} {SENT_TO_DM}"
    [file] = slack.fake.files.values()
    assert file.completed and file.channel == f"D{ALICE}"
    assert file.filename.startswith("practicebot-missed-") and file.filename.endswith(".md")
    assert file.data is not None and question.answer.strip().encode() in file.data
    assert file.initial_comment == missed.export_note(1)
