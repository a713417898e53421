"""The whole daily loop through the real Bolt app: subscribe, post, answers, reveal, leaderboard."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.refs import message_key
from tests.postgres import STORE_KINDS, opener_for
from tests.slack.harness import ADMIN, ALICE, BOB, SlackHarness


@pytest.fixture(params=STORE_KINDS)
async def slack(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SlackHarness]:
    """The daily loop runs on each store (PostgreSQL: a real server, tests/postgres.py)."""
    harness = await SlackHarness.open(tmp_path, open_store=opener_for(request, request.param))
    yield harness
    await harness.close()


async def test_subscribe_post_answer_reveal_leaderboard(slack: SlackHarness) -> None:
    # Tuesday 08:00 in Berlin. The admin subscribes the channel for 09:30 Berlin time.
    reply = await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN)
    assert reply.status == 200
    assert "Subscribed <#C1>: 09:30 Europe/Berlin, Mon–Fri" in reply.text
    subscription = (await slack.world.engine.status(slack.channel())).subscription
    assert subscription is not None and subscription.subscribed_by == ADMIN

    await slack.world.scheduler.advance(timedelta(hours=2))  # past 09:30 Berlin
    [call] = slack.fake.calls_to("chat.postMessage")
    post = call.params
    assert post["channel"] == "C1" and "thread_ts" not in post
    round = await slack.open_round()
    assert round.thread_id == round.message_id == message_key("C1", call.answer["ts"])
    blocks = json.dumps(post["blocks"])
    assert "Answer in the thread" in blocks
    reveal_stamp = int(round.reveal_at.timestamp())
    assert f"<!date^{reveal_stamp}^" in blocks  # each reader sees their own local time

    # Three replies from two people; Bob's is redelivered by Slack with the same event id.
    await slack.answer(round, ALICE, "Overfitting is memorising noise.")
    bob = slack.reply(round, BOB, "Regularise and use more data.")
    assert await slack.event(bob, event_id="EvBOB") == 200
    await slack.answer(round, ALICE, "Also: early stopping.")
    assert await slack.event(bob, event_id="EvBOB", retry=1) == 200
    # A top-level message in the channel and the thread's own parent are not answers.
    top = slack.reply(round, BOB, "lunch?")
    del top["thread_ts"]
    assert await slack.event(top) == 200

    assert await slack.answer_text(round, BOB) == "Regularise and use more data."
    assert await slack.answer_text(round, ALICE) == (
        "Overfitting is memorising noise.\nAlso: early stopping."
    )

    await slack.world.scheduler.advance(timedelta(hours=9))  # past the reveal
    reveals = [p for p in slack.posts("C1") if "thread_ts" in p]
    assert len(reveals) == 1
    assert message_key("C1", reveals[0]["thread_ts"]) == round.thread_id
    reveal_blocks = json.dumps(reveals[0]["blocks"])
    assert "Answered by 2:" in reveal_blocks
    assert "Alice" in reveal_blocks and "Bob" in reveal_blocks

    board = await slack.command("/leaderboard", "week", user=BOB)
    assert board.responses[0]["response_type"] == "ephemeral"
    assert set(leaderboard_lines(board.responses[0])) == {
        "1. *Alice*: 1 answer (streak 1)",
        "1. *Bob*: 1 answer (streak 1)",
    }

    # Wednesday: only Alice answers, so Bob's current streak resets at the reveal.
    await slack.world.scheduler.advance(timedelta(hours=15))
    wednesday = await slack.open_round()
    assert wednesday.id != round.id
    await slack.answer(wednesday, ALICE, "Dropout.")
    await slack.world.scheduler.advance(timedelta(hours=9))
    board = await slack.command("/leaderboard", "week", user=BOB)
    assert leaderboard_lines(board.responses[0]) == [
        "1. *Alice*: 2 answers (streak 2)",
        "2. *Bob*: 1 answer (streak 0)",
    ]
    streaks = await slack.command("/streak", user=ALICE)
    assert streaks.responses[0]["text"] == "Your current streak: 2 (best 2), 2 answers in all."


def leaderboard_lines(response: dict[str, Any]) -> list[str]:
    return str(response["blocks"][1]["text"]["text"]).splitlines()
