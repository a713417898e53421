"""Bolt's request verification: unsigned, mis-signed or stale requests change nothing."""

from __future__ import annotations

import time
import urllib.parse
from datetime import timedelta

from bot.core.models import Round
from tests.slack.harness import ADMIN, ALICE, SlackHarness


async def _open_round(slack: SlackHarness) -> Round:
    await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN)
    await slack.world.scheduler.advance(timedelta(hours=2))
    return await slack.open_round()


async def test_bad_signature_and_stale_timestamp_are_refused(slack: SlackHarness) -> None:
    round = await _open_round(slack)
    answer = slack.event_body(slack.reply(round, ALICE, "sneaky"))

    status, _ = await slack.send(answer, "application/json", secret="not-the-secret")
    assert status == 401
    stale = int(time.time()) - 10 * 60  # Slack's window is five minutes
    status, _ = await slack.send(answer, "application/json", timestamp=stale)
    assert status == 401
    assert await slack.answer_text(round, ALICE) == ""
    assert (await slack.world.engine.streak(slack.channel(), ALICE)).answered_open_round is False

    # The same body, properly signed, is taken: the refusals were about the signature.
    status, _ = await slack.send(answer, "application/json")
    assert status == 200
    assert await slack.answer_text(round, ALICE) == "sneaky"


async def test_a_forged_command_subscribes_nothing(slack: SlackHarness) -> None:
    reply = await slack.command(
        "/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN, secret="forged"
    )
    assert reply.status == 401 and reply.responses == []
    assert (await slack.world.engine.status(slack.channel())).subscription is None
    unsigned = urllib.parse.urlencode({"command": "/practice", "text": "unsubscribe"})
    async with slack._session.post(
        slack.url, data=unsigned, headers={"Content-Type": "application/x-www-form-urlencoded"}
    ) as response:
        assert response.status == 401
