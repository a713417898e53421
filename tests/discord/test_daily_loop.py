"""The daily loop in Discord, end to end: the real discord.py client against FakeDiscord."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.discord.views import ANSWER_ID
from tests.discord.fake_discord import (
    EPHEMERAL,
    MESSAGE_CONTENT_INTENT,
    Call,
    FakeDiscord,
    FakeUser,
    eventually,
)
from tests.discord.harness import ADMIN, ALICE, BOB, DiscordBot
from tests.postgres import STORE_KINDS, opener_for

EVENTS_LOG = "bot.adapters.discord.events"


def posts_in(fake: FakeDiscord, channel_id: int | str) -> list[Call]:
    return fake.find("POST", f"/channels/{channel_id}/messages")


async def answered(bot: DiscordBot, channel_id: int, user: FakeUser) -> bool:
    view = await bot.world.engine.streak(bot.channel(channel_id), str(user.id))
    return view.answered_open_round


@pytest.mark.parametrize("store_kind", STORE_KINDS)
async def test_subscribe_post_answer_reveal_leaderboard(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest, store_kind: str,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG, logger=EVENTS_LOG)
    general = fake.add_channel("general")
    bot = await DiscordBot.start(
        tmp_path / "bot.db", fake, open_store=opener_for(request, store_kind)
    )
    try:
        [reply] = await bot.subscribe(general)
        assert reply.flags & EPHEMERAL
        assert f"Subscribed <#{general}>: 09:30 Europe/Berlin, Mon–Fri" in reply.text

        # 07:00 UTC → 09:00 UTC: the 09:30 Berlin post (08:30 UTC) falls due.
        await bot.world.scheduler.advance(timedelta(hours=2))
        [post] = posts_in(fake, general)
        assert "Question of the day" in post.text
        assert re.search(r"<t:\d+:t> \(<t:\d+:R>\)", post.text), post.text
        assert "Pack: " in post.text and "Difficulty: " in post.text
        assert post.body["allowed_mentions"] == {"parse": []}
        [button] = post.body["components"][0]["components"]
        # The button names the post's delivery (found again by it after a crash).
        assert re.fullmatch(re.escape(ANSWER_ID) + r":\d+", button["custom_id"])
        assert button["label"] == "Answer"
        [thread_call] = fake.find("POST", rf"/channels/{general}/messages/\d+/threads")
        post_id = int(thread_call.path.split("/")[4])
        assert post_id in fake.messages
        assert thread_call.body["auto_archive_duration"] == 1440
        thread = post_id  # Discord: a thread started from a message takes its id

        alice_answer = fake.message_payload(thread, ALICE, "Bias is error from wrong assumptions.")
        bob_answer = fake.message_payload(thread, BOB, "Variance is sensitivity to the sample.")
        robot = FakeUser(800_000_000_000_000_009, "otherbot", bot=True)
        await fake.dispatch("MESSAGE_CREATE", fake.message_payload(thread, robot, "I am a bot"))
        await fake.dispatch("MESSAGE_CREATE", alice_answer)
        await fake.dispatch("MESSAGE_CREATE", bob_answer)
        await eventually(lambda: answered(bot, general, ALICE))
        await eventually(lambda: answered(bot, general, BOB))

        # A gateway resume replays Bob's message: it is stored once.
        fake.replay_on_resume = [("MESSAGE_CREATE", bob_answer)]
        await fake.ask_to_reconnect()
        await fake.wait_until(lambda: len(fake.resumes) == 1)
        await eventually(
            lambda: _logged(caplog, f"message={bob_answer['id']} thread={thread} outcome=duplicate")
        )
        assert not await answered(bot, general, robot)

        # 8 hours after the post: the reveal goes in the thread.
        await bot.world.scheduler.advance(timedelta(hours=8))
        [reveal] = posts_in(fake, thread)
        assert "Reference answer" in reveal.text
        assert "Key points" in reveal.text
        assert "Answered by 2" in reveal.text
        # Embeds name people by their stored names: a mention there shows a raw id to anyone
        # whose app has not loaded that member.
        assert "Alice" in reveal.text and "Bob" in reveal.text and "<@" not in reveal.text
        assert reveal.body["allowed_mentions"] == {"parse": []}
        # The Answer button comes off the post once the answer is out.
        [closed] = fake.find("PATCH", f"/channels/{general}/messages/{post_id}")
        assert closed.body["components"] == []

        [board] = await fake.interact(fake.slash("leaderboard", user=ALICE, channel_id=general))
        assert board.body["type"] == 4 and board.flags & EPHEMERAL
        assert "by current streak" in board.text
        for user in (ALICE, BOB):
            assert f"{user.name.title()} · streak 1 (best 1) · 1 answer" in board.text
        assert "<@" not in board.text

        [weekly] = await fake.interact(
            fake.slash(
                "leaderboard", {"window": "week", "scope": "server"}, user=BOB, channel_id=thread
            )
        )
        assert "Leaderboard of this server, by answers (the last week)" in weekly.text
        assert weekly.text.count("· 1 answer") == 2

        [streak] = await fake.interact(
            fake.slash("streak", {"user": BOB}, user=ALICE, channel_id=general)
        )
        assert streak.flags & EPHEMERAL
        assert f"<@{BOB.id}>'s current streak: 1 (best 1), 1 answer in all." in streak.text
    finally:
        await bot.stop()


async def test_modal_answers_when_message_content_is_off(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.adapters.discord")
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake, message_content=False)
    try:
        assert not fake.identifies[0]["intents"] & MESSAGE_CONTENT_INTENT
        assert "button/modal-only mode" in bot.adapter.describe()
        assert any("button/modal-only mode" in r.getMessage() for r in caplog.records)
        await bot.subscribe(general)

        deferred, followup = await fake.interact(
            fake.slash("practice", subcommand="post-now", user=ALICE, channel_id=general,
                       permissions=ADMIN),
            replies=2,
        )  # fmt: skip
        assert deferred.body["type"] == 5 and deferred.flags & EPHEMERAL  # answered in time
        assert "Posted today's question" in followup.text
        [post] = posts_in(fake, general)
        assert "Answer with the Answer button" in post.text
        post_id = next(iter(fake.messages))
        message = fake.messages[post_id]

        # Without the intent Discord sends thread messages with empty content: no answer.
        await fake.dispatch("MESSAGE_CREATE", fake.message_payload(post_id, BOB, ""))

        [button] = message["components"][0]["components"]  # Discord sends the one clicked
        click = fake.interaction(
            3, {"custom_id": button["custom_id"], "component_type": 2},
            user=ALICE, channel_id=general, message=message,
        )  # fmt: skip
        [modal] = await fake.interact(click)
        assert modal.body["type"] == 9
        modal_id = modal.body["data"]["custom_id"]
        text_input = _text_input(modal.body["data"]["components"])
        assert text_input["max_length"] == 4000

        submit = fake.interaction(
            5,
            {"custom_id": modal_id, "components": [{"type": 1, "components": [
                {"type": 4, "custom_id": text_input["custom_id"], "value": "Regularise."}]}]},
            user=ALICE, channel_id=general, message=message,
        )  # fmt: skip
        [saved] = await fake.interact(submit)
        assert saved.flags & EPHEMERAL
        assert "Your answer is in" in saved.text
        assert await answered(bot, general, ALICE)
        assert not await answered(bot, general, BOB)

        revealed, note = await fake.interact(
            fake.slash("practice", subcommand="reveal-now", user=ALICE, channel_id=general,
                       permissions=ADMIN),
            replies=2,
        )  # fmt: skip
        assert revealed.body["type"] == 5
        assert f"Revealed in <#{post_id}>" in note.text and "(1 person answered)" in note.text
        [reveal] = posts_in(fake, post_id)
        assert "Answered by 1: Alice" in reveal.text.replace("**", "")
    finally:
        await bot.stop()


def _text_input(components: list[dict[str, object]]) -> dict[str, object]:
    """The text input of a modal, whether in an action row or a label."""
    for component in components:
        if component.get("type") == 4:
            return component
        inner = component.get("components") or (
            [component["component"]] if "component" in component else []
        )
        found = _text_input(inner)  # type: ignore[arg-type]
        if found:
            return found
    return {}


def _logged(caplog: pytest.LogCaptureFixture, text: str) -> bool:
    return any(text in record.getMessage() for record in caplog.records)
