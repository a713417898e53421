"""Message events: edits, deletes, bots, non-replies, long answers and names that try to ping."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.core.models import Round
from tests.slack.fake_slack import BOT_ID, BOT_USER
from tests.slack.harness import ADMIN, ALICE, BOB, SlackHarness


async def _open_round(slack: SlackHarness) -> Round:
    await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN)
    await slack.world.scheduler.advance(timedelta(hours=2))
    return await slack.open_round()


def _changed(original: dict[str, Any], text: str) -> dict[str, Any]:
    edited = {k: original[k] for k in ("type", "user", "ts", "thread_ts")}
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": original["channel"],
        "ts": f"{float(original['ts']) + 30:.6f}",
        "event_ts": f"{float(original['ts']) + 30:.6f}",
        "message": {**edited, "text": text, "edited": {"user": original["user"], "ts": "1"}},
        "previous_message": {**edited, "text": original["text"]},
    }


def _deleted(original: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": original["channel"],
        "ts": f"{float(original['ts']) + 60:.6f}",
        "event_ts": f"{float(original['ts']) + 60:.6f}",
        "deleted_ts": original["ts"],
        "previous_message": {k: original[k] for k in ("type", "user", "ts", "thread_ts", "text")},
    }


async def test_an_edit_updates_the_answer(slack: SlackHarness) -> None:
    round = await _open_round(slack)
    original = await slack.answer(round, ALICE, "Bias is variance.")
    assert await slack.event(_changed(original, "Bias and variance trade off.")) == 200
    assert await slack.answer_text(round, ALICE) == "Bias and variance trade off."


async def test_a_delete_takes_the_answer_away(slack: SlackHarness) -> None:
    round = await _open_round(slack)
    first = await slack.answer(round, ALICE, "one")
    await slack.answer(round, BOB, "mine")
    second = await slack.answer(round, ALICE, "two")

    assert await slack.event(_deleted(first)) == 200
    assert await slack.answer_text(round, ALICE) == "two"  # still answered, with what is left
    deleted = _deleted(second)
    assert await slack.event(deleted, event_id="EvDEL") == 200
    assert await slack.event(deleted, event_id="EvDEL", retry=1) == 200
    assert await slack.answer_text(round, ALICE) == ""
    view = await slack.world.engine.streak(slack.channel(), ALICE)
    assert view.answered_open_round is False

    await slack.world.scheduler.advance(timedelta(hours=9))
    reveal = json.dumps(next(p for p in slack.posts("C1") if "thread_ts" in p)["blocks"])
    assert "Answered by 1:* Bob." in reveal


async def test_bot_messages_and_other_subtypes_are_not_answers(slack: SlackHarness) -> None:
    round = await _open_round(slack)
    for extra in (
        {"bot_id": "BOTHER", "subtype": "bot_message"},  # another app in the thread
        {"bot_id": "BOTHER"},  # a bot posting with a user id
        {"subtype": "channel_join"},
    ):
        assert await slack.event(slack.reply(round, BOB, "beep", **extra)) == 200
    # The bot's own reply (its reveal, say): Bolt drops events from our own bot user.
    own = slack.reply(round, BOT_USER, "reference answer", bot_id=BOT_ID)
    assert await slack.event(own) == 200
    # The thread's parent itself: thread_ts equals ts.
    parent_ts = round.thread_id.partition(":")[2] if round.thread_id else ""
    assert await slack.event(slack.reply(round, ALICE, "parent", ts=parent_ts)) == 200

    assert await slack.answer_text(round, BOB) == ""
    assert await slack.answer_text(round, BOT_USER) == ""
    assert await slack.answer_text(round, ALICE) == ""
    # Names are looked up only for real answers.
    assert {c.params["user"] for c in slack.fake.calls_to("users.info")} == {ADMIN}


async def test_a_reply_in_some_other_thread_is_ignored(slack: SlackHarness) -> None:
    round = await _open_round(slack)
    elsewhere = slack.reply(round, ALICE, "chatting", thread_ts="1764599999.000001")
    assert await slack.event(elsewhere) == 200
    assert await slack.answer_text(round, ALICE) == ""


async def test_a_thread_broadcast_counts_as_an_answer(slack: SlackHarness) -> None:
    round = await _open_round(slack)
    await slack.answer(round, ALICE, "also sent to the channel", subtype="thread_broadcast")
    assert await slack.answer_text(round, ALICE) == "also sent to the channel"


async def test_an_overlong_answer_is_kept_truncated_and_its_author_told(
    slack: SlackHarness,
) -> None:
    round = await _open_round(slack)
    event = await slack.answer(round, ALICE, "x" * 5000)
    assert len(await slack.answer_text(round, ALICE)) == 4000
    [told] = slack.fake.calls_to("chat.postEphemeral")
    assert told.params["user"] == ALICE and told.params["thread_ts"] == event["thread_ts"]
    assert "over 4,000 characters" in told.params["text"]


async def test_names_cannot_ping_the_channel(slack: SlackHarness) -> None:
    slack.fake.add_user("UEVE", "<!channel> @here Eve & co")
    round = await _open_round(slack)
    await slack.answer(round, "UEVE", "<!everyone> hello @channel")
    await slack.world.scheduler.advance(timedelta(hours=9))
    [reveal] = [p for p in slack.posts("C1") if "thread_ts" in p]
    text = json.dumps(reveal, ensure_ascii=False)
    assert "<!channel>" not in text and "<!everyone>" not in text and "<!here" not in text
    assert "@here" not in text
    assert "&lt;!channel&gt; @\u2060here Eve &amp; co" in text
    board = await slack.command("/leaderboard", user=ALICE)
    assert "<!channel>" not in board.text and "&lt;!channel&gt;" in board.text
