"""/practice streak-repair on Slack: admins only; /practice status lists the repairs."""

from __future__ import annotations

from tests.slack.harness import ADMIN, ALICE, BOB, SlackHarness


async def test_slack_admins_repair_and_status_shows_it(slack: SlackHarness) -> None:
    await slack.command("/practice", "subscribe 17:00 Europe/Berlin reveal=2h", user=ADMIN)
    await slack.command("/practice", "post-now", user=ADMIN)
    round = await slack.open_round()
    await slack.answer(round, BOB, "an answer")
    await slack.command("/practice", "reveal-now", user=ADMIN)
    day = round.local_date.isoformat()

    refused = await slack.command("/practice", f"streak-repair {day}", user=ALICE)
    assert "Only workspace admins" in refused.text
    reply = await slack.command("/practice", f"streak-repair {day}", user=ADMIN)
    assert reply.responses[0]["text"].startswith(f"Repaired the round of {day}")
    status = await slack.command("/practice", "status", user=ADMIN)
    assert f"*Streak repairs:* {day} (by {ADMIN} on <!date^" in status.responses[0]["text"]
    bad = await slack.command("/practice", "streak-repair", user=ADMIN)
    assert bad.responses[0]["text"].startswith("Usage: streak-repair YYYY-MM-DD")
    missing = await slack.command("/practice", "streak-repair 2020-01-01", user=ADMIN)
    assert "no round on 2020-01-01" in missing.responses[0]["text"]
