"""Pictures on Slack: uploaded once, shared in no channel, shown in an `image` block of the
private reply, with the text alternative as its alt text and the text board beside it."""

from __future__ import annotations

from typing import Any

from tests.slack.harness import ALICE, SlackHarness
from tests.slack.test_missed import _alice_misses_one


def _images(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in blocks if b["type"] == "image"]


async def test_leaderboard_and_streak_show_their_pictures(slack: SlackHarness) -> None:
    empty = await slack.command("/leaderboard", user=ALICE)
    assert not _images(empty.responses[0]["blocks"]) and slack.fake.files == {}
    await _alice_misses_one(slack)

    board = await slack.command("/leaderboard", user=ALICE)
    [response] = board.responses
    [image] = _images(response["blocks"])
    [file] = slack.fake.files.values()
    assert image["slack_file"] == {"id": file.id}
    assert file.filename == "leaderboard.png" and file.channel is None  # shared nowhere
    assert file.data is not None and file.data.startswith(b"\x89PNG")
    assert image["alt_text"].startswith("Leaderboard") and "Alice" in image["alt_text"]
    assert "Alice" in response["text"] or "Alice" in str(response["blocks"][:-1])

    again = await slack.command("/leaderboard", user=ALICE)  # unchanged: not uploaded again
    assert _images(again.responses[0]["blocks"]) == [image] and len(slack.fake.files) == 1

    streak = await slack.command("/streak", user=ALICE)
    [response] = streak.responses
    [image] = _images(response["blocks"])
    assert "streak" in response["text"].lower()
    shown = slack.fake.files[image["slack_file"]["id"]]
    assert shown.filename == "streak.png" and len(slack.fake.files) == 2
