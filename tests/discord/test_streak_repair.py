"""/practice streak-repair on Discord: managers only; /practice status lists the repairs."""

from __future__ import annotations

from pathlib import Path

from tests.discord.fake_discord import EPHEMERAL, FakeDiscord
from tests.discord.harness import ADMIN, ALICE, BOB, MEMBER, DiscordBot


async def test_discord_managers_repair_and_status_shows_it(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general)
        engine = bot.world.engine
        posted = await engine.post_now(bot.channel(general))
        assert posted.round is not None
        await engine.reveal_now(bot.channel(general))
        day = posted.round.local_date.isoformat()
        [refused] = await fake.interact(
            fake.slash("practice", {"date": day}, subcommand="streak-repair", user=BOB,
                       channel_id=general, permissions=MEMBER)
        )  # fmt: skip
        assert refused.flags & EPHEMERAL and "Manage Server" in refused.text
        [reply] = await fake.interact(
            fake.slash("practice", {"date": day}, subcommand="streak-repair", user=ALICE,
                       channel_id=general, permissions=ADMIN)
        )  # fmt: skip
        assert reply.flags & EPHEMERAL and reply.text.startswith(f"Repaired the round of {day}")
        [status] = await fake.interact(
            fake.slash("practice", subcommand="status", user=ALICE, channel_id=general,
                       permissions=ADMIN)
        )  # fmt: skip
        assert f"Streak repairs: {day} (by " in status.text
    finally:
        await bot.stop()
