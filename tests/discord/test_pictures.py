"""Pictures on Discord: the leaderboard card and the streak calendar as attachments shown in
the embed, with the text alternative beside them."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests.discord.fake_discord import EPHEMERAL, FakeDiscord
from tests.discord.harness import ALICE, BOB, DiscordBot
from tests.discord.test_missed import _alice_misses_one


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


async def test_leaderboard_and_streak_attach_their_pictures(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        [empty] = await fake.interact(fake.slash("leaderboard", user=ALICE, channel_id=general))
        assert empty.files == {} and "Nobody has answered yet" in empty.text  # text only
        await bot.subscribe(general, days="daily")
        await _alice_misses_one(bot, general)

        [board] = await fake.interact(fake.slash("leaderboard", user=ALICE, channel_id=general))
        assert board.flags & EPHEMERAL
        [embed] = board.embeds
        assert embed["image"]["url"] == "attachment://leaderboard.png"
        assert set(board.files) == {"leaderboard.png"}
        assert _size(board.files["leaderboard.png"])[0] > 0
        # The text too, by name: an embed shows stored names, not mentions (DiscordStyle).
        assert ALICE.name in board.text and BOB.name in board.text
        assert f"<@{ALICE.id}>" not in board.text
        [attachment] = board.body["data"]["attachments"]
        assert attachment["description"].startswith("Leaderboard")

        [streak] = await fake.interact(fake.slash("streak", user=ALICE, channel_id=general))
        [embed] = streak.embeds
        assert embed["image"]["url"] == "attachment://streak.png"
        assert set(streak.files) == {"streak.png"} and "streak" in streak.text.lower()
        # Unchanged data: the same picture (from the cache), byte for byte.
        [again] = await fake.interact(fake.slash("streak", user=ALICE, channel_id=general))
        assert again.files == streak.files
    finally:
        await bot.stop()
