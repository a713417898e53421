"""Answers in a round's thread: edits and deletes follow through raw gateway events."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.discord.fake_discord import Call, FakeDiscord, eventually
from tests.discord.harness import ALICE, BOB, DiscordBot

EVENTS_LOG = "bot.adapters.discord.events"


def _logged(caplog: pytest.LogCaptureFixture, text: str) -> bool:
    return any(text in record.getMessage() for record in caplog.records)


async def test_edits_and_deletes_follow_the_answer(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=EVENTS_LOG)
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general)
        await bot.world.scheduler.advance(timedelta(hours=2))
        state = await bot.world.engine.status(bot.channel(general))
        assert state.open_round is not None and state.open_round.thread_id is not None
        round_id, thread = state.open_round.id, int(state.open_round.thread_id)

        async def answer_of(user_id: int) -> str:
            return await bot.world.store.answer_text(round_id, str(user_id))

        first = fake.message_payload(thread, ALICE, "Dropout is a regulariser")
        await fake.dispatch("MESSAGE_CREATE", first)

        async def alice_answered() -> bool:
            return await answer_of(ALICE.id) == "Dropout is a regulariser"

        await eventually(alice_answered)

        edited_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC).isoformat()
        edit = fake.message_payload(
            thread, ALICE, "Dropout is a regulariser: it drops units at random",
            message_id=int(first["id"]), edited=edited_at,
        )  # fmt: skip
        await fake.dispatch("MESSAGE_UPDATE", edit)

        async def alice_edited() -> bool:
            return await answer_of(ALICE.id) == str(edit["content"])

        await eventually(alice_edited)
        # The same edit delivered again (a resume) changes nothing.
        await fake.dispatch("MESSAGE_UPDATE", edit)
        await eventually(
            lambda: _logged(caplog, f"edit of message={first['id']} outcome=duplicate")
        )
        # An update without an edit time is Discord unfurling a link, not an edit.
        unfurl = fake.message_payload(thread, ALICE, "something else", message_id=int(first["id"]))
        await fake.dispatch("MESSAGE_UPDATE", unfurl)

        # A second message from Bob, then its deletion: Bob no longer has an answer.
        bob = fake.message_payload(thread, BOB, "No idea, but here goes")
        await fake.dispatch("MESSAGE_CREATE", bob)

        async def bob_answered() -> bool:
            return bool(await answer_of(BOB.id))

        await eventually(bob_answered)
        await fake.dispatch(
            "MESSAGE_DELETE",
            {"id": bob["id"], "channel_id": str(thread), "guild_id": str(fake.guild_id)},
        )

        async def bob_gone() -> bool:
            return not await answer_of(BOB.id)

        await eventually(bob_gone)
        assert await answer_of(ALICE.id) == edit["content"]  # the unfurl did not touch it
        view = await bot.world.engine.streak(bot.channel(general), str(BOB.id))
        assert not view.answered_open_round

        # An answer longer than the limit is kept cut, and its author is told in the thread.
        long_text = "x " * 2100
        await fake.dispatch("MESSAGE_CREATE", fake.message_payload(thread, BOB, long_text))
        [notice] = await _wait_posts(fake, thread)
        assert notice.body["content"].startswith("Your answer was over 4,000 characters")
        assert notice.body["allowed_mentions"]["replied_user"] is False
        assert len(await answer_of(BOB.id)) == 4000
    finally:
        await bot.stop()


async def _wait_posts(fake: FakeDiscord, channel_id: int) -> list[Call]:
    path = f"/channels/{channel_id}/messages"
    await fake.wait_until(lambda: bool(fake.find("POST", path)))
    return fake.find("POST", path)
