"""Slack refusing a post: the channel is flagged or paused, the subscriber told, others go on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.slack.publisher import publish_error
from bot.core.errors import PublishFailure
from tests.slack.harness import ADMIN, SlackHarness


async def _subscribe(slack: SlackHarness, *channels: str) -> None:
    for channel in channels:
        reply = await slack.command(
            "/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN, channel=channel
        )
        assert "Subscribed" in reply.text


def _direct_messages(slack: SlackHarness) -> list[str]:
    return [str(p["text"]) for p in slack.posts(ADMIN)]


async def test_not_in_channel_flags_only_that_channel_and_tells_the_admin(
    slack: SlackHarness,
) -> None:
    await _subscribe(slack, "C1", "C2")
    slack.fake.fail("chat.postMessage", "not_in_channel", channel="C2")
    await slack.world.scheduler.advance(timedelta(hours=2))

    assert len(slack.posts("C1")) == 1  # the other channel goes on
    c2 = (await slack.world.engine.status(slack.channel("C2"))).subscription
    assert c2 is not None and c2.active
    assert c2.problem is not None and "not_in_channel" in c2.problem
    assert (await slack.world.engine.status(slack.channel("C2"))).open_round is None
    [told] = _direct_messages(slack)
    assert told.startswith("I could not post in <#C2>.")  # the outbox's notice, by DM
    assert "/invite @practicebot" in told

    status = await slack.command("/practice", "status", user=ADMIN, channel="C2")
    assert "⚠️ The last post here failed: I am not a member of this channel" in status.text

    # Still not invited the next day: the admin is not told twice about the same problem.
    await slack.world.scheduler.advance(timedelta(days=1))
    assert len(_direct_messages(slack)) == 1
    assert len([p for p in slack.posts("C1") if "thread_ts" not in p]) == 2

    # Invited at last: post-now posts, and the problem is gone.
    slack.fake.heal()
    reply = await slack.command("/practice", "post-now", user=ADMIN, channel="C2")
    assert reply.responses[0]["text"].startswith("Posted today's question")
    c2 = (await slack.world.engine.status(slack.channel("C2"))).subscription
    assert c2 is not None and c2.problem is None


async def test_post_now_into_a_channel_without_the_bot_says_what_to_do(
    slack: SlackHarness,
) -> None:
    await _subscribe(slack, "C1")
    slack.fake.fail("chat.postMessage", "not_in_channel", channel="C1")
    reply = await slack.command("/practice", "post-now", user=ADMIN)
    assert reply.responses[0]["text"].startswith(
        "Could not post: I am not a member of this channel"
    )


@pytest.mark.parametrize("error", ["channel_not_found", "is_archived"])
async def test_a_gone_channel_is_paused_and_others_go_on(slack: SlackHarness, error: str) -> None:
    await _subscribe(slack, "C1", "C2")
    slack.fake.fail("chat.postMessage", error, channel="C2")
    await slack.world.scheduler.advance(timedelta(hours=2))

    assert len(slack.posts("C1")) == 1
    c2 = (await slack.world.engine.status(slack.channel("C2"))).subscription
    assert c2 is not None and not c2.active and c2.problem is not None and error in c2.problem
    [told] = _direct_messages(slack)  # the admin hears the channel is paused, once
    assert told.startswith("I could not post in <#C2>.") and error in told
    assert told.endswith("Its questions are paused until the channel is subscribed again.")
    slack.fake.heal()
    await slack.world.scheduler.advance(timedelta(days=1))  # paused: no more attempts there
    assert len(slack.posts("C2")) == 1
    assert len([p for p in slack.posts("C1") if "thread_ts" not in p]) == 2


@pytest.mark.parametrize(
    ("code", "failure"),
    [
        ("not_in_channel", PublishFailure.NOT_IN_CHANNEL),
        ("channel_not_found", PublishFailure.CHANNEL_GONE),
        ("is_archived", PublishFailure.CHANNEL_GONE),
        ("restricted_action", PublishFailure.FORBIDDEN),
        ("missing_scope", PublishFailure.FORBIDDEN),
        ("ratelimited", PublishFailure.TRANSIENT),
        ("internal_error", PublishFailure.TRANSIENT),
    ],
)
def test_slack_errors_map_to_publish_failures(code: str, failure: PublishFailure) -> None:
    error = publish_error(code)
    assert error.failure is failure
    assert code in error.detail
