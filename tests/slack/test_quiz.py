"""/quiz: a private card with a "Show answer" button that turns into the answer."""

from __future__ import annotations

import json

from bot.adapters.slack.render import SHOW_ANSWER, WRITE_ANSWER
from tests.slack.harness import ALICE, BOB, SlackHarness, button, rating_buttons


async def test_quiz_card_then_show_answer(slack: SlackHarness) -> None:
    reply = await slack.command("/quiz", "beta", user=ALICE)
    [card] = reply.responses
    assert card["response_type"] == "ephemeral"
    show = button(card, SHOW_ANSWER)
    assert show["text"]["text"] == "Show answer" and show["style"] == "primary"
    assert button(card, WRITE_ANSWER)["text"]["text"] == "Write an answer"
    assert "beta" in json.dumps(card["blocks"]).lower()

    shown = await slack.click(SHOW_ANSWER, show["value"], user=ALICE)
    assert shown.status == 200
    [answer] = shown.responses
    assert answer["replace_original"] is True and answer["response_type"] == "ephemeral"
    text = json.dumps(answer["blocks"])
    assert "Key points" in text and "Further reading" in text
    assert [b["text"]["text"] for b in rating_buttons(answer)] == ["Again", "Hard", "Good", "Easy"]
    record = await slack.world.store.quiz(int(show["value"]))
    assert record is not None and record.revealed_at is not None


async def test_someone_elses_quiz_stays_closed(slack: SlackHarness) -> None:
    card = (await slack.command("/quiz", user=ALICE)).responses[0]
    value = button(card, SHOW_ANSWER)["value"]
    shown = await slack.click(SHOW_ANSWER, value, user=BOB)
    assert shown.responses[0]["text"].startswith("That quiz belongs to someone else")
    assert shown.responses[0]["replace_original"] is False  # Alice's card is not Bob's to change
    record = await slack.world.store.quiz(int(value))
    assert record is not None and record.revealed_at is None


async def test_unknown_pack_is_explained(slack: SlackHarness) -> None:
    reply = await slack.command("/quiz", "cooking", user=ALICE)
    assert reply.responses[0]["text"] == "Unknown pack 'cooking'. Packs: alpha, beta."


async def test_leaderboard_window_must_be_known(slack: SlackHarness) -> None:
    reply = await slack.command("/leaderboard", "decade", user=ALICE)
    assert reply.responses[0]["text"] == "Window must be week, month or all (got 'decade')."
    empty = await slack.command("/leaderboard", user=ALICE)
    assert "Nobody has answered yet" in empty.responses[0]["text"]
