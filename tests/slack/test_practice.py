"""/practice: who may run it, what bad input gets back, and each subcommand's reply."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.slack.listeners.practice import REFUSAL, USAGE
from bot.core.errors import InputError
from bot.core.subscribe import SubscribeArgs, parse_subscribe
from tests.slack.harness import ADMIN, ALICE, BOB, LISTED, SlackHarness


async def test_non_admin_is_refused_and_nothing_changes(slack: SlackHarness) -> None:
    reply = await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ALICE)
    assert reply.status == 200
    assert [r["text"] for r in reply.responses] == [REFUSAL]
    assert reply.responses[0]["response_type"] == "ephemeral"
    assert (await slack.world.engine.status(slack.channel())).subscription is None
    # users.info was asked (a GET with query parameters) about the caller.
    assert [c.params["user"] for c in slack.fake.calls_to("users.info")] == [ALICE]


async def test_admin_subscription_survives_a_non_admin_unsubscribe(slack: SlackHarness) -> None:
    await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN)
    reply = await slack.command("/practice", "unsubscribe", user=BOB)
    assert reply.responses[0]["text"] == REFUSAL
    subscription = (await slack.world.engine.status(slack.channel())).subscription
    assert subscription is not None and subscription.active


async def test_listed_admin_needs_no_workspace_role(slack: SlackHarness) -> None:
    reply = await slack.command("/practice", "subscribe 10:00 Asia/Tokyo mon,wed,fri", user=LISTED)
    assert "Subscribed <#C1>: 10:00 Asia/Tokyo, Mon, Wed, Fri" in reply.text
    assert slack.fake.calls_to("users.info") == []


async def test_owner_counts_as_admin(slack: SlackHarness) -> None:
    slack.fake.add_user("UOWNER", "Olga", owner=True)
    reply = await slack.command("/practice", "subscribe 07:45 UTC", user="UOWNER")
    assert "Subscribed <#C1>: 07:45 UTC" in reply.text


async def test_bad_timezone_gets_its_clear_reply_and_the_usage(slack: SlackHarness) -> None:
    reply = await slack.command("/practice", "subscribe 09:30 Europe/Berlinn", user=ADMIN)
    [response] = reply.responses
    assert response["text"] == (
        "Unknown timezone 'Europe/Berlinn' — did you mean 'Europe/Berlin'?\n" + USAGE
    )
    assert (await slack.world.engine.status(slack.channel())).subscription is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subscribe 25:00", "Time must be HH:MM on a 24-hour clock, like 09:30 (got '25:00')."),
        ("subscribe", "Give the time to post, like 09:30."),
        ("subscribe 09:30 packs=nope", "Unknown pack 'nope'. Packs: alpha, beta."),
        ("subscribe 09:30 colour=blue", "Unknown option 'colour=blue'"),
    ],
)
async def test_bad_arguments_get_the_usage_line(
    slack: SlackHarness, text: str, expected: str
) -> None:
    reply = await slack.command("/practice", text, user=ADMIN)
    [response] = reply.responses
    assert response["text"].startswith(expected)
    assert response["text"].endswith(USAGE)
    assert (await slack.world.engine.status(slack.channel())).subscription is None


async def test_usage_for_nothing_or_an_unknown_subcommand(slack: SlackHarness) -> None:
    assert (await slack.command("/practice", user=ALICE)).responses[0]["text"] == USAGE
    reply = await slack.command("/practice", "launch", user=ALICE)
    assert reply.responses[0]["text"] == "I don't know 'launch'.\n" + USAGE


async def test_timezone_defaults_to_the_admins_slack_timezone(slack: SlackHarness) -> None:
    reply = await slack.command("/practice", "subscribe 09:30 weekdays", user=ADMIN)
    assert "09:30 Europe/Berlin, Mon–Fri" in reply.text
    # Changing only the time later keeps the channel's timezone.
    await slack.command("/practice", "subscribe 08:00 Asia/Tokyo", user=ADMIN)
    reply = await slack.command("/practice", "subscribe 11:00", user=LISTED)
    assert "11:00 Asia/Tokyo" in reply.text


async def test_not_in_a_direct_message(slack: SlackHarness) -> None:
    reply = await slack.command("/practice", "subscribe 09:30", user=ADMIN, channel="D123")
    assert "in the channel that should get the questions" in reply.responses[0]["text"]
    assert await slack.world.store.subscriptions() == []


async def test_status_post_now_reveal_now_unsubscribe(slack: SlackHarness) -> None:
    status = await slack.command("/practice", "status", user=ADMIN)
    assert "not subscribed" in status.text
    await slack.command("/practice", "subscribe 17:00 Europe/Berlin reveal=2h", user=ADMIN)

    posted = await slack.command("/practice", "post-now", user=ADMIN)
    assert posted.responses[0]["text"] == "Posted today's question. Answers go in its thread."
    assert len(slack.posts("C1")) == 1
    again = await slack.command("/practice", "post-now", user=ADMIN)
    assert "already posted" in again.responses[0]["text"]
    assert len(slack.posts("C1")) == 1

    status = await slack.command("/practice", "status", user=ADMIN)
    text = status.responses[0]["text"]
    assert "*Schedule:* 17:00 Europe/Berlin, Mon–Fri, reveal after 2h" in text
    assert "*Open round:*" in text and "<!date^" in text

    await slack.answer(await slack.open_round(), BOB, "an answer")
    revealed = await slack.command("/practice", "reveal-now", user=ADMIN)
    assert "(1 person answered)" in revealed.responses[0]["text"]
    assert [p for p in slack.posts("C1") if "thread_ts" in p]
    nothing_open = await slack.command("/practice", "reveal-now", user=ADMIN)
    assert nothing_open.responses[0]["text"].startswith("There is no open round to reveal")

    gone = await slack.command("/practice", "unsubscribe", user=ADMIN)
    assert gone.responses[0]["text"].startswith("Unsubscribed")
    await slack.world.scheduler.advance(timedelta(days=2))
    assert len([p for p in slack.posts("C1") if "thread_ts" not in p]) == 1


def test_subscribe_arguments_take_days_and_timezone_in_either_order() -> None:
    assert parse_subscribe(["09:30", "mon-fri", "Europe/Berlin"]) == SubscribeArgs(
        "09:30", timezone="Europe/Berlin", days="mon-fri"
    )
    assert parse_subscribe(["9:05", "UTC", "packs=ml,llm", "reveal=3h"]) == SubscribeArgs(
        "9:05", timezone="UTC", packs="ml,llm", reveal_after="3h"
    )
    with pytest.raises(InputError, match="repeats the timezone"):
        parse_subscribe(["09:30", "UTC", "Europe/Berlin"])


@pytest.mark.parametrize("words", [["09:30", "montag"], ["09:30", "UTC", "mon-"], ["09:30", "mon-fri", "extra"]])
def test_subscribe_arguments_reject_unknown_day_words(words: list[str]) -> None:
    with pytest.raises(InputError, match="Unknown day"):
        parse_subscribe(words)


async def test_config_lists_shows_and_sets_for_admins_only(slack: SlackHarness) -> None:
    from bot.core.spaces import SUGGESTION_LIMIT

    refused = await slack.command("/practice", "config suggestion-limit 5", user=ALICE)
    assert refused.responses[0]["text"] == REFUSAL
    listing = await slack.command("/practice", "config", user=ADMIN)
    assert "suggestion-limit = 3 (default)" in listing.text
    bad = await slack.command("/practice", "config suggestion-limit 99", user=ADMIN)
    assert "from 0 to 20 (got '99'). Nothing was changed." in bad.text
    good = await slack.command("/practice", "config suggestion-limit 5", user=ADMIN)
    assert good.responses[0]["text"] == "✓ suggestion-limit is now 5."
    assert await slack.world.engine.space_value(slack.channel(), SUGGESTION_LIMIT) == 5
