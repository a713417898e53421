"""The Slack edge: limits kept before sending, bodies that do not parse, error bodies that are not
JSON, and answers stored before any name look-up. All through the real Bolt app over signed
loopback HTTP, against FakeSlack and its injected faults (tests/faults.py)."""

from __future__ import annotations

import json
import logging
import re
import urllib.parse
from datetime import timedelta

import pytest

from bot.adapters.slack.refs import message_ts
from bot.adapters.slack.render import RATE_ROUND
from tests.faults import plain_text, server_error, slow
from tests.slack.fake_slack import MAX_BLOCKS_TEXT, _text_length
from tests.slack.harness import ADMIN, ALICE, SlackHarness


async def _open_round(slack: SlackHarness) -> None:
    await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN)
    await slack.world.scheduler.advance(timedelta(hours=2))


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


# -- limits ---------------------------------------------------------------------------------


async def test_a_reveal_with_300_answerers_is_accepted_and_counts_the_rest(
    slack: SlackHarness,
) -> None:
    await _open_round(slack)
    round = await slack.open_round()
    people = [f"U{i:04d}" for i in range(300)]
    for number, user in enumerate(people):
        slack.fake.add_user(user, f"Teammate with a fairly long display name {number}")
        await slack.answer(round, user, f"Answer number {number}.")
    await slack.world.scheduler.advance(timedelta(hours=9))

    [call] = [c for c in slack.fake.calls_to("chat.postMessage") if c.params.get("thread_ts")]
    assert call.answer["ok"] is True  # no msg_blocks_too_long
    blocks = call.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert _text_length(blocks) <= MAX_BLOCKS_TEXT
    # The list may run over several sections, cut at a space: read it whole.
    shown = " ".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "Answered by 300:" in shown
    more = re.search(r"…and (\d+) more", shown)
    assert more is not None
    named = len(re.findall(r"Teammate with a fairly long display name \d+", shown))
    assert named + int(more.group(1)) == 300 and named > 100
    # The rating buttons are still there.
    assert any(b["type"] == "actions" for b in blocks)


async def test_a_round_rating_is_confirmed_in_the_rounds_thread(slack: SlackHarness) -> None:
    await _open_round(slack)
    round = await slack.open_round()
    await slack.answer(round, ALICE, "Memorising noise.")
    await slack.world.scheduler.advance(timedelta(hours=9))
    [reveal] = [c for c in slack.fake.calls_to("chat.postMessage") if c.params.get("thread_ts")]
    assert round.thread_id is not None
    thread = message_ts(round.thread_id)
    # The button is on the reveal, a reply in the thread: Slack sends the thread's ts with it.
    clicked = await slack.click(
        f"{RATE_ROUND}good", str(round.id), message_ts=reveal.answer["ts"], thread_ts=thread
    )
    [rated] = clicked.responses
    assert rated["text"].startswith("Rated good")
    assert rated["thread_ts"] == thread and rated["response_type"] == "ephemeral"


# -- bodies that do not parse ---------------------------------------------------------------


