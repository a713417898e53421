"""Slash commands and buttons through the real client: refusals, bad input, the quiz."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord import replies
from bot.adapters.discord.commands import REFUSAL
from bot.core.models import Leaderboard
from tests.discord.fake_discord import EPHEMERAL, FakeDiscord
from tests.discord.harness import ADMIN, ALICE, BOB, MEMBER, DiscordBot


async def test_practice_refuses_members_without_manage_server(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        for subcommand, options in (("subscribe", {"time": "09:30", "timezone": "UTC"}),
                                    ("post-now", {}), ("unsubscribe", {})):  # fmt: skip
            [reply] = await fake.interact(
                fake.slash("practice", options, subcommand=subcommand, user=BOB,
                           channel_id=general, permissions=MEMBER)
            )  # fmt: skip
            assert reply.body["type"] == 4 and reply.flags & EPHEMERAL
            assert reply.text == REFUSAL
        state = await bot.world.engine.status(bot.channel(general))
        assert state.subscription is None
        assert not fake.find("POST", f"/channels/{general}/messages")

        # Administrator counts as Manage Server.
        [allowed] = await fake.interact(
            fake.slash("practice", {"time": "10:00", "timezone": "UTC"}, subcommand="subscribe",
                       user=BOB, channel_id=general, permissions=MEMBER | 1 << 3)
        )  # fmt: skip
        assert allowed.text.startswith(f"Subscribed <#{general}>: 10:00 UTC")
    finally:
        await bot.stop()


async def test_bad_arguments_get_a_clear_reply_and_change_nothing(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        [bad_zone] = await bot.subscribe(general, timezone="Europe/Berln")
        assert bad_zone.flags & EPHEMERAL
        assert bad_zone.text == "Unknown timezone 'Europe/Berln' — did you mean 'Europe/Berlin'?"
        [bad_time] = await bot.subscribe(general, time="9.30")
        assert "Time must be HH:MM" in bad_time.text
        [bad_days] = await bot.subscribe(general, days="someday")
        assert "Unknown day 'someday'. Days look like 'mon-fri'" in bad_days.text
        assert (await bot.world.engine.status(bot.channel(general))).subscription is None

        [choices] = await fake.interact(
            fake.slash("practice", {"time": "09:30", "timezone": "berl"}, subcommand="subscribe",
                       user=ALICE, channel_id=general, permissions=ADMIN, focused="timezone")
        )  # fmt: skip
        assert choices.body["type"] == 8
        names = [c["value"] for c in choices.body["data"]["choices"]]
        assert names[0] == "Europe/Berlin" and len(names) <= 25

        [good] = await bot.subscribe(general, days="mon,wed", reveal_after="90m", packs="alpha")
        assert "09:30 Europe/Berlin, Mon, Wed, reveal after 1h30m" in good.text

        # In a thread, /practice says where to use it.
        thread = fake.next_id()
        fake.messages[thread] = fake.message_payload(general, fake.bot)
        [in_thread] = await fake.interact(
            fake.slash("practice", subcommand="status", user=ALICE, channel_id=thread,
                       permissions=ADMIN)
        )  # fmt: skip
        assert "Use /practice in the text channel" in in_thread.text
    finally:
        await bot.stop()


async def test_quiz_is_private_and_shows_its_answer_on_a_button(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        [packs] = await fake.interact(
            fake.slash("quiz", {"pack": "al"}, user=ALICE, channel_id=general, focused="pack")
        )
        assert [c["value"] for c in packs.body["data"]["choices"]] == ["alpha"]

        [card] = await fake.interact(
            fake.slash("quiz", {"pack": "alpha"}, user=ALICE, channel_id=general)
        )
        assert card.flags & EPHEMERAL
        assert "Quiz: just for you" in card.text and "Pack: Alpha" in card.text
        write, show = card.body["data"]["components"][0]["components"]
        assert (write["label"], show["label"]) == ("Write an answer", "Show answer")
        assert show["custom_id"].startswith("practicebot:quiz:")
        button = show

        # Discord sends the message the button is on, components included.
        quiz_message = fake.message_payload(
            general, fake.bot, components=card.body["data"]["components"], flags=EPHEMERAL
        )
        click = fake.interaction(
            3, {"custom_id": button["custom_id"], "component_type": 2}, user=ALICE,
            channel_id=general, message=quiz_message,
        )  # fmt: skip
        [answer] = await fake.interact(click)
        assert answer.body["type"] == 7  # the private card turns into its answer
        assert "Reference answer" in answer.text and "Key points" in answer.text

        # Someone else pressing it (a forwarded id) is told the quiz is not theirs.
        stolen = fake.interaction(
            3, {"custom_id": button["custom_id"], "component_type": 2}, user=BOB,
            channel_id=general, message=quiz_message,
        )  # fmt: skip
        [refused] = await fake.interact(stolen)
        assert "That quiz belongs to someone else" in refused.text

        [unknown] = await fake.interact(
            fake.slash("quiz", {"pack": "gamma"}, user=ALICE, channel_id=general)
        )
        assert unknown.text == "Unknown pack 'gamma'. Packs: alpha, beta."
    finally:
        await bot.stop()


async def test_status_and_unsubscribe(tmp_path: Path, fake: FakeDiscord) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        status = fake.slash("practice", subcommand="status", user=ALICE, channel_id=general,
                            permissions=ADMIN)  # fmt: skip
        [before] = await fake.interact(status)
        assert "This channel is not subscribed" in before.text
        await bot.subscribe(general)
        [after] = await fake.interact(
            fake.slash("practice", subcommand="status", user=ALICE, channel_id=general,
                       permissions=ADMIN)
        )  # fmt: skip
        assert "Schedule: 09:30 Europe/Berlin, Mon–Fri, reveal after 8h" in after.text
        assert "Next question: <t:" in after.text
        [gone] = await fake.interact(
            fake.slash("practice", subcommand="unsubscribe", user=ALICE, channel_id=general,
                       permissions=ADMIN)
        )  # fmt: skip
        assert gone.text.startswith("Unsubscribed")
        state = await bot.world.engine.status(bot.channel(general))
        assert state.subscription is not None and not state.subscription.active
    finally:
        await bot.stop()


async def test_slow_work_is_deferred_so_discord_gets_an_answer_in_time(
    tmp_path: Path, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replies, "DEFER_AFTER_S", 0.01)
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        release = asyncio.Event()
        leaderboard = bot.world.engine.leaderboard

        async def slow_leaderboard(*args: Any, **kwargs: Any) -> Leaderboard:
            await release.wait()  # the database is busy until the test says so
            return await leaderboard(*args, **kwargs)

        monkeypatch.setattr(bot.world.engine, "leaderboard", slow_leaderboard)
        payload = fake.slash("leaderboard", user=ALICE, channel_id=general)
        answered = asyncio.create_task(fake.interact(payload, replies=2))
        deferral = await fake.wait_for_call(lambda call: payload["token"] in call.path)
        assert deferral.body["type"] == 5 and deferral.flags & EPHEMERAL
        assert not answered.done()
        release.set()
        _, followup = await answered
        assert followup.path.startswith(f"/webhooks/{fake.app_id}/")
        assert followup.flags & EPHEMERAL
        assert "Nobody has answered yet" in followup.text
    finally:
        await bot.stop()


async def test_practice_config_for_server_managers(tmp_path: Path, fake: FakeDiscord) -> None:
    from bot.core.spaces import WEEKLY_RECAP

    general = fake.add_channel("general")
    other = fake.add_channel("other")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        [refused] = await fake.interact(
            fake.slash("practice", {"key": "weekly-recap", "value": "on"}, subcommand="config",
                       user=BOB, channel_id=general, permissions=MEMBER)
        )  # fmt: skip
        assert refused.text == REFUSAL
        [listing] = await fake.interact(
            fake.slash("practice", {}, subcommand="config", user=ALICE, channel_id=general,
                       permissions=ADMIN)
        )  # fmt: skip
        assert listing.flags & EPHEMERAL and "weekly-recap = off (default)" in listing.text
        [bad] = await fake.interact(
            fake.slash("practice", {"key": "weekly-recap", "value": "maybe"}, subcommand="config",
                       user=ALICE, channel_id=general, permissions=ADMIN)
        )  # fmt: skip
        assert "weekly-recap must be on or off (got 'maybe'). Nothing was changed." in bad.text
        [good] = await fake.interact(
            fake.slash("practice", {"key": "weekly-recap", "value": "on"}, subcommand="config",
                       user=ALICE, channel_id=general, permissions=ADMIN)
        )  # fmt: skip
        assert good.text == "✓ weekly-recap is now on."
        assert await bot.world.engine.space_value(bot.channel(general), WEEKLY_RECAP) is True
        # The weekly recap is the channel's: the server's other channels keep theirs.
        assert await bot.world.engine.space_value(bot.channel(other), WEEKLY_RECAP) is False
    finally:
        await bot.stop()
