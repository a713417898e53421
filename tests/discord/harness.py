"""A bot on a real SQLite file, connected through the real discord.py client to FakeDiscord."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.config import DiscordConfig
from bot.adapters.discord.refs import PLATFORM, channel_ref
from bot.core.models import ChannelRef
from tests.discord.fake_discord import FakeDiscord, FakeUser
from tests.helpers import World

ALICE = FakeUser(700_000_000_000_000_001, "alice")
BOB = FakeUser(700_000_000_000_000_002, "bob")
MANAGE_GUILD = 1 << 5
MEMBER = 1 << 10 | 1 << 11  # view channel, send messages
ADMIN = MEMBER | MANAGE_GUILD
# Discord waits this long after the last GUILD_CREATE before READY: keep start-up quick.
CLIENT_OPTIONS: dict[str, Any] = {"guild_ready_timeout": 0.05}


def token_for(app_id: int) -> str:
    """A token shaped like Discord's: base64 of the bot's id, then two opaque segments."""
    return base64.b64encode(str(app_id).encode()).decode().rstrip("=") + ".Gfake0.not-a-secret"


@dataclass
class DiscordBot:
    world: World
    fake: FakeDiscord
    adapter: DiscordAdapter

    @classmethod
    async def start(
        cls, db_path: Path, fake: FakeDiscord, *, message_content: bool = True
    ) -> DiscordBot:
        world = await World.open(db_path, start=False)
        config = DiscordConfig(token_for(fake.app_id), message_content=message_content)
        adapter = DiscordAdapter(world.engine, config, client_options=CLIENT_OPTIONS)
        world.engine.add_publisher(PLATFORM, adapter.publisher)
        try:
            await adapter.start()
            await world.scheduler.start()
        except BaseException:
            await adapter.stop()
            await world.close()
            raise
        return cls(world, fake, adapter)

    async def stop(self) -> None:
        await self.adapter.stop()
        await self.world.close()

    def channel(self, channel_id: int) -> ChannelRef:
        return channel_ref(self.fake.guild_id, channel_id)

    async def subscribe(self, channel_id: int, time: str = "09:30", **options: str) -> list[Any]:
        """/practice subscribe as a server manager; returns the bot's replies."""
        payload = self.fake.slash(
            "practice", {"time": time, "timezone": "Europe/Berlin", **options},
            subcommand="subscribe", user=ALICE, channel_id=channel_id, permissions=ADMIN,
        )  # fmt: skip
        return await self.fake.interact(payload)