async def test_signed_bodies_that_do_not_parse_get_400_and_no_traceback(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    form = "application/x-www-form-urlencoded"
    for body, content_type in [
        ("{not json", "application/json"),
        ('["a", "list"]', "application/json"),
        (urllib.parse.urlencode({"payload": "{not json"}), form),
        (urllib.parse.urlencode({"payload": "[1, 2]"}), form),
    ]:
        status, _ = await slack.send(body, content_type)
        assert status == 400, body
    # Unsigned, it is refused for that first.
    status, _ = await slack.send("{not json", "application/json", secret="not-the-secret")
    assert status == 401
    assert _errors(caplog) == []
    # The app still takes a proper request.
    assert (await slack.command("/streak")).status == 200


# -- error bodies that are not JSON ---------------------------------------------------------


async def test_a_text_plain_502_on_a_post_is_reported_not_crashed(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN)
    # A proxy's text/plain 502: SlackApiError.response.data is the str "502 Bad Gateway".
    slack.fake.inject(r"chat\.postMessage", plain_text(502), channel="C1")
    reply = await slack.command("/practice", "post-now", user=ADMIN)
    [answer] = reply.responses
    assert answer["text"] == "Today's question is queued, not posted yet: Slack could not take the post (http_502). It is retried while the post is still useful."
    status = (await slack.command("/practice", "status", user=ADMIN)).responses[0]["text"]
    assert "the post (queued): Slack could not take the post (http_502)." in status
    assert _errors(caplog) == []
    # The fault was once: the outbox's next attempt (after its backoff) posts it.
    await slack.world.scheduler.advance(timedelta(seconds=5))
    posted = [c for c in slack.fake.calls_to("chat.postMessage") if c.answer.get("ok")]
    assert len(posted) == 1


async def test_an_html_500_on_a_post_names_the_status(slack: SlackHarness) -> None:
    await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN)
    slack.fake.inject(r"chat\.postMessage", server_error(500), channel="C1")
    reply = await slack.command("/practice", "post-now", user=ADMIN)
    assert reply.responses[0]["text"] == (
        "Today's question is queued, not posted yet: Slack could not take the post (http_500). It is retried while the post is still useful."
    )


# -- answers are stored before any name look-up ---------------------------------------------


@pytest.mark.parametrize("fault", [server_error(500), plain_text(502)], ids=["html-500", "text-502"])
async def test_an_answer_is_stored_while_users_info_fails(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, fault: object
) -> None:
    await _open_round(slack)
    round = await slack.open_round()
    slack.fake.inject(r"users\.info", fault, times=None)  # type: ignore[arg-type]
    await slack.answer(round, ALICE, "Stored whatever users.info says.")
    assert await slack.answer_text(round, ALICE) == "Stored whatever users.info says."
    assert await slack.world.store.user_name("slack", ALICE) == ALICE  # the id stands in
    assert slack.fake.calls_to("users.info")  # it was asked, after the answer was stored
    assert _errors(caplog) == []

    # Once Slack answers again, the next answer brings the name.
    slack.fake.heal()
    await slack.answer(round, ALICE, "And a second line.")
    assert await slack.world.store.user_name("slack", ALICE) == "Alice"
    await slack.world.scheduler.advance(timedelta(hours=9))
    [reveal] = [p for p in slack.posts("C1") if p.get("thread_ts")]
    assert "Alice" in json.dumps(reveal, ensure_ascii=False)


async def test_an_answer_is_stored_before_a_slow_users_info_answers(
    slack: SlackHarness,
) -> None:
    await _open_round(slack)
    round = await slack.open_round()
    slack.fake.inject(r"users\.info", slow(0.3))
    event = slack.reply(round, ALICE, "In before the name.")
    assert await slack.event(event, settle=False) == 200
    # Acknowledged with the answer stored, under the id, while users.info is still out.
    assert await slack.answer_text(round, ALICE) == "In before the name."
    assert await slack.world.store.user_name("slack", ALICE) == ALICE
    # users.info for Alice has not been answered yet (the fake records a call once answered).
    assert not [c for c in slack.fake.calls_to("users.info") if c.params.get("user") == ALICE]
    # The background look-up fills the name in, on the boards too.
    await slack.adapter.users.settle()
    assert await slack.world.store.user_name("slack", ALICE) == "Alice"
    await slack.world.scheduler.advance(timedelta(hours=9))
    board = (await slack.command("/leaderboard")).text
    assert "Alice" in board and ALICE not in board


async def test_a_name_the_event_carries_is_used_at_once(slack: SlackHarness) -> None:
    await _open_round(slack)
    round = await slack.open_round()
    slack.fake.inject(r"users\.info", server_error(500), times=None)
    profile = {"display_name": "Ali", "real_name": "Alice Liddell"}
    await slack.answer(round, ALICE, "With a profile.", user_profile=profile)
    assert await slack.world.store.user_name("slack", ALICE) == "Ali"
