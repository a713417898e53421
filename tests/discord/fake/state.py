"""What the fake Discord knows: the bot's guilds, their channels, DMs and stored messages."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yarl

Json = dict[str, Any]
API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1_420_070_400_000


@dataclass(frozen=True)
class FakeUser:
    id: int
    name: str
    bot: bool = False

    def payload(self) -> Json:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }

    def member(self, permissions: int | None = None, roles: Iterable[int] = ()) -> Json:
        member: Json = {
            "user": self.payload(),
            "roles": [str(r) for r in roles],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
        }
        if permissions is not None:
            member["permissions"] = str(permissions)
        return member


@dataclass
class GuildState:
    """The fake's Discord: the bot's servers, their channels, its DMs, the stored messages, and
    the ids Discord gives them. Every other layer of FakeDiscord is built on it."""

    app_id: int = 900_000_000_000_000_001
    guild_id: int = 910_000_000_000_000_001
    bot_permissions: int = 309_237_730_304  # what the invite grants the bot's role
    channels: dict[int, Json] = field(default_factory=dict)
    messages: dict[int, Json] = field(default_factory=dict)
    dm_channels: dict[int, int] = field(default_factory=dict)  # DM channel id → user id
    closed_dms: set[int] = field(default_factory=set)  # users who accept no DMs from the bot
    managers: set[int] = field(default_factory=set)  # have the Managers role (Manage Server)
    manager_role_id: int = 900_000_000_000_000_001
    guilds: list[int] = field(default_factory=list)  # the bot's servers; guild_id first
    message_time: Callable[[], datetime] | None = None  # set: time-based message ids
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1_000_000_000_000_000_001))
    _last_message: int = 0
    port: int = 0  # the loopback server's, once started

    def __post_init__(self) -> None:
        self.bot = FakeUser(self.app_id, "practicebot", bot=True)
        self.owner = FakeUser(self.next_id(), "owner")
        self.bot_role_id = self.next_id()
        self.guilds.insert(0, self.guild_id)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> yarl.URL:
        return yarl.URL(f"ws://127.0.0.1:{self.port}/")

    def next_id(self) -> int:
        return next(self._ids)

    def next_message_id(self) -> int:
        if self.message_time is None:
            return self.next_id()
        moment = int(self.message_time().timestamp() * 1000) - DISCORD_EPOCH_MS
        self._last_message = max(self._last_message + 1, moment << 22)
        return self._last_message

    def add_guild(self, shard: int = 0, count: int = 1) -> int:
        """Another server with the bot in it, on shard `shard` of `count`."""
        guild_id = self.next_id()
        while (guild_id >> 22) % count != shard:
            guild_id += 1 << 22
        self.guilds.append(guild_id)
        return guild_id

    def guild_of(self, channel_id: int) -> int:
        """The server of a channel, or of a thread (by its parent, or its starter message)."""
        channel = self.channels.get(channel_id)
        if channel is None:
            message = self.messages.get(channel_id)
            channel = self.channels.get(int(message["channel_id"])) if message else None
        return int(channel["guild_id"]) if channel else self.guild_id

    def add_channel(self, name: str, *, deny_bot: int = 0, guild: int | None = None) -> int:
        """A text channel (in `guild`, else the first server); `deny_bot` permission bits are
        denied to the bot's role there."""
        channel_id = self.next_id()
        overwrites = (
            [{"id": str(self.bot_role_id), "type": 0, "allow": "0", "deny": str(deny_bot)}]
            if deny_bot
            else []
        )
        self.channels[channel_id] = {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(guild or self.guild_id),
            "name": name,
            "position": len(self.channels),
            "permission_overwrites": overwrites,
            "parent_id": None,
            "nsfw": False,
            "topic": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
        }
        return channel_id

    def channel_messages(self, channel: int) -> list[Json]:
        """The messages stored in a channel or thread, oldest first."""
        found = [m for m in self.messages.values() if int(m["channel_id"]) == channel]
        return sorted(found, key=lambda m: int(m["id"]))
