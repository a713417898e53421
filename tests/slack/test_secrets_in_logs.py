"""No token or signing secret ever reaches the logs, over a whole Slack scenario."""

from __future__ import annotations

import io
from datetime import timedelta

from tests.slack.conftest import Raw
from tests.slack.fake_slack import BOT_TOKEN
from tests.slack.harness import ADMIN, ALICE, SECRET, SlackHarness


async def test_a_full_scenario_logs_no_secret(
    slack: SlackHarness, captured: tuple[io.StringIO, Raw]
) -> None:
    formatted, raw = captured
    await slack.command("/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN)
    await slack.command("/practice", "subscribe 09:30 Europe/Berln", user=ADMIN)
    await slack.command("/practice", "subscribe 09:30", user=ALICE)  # refused: not an admin
    await slack.world.scheduler.advance(timedelta(hours=2))
    round = await slack.open_round()
    await slack.answer(round, ALICE, "Regularise and use more data.")
    await slack.command("/quiz", user=ALICE)
    await slack.world.scheduler.advance(timedelta(hours=9))
    await slack.command("/leaderboard", user=ALICE)
    status, _ = await slack.send("{}", "application/json", secret="wrong-secret")
    assert status == 401

    everything = formatted.getvalue() + "\n".join(raw.lines)
    assert "posted channel=" in everything and "revealed channel=" in everything
    for secret in (BOT_TOKEN, SECRET):
        assert secret not in everything
