"""Questions from the team on Slack, through the loopback fake: `/practice suggest`'s modal,
the receipt, the review queue (a DM to the subscriber, or the review channel), Approve, Edit
and Reject with the admin check on every click, and a post that credits its author."""

from __future__ import annotations

import json
from typing import Any

from bot.adapters.slack import suggestion_views as views
from tests.slack.fake_slack import TEAM
from tests.slack.harness import ADMIN, ALICE, BOB, LISTED, SlackHarness

POINTS = "Hashes set bits\nFalse positives happen\nNo false negatives"


async def _suggest(slack: SlackHarness, values: dict[str, str], user: str = ALICE) -> str:
    reply = await slack.command("/practice", "suggest", user=user)
    assert reply.status == 200
    view = slack.opened_views()[-1]
    assert view["callback_id"] == views.SUGGEST_MODAL
    status, body = await slack.submit_reply(view, values, user=user)
    assert status == 200
    return body


def _queue(slack: SlackHarness, channel: str) -> list[dict[str, Any]]:
    return [p for p in slack.posts(channel) if "Suggested question" in json.dumps(p)]


def _dms(slack: SlackHarness, user: str) -> str:
    return "\n".join(str(p.get("text")) for p in slack.posts(user))


async def test_suggest_review_and_post_with_credit(slack: SlackHarness) -> None:
    assert (await slack.command("/practice", "subscribe 09:00 UTC", user=ADMIN)).status == 200
    assert await _suggest(slack, {views.QUESTION: "Tell us about your worst outage."}) == ""
    receipts = slack.fake.calls_to("chat.postEphemeral")
    assert receipts and "is waiting for an admin's review" in receipts[-1].params["text"]
    (queued,) = _queue(slack, ADMIN)  # no review channel: a DM to whoever subscribed
    assert any(b["type"] == "actions" for b in json.loads(json.dumps(queued["blocks"])))
    ts = slack.fake.calls_to("chat.postMessage")[-1].answer["ts"]

    refused = await slack.click(views.APPROVE_ACTION, "1", user=BOB, message_ts=ts)
    assert "Only admins" in refused.text
    assert (await slack.world.engine.suggestions(("slack", TEAM)))[0].status.value == "pending"
    approved = await slack.click(views.APPROVE_ACTION, "1", user=ADMIN, message_ts=ts)
    assert "Approved by" in approved.text
    assert slack.fake.calls_to("chat.update"), "the queue message loses its buttons"
    again = await slack.click(views.APPROVE_ACTION, "1", user=LISTED, message_ts=ts)
    assert "already approved by" in again.text
    assert "was approved" in _dms(slack, ALICE)

    await slack.command("/practice", "subscribe 09:00 UTC packs=community", user=ADMIN)
    await slack.command("/practice", "post-now", user=ADMIN)
    post = slack.posts("C1")[-1]
    assert "suggested by Alice" in json.dumps(post["blocks"], ensure_ascii=False)
    assert "was just posted" in _dms(slack, ALICE)


async def test_edit_reject_review_channel_duplicates_and_the_limit(slack: SlackHarness) -> None:
    await slack.command("/practice", "subscribe 09:00 UTC", user=ADMIN)
    await slack.command("/practice", "config review-channel <#C9|reviews>", user=ADMIN)
    await _suggest(slack, {views.QUESTION: "What is a vektor clock?"}, user=BOB)
    assert len(_queue(slack, "C9")) == 1
    ts = slack.fake.calls_to("chat.postMessage")[-1].answer["ts"]

    refused = await slack.click(views.EDIT_ACTION, "1", user=ALICE, message_ts=ts)
    assert "Only admins" in refused.text
    await slack.click(views.EDIT_ACTION, "1", user=ADMIN, message_ts=ts)
    edit = slack.opened_views()[-1]
    assert edit["callback_id"] == views.EDIT_MODAL
    assert edit["blocks"][0]["element"]["initial_value"] == "What is a vektor clock?"
    assert await slack.submit(edit, {views.QUESTION: "What is a vector clock?"}, user=ADMIN) == 200
    (record,) = await slack.world.engine.suggestions(("slack", TEAM))
    assert record.fields.text == "What is a vector clock?"

    await slack.click(views.REJECT_ACTION, "1", user=ADMIN, message_ts=ts)
    reject = slack.opened_views()[-1]
    assert reject["callback_id"] == views.REJECT_MODAL
    _, body = await slack.submit_reply(reject, {views.REASON: "too vague"}, user=BOB)
    assert "Only admins" in body
    assert await slack.submit(reject, {views.REASON: "too vague"}, user=ADMIN) == 200
    assert "was not approved. Reason: too vague" in _dms(slack, BOB)
    late = await slack.click(views.APPROVE_ACTION, "1", user=ADMIN, message_ts=ts)
    assert "already rejected by" in late.text

    body = await _suggest(slack, {views.QUESTION: "What is alpha one?"})
    assert "errors" in body and "What is alpha-one?" in body
    body = await _suggest(slack, {views.QUESTION: "Why?", views.ANSWER: "x" * 3001})
    assert "over 3,000 characters" in body
    await slack.command("/practice", "config suggestion-limit 1", user=ADMIN)
    assert await _suggest(slack, {views.QUESTION: "What is a bloom filter?"}) == ""
    body = await _suggest(slack, {views.QUESTION: "What is consistent hashing?"})
    assert "1 suggestion waiting" in body
    assert len(await slack.world.engine.suggestions(("slack", TEAM))) == 2
