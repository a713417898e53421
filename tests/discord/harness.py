"""A bot on a real SQLite file, connected through the real discord.py client to FakeDiscord."""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.config import DiscordConfig
from bot.adapters.discord.refs import PLATFORM, channel_ref
from bot.bank.models import Bank
from bot.core.engine import Engine, EngineSettings
from bot.core.models import ChannelRef
from bot.core.ports import StoreOpener
from bot.grading.base import Feedback, Grader, KeyPointVerdict
from bot.scheduler import ManualScheduler
from bot.store import SqliteStore
from tests.discord.fake_discord import Call, FakeDiscord, FakeUser, Json
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
        cls,
        db_path: Path,
        fake: FakeDiscord,
        *,
        message_content: bool = True,
        grader: Grader | None = None,
        bank: Bank | None = None,
        open_store: StoreOpener = SqliteStore.open,
    ) -> DiscordBot:
        """`grader`: the engine grades written answers with it. Review intervals are never
        fuzzed here, so due dates are exact."""
        world = await World.open(
            db_path, start=False, settings=EngineSettings(review_fuzz=False), bank=bank,
            open_store=open_store,
        )  # fmt: skip
        if grader is not None:
            world.engine = Engine(
                world.store, world.bank, world.clock, world.engine.settings,
                rng=random.Random(7), grader=grader,
            )  # fmt: skip
            world.scheduler = ManualScheduler(world.engine, world.clock)
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


class OrdinalGrader:
    """A grader for tests: the fixture bank's key points read "The first point about …", "The
    second point …"; a point is covered when the answer names its ordinal word."""

    name = "ordinal"

    async def grade(self, key_points: Sequence[str], answer: str, reference: str = "") -> Feedback:
        words = set(re.findall(r"[a-z]+", answer.lower()))
        return Feedback.from_verdicts(
            [KeyPointVerdict(point, point.split()[1].lower() in words, 1.0) for point in key_points]
        )


def press(fake: FakeDiscord, message: Call, label: str, *, user: FakeUser, channel_id: int) -> Json:
    """A click on the button with this label, on a message the bot sent (Discord sends the
    message, components included, with the click)."""
    [button] = [b for b in message.buttons if b.get("label") == label]
    on = fake.message_payload(
        channel_id, fake.bot, components=message.components, flags=message.flags
    )
    return fake.interaction(
        3, {"custom_id": button["custom_id"], "component_type": 2},
        user=user, channel_id=channel_id, message=on,
    )  # fmt: skip


def submit(
    fake: FakeDiscord, modal: Call, text: str, *, user: FakeUser, channel_id: int, on: Call
) -> Json:
    """The modal the bot opened (a type 9 callback), sent back with `text` in its text input;
    `on` is the message whose button opened it."""
    data = modal.body["data"]
    values: list[Json] = []
    for component in data["components"]:
        if component["type"] == 18:  # a label around the input
            typed = {**component["component"], "value": text}
            values.append({"type": 18, "component": typed})
        elif component["type"] == 1:
            values.append({"type": 1, "components": [
                {**c, "value": text} for c in component["components"]]})  # fmt: skip
    message = fake.message_payload(channel_id, fake.bot, components=on.components, flags=on.flags)
    return fake.interaction(
        5, {"custom_id": data["custom_id"], "components": values},
        user=user, channel_id=channel_id, message=message,
    )  # fmt: skip
