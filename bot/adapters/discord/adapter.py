"""DiscordAdapter: the PlatformAdapter the runtime starts for Discord."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
import discord

from bot.adapters.discord.catchup import DiscordThreadReader
from bot.adapters.discord.client import PracticeClient, ShardedPracticeClient
from bot.adapters.discord.config import TOKEN_REJECTED, DiscordConfig
from bot.adapters.discord.publisher import DiscordPublisher
from bot.adapters.discord.refs import PLATFORM
from bot.adapters.discord.suggestions import DiscordNotes
from bot.core.catchup import Sleep, ThreadCatchUp
from bot.core.engine import Engine
from bot.core.ownership import SpaceShards
from bot.errors import PlatformUnreachableError, TokenRejectedError

log = logging.getLogger(__name__)

CONTENT_MODE = "message content mode: answers are read from the rounds' threads"
BUTTON_MODE = "button/modal-only mode: answers come through each post's Answer button"
# Thread history reads a minute when catching up: 5 a second, each thread a rate-limit bucket of
# its own, a tenth of the 50 requests a second Discord allows a bot in all, so posts keep room
# (discord.py waits out any 429 itself).
HISTORY_PER_MINUTE = 300


class DiscordAdapter:
    name = PLATFORM

    def __init__(
        self,
        engine: Engine,
        config: DiscordConfig,
        *,
        client_options: Mapping[str, Any] | None = None,  # e.g. guild_ready_timeout in tests
        catch_up_sleep: Sleep = asyncio.sleep,  # tests: a sleep that moves a manual clock
    ) -> None:
        self.engine = engine
        self.config = config
        # What was written in open rounds' threads while the bot was away (bot.core.catchup):
        # read on every new session, the first one included.
        self.catch_up = ThreadCatchUp(
            engine, PLATFORM, DiscordThreadReader(lambda: self._client),
            calls_per_minute=HISTORY_PER_MINUTE, sleep=catch_up_sleep,
        )  # fmt: skip
        self._client_options = dict(client_options or {})
        self._client: PracticeClient | None = None
        self._running: asyncio.Task[None] | None = None
        self._publisher = DiscordPublisher(lambda: self._client)
        engine.add_author_notifier(PLATFORM, DiscordNotes(lambda: self._client))
        if config.shard_count is not None:  # the others' servers are left to their processes
            engine.serve_shards(
                SpaceShards(PLATFORM, config.shard_count, frozenset(config.served_shards))
            )
        self._api_before: str | None = None

    @property
    def publisher(self) -> DiscordPublisher:
        return self._publisher

    @property
    def client(self) -> PracticeClient | None:
        return self._client

    @property
    def message_content(self) -> bool:
        return self._client.message_content if self._client else self.config.message_content

    def describe(self) -> str:
        user = self._client.user if self._client else None
        who = f" as {user}" if user else ""
        count = self.config.shard_count
        shards = (
            f", shards {','.join(map(str, self.config.served_shards))} of {count}"
            if count is not None
            else ""
        )
        return f"Discord{who} ({CONTENT_MODE if self.message_content else BUTTON_MODE}{shards})"

    async def start(self) -> None:
        """Log in, sync commands if they changed, connect, and return once the cache is ready."""
        try:
            await self._connect(message_content=self.config.message_content)
        except discord.LoginFailure:
            raise TokenRejectedError(TOKEN_REJECTED) from None
        except (aiohttp.ClientConnectionError, OSError, discord.GatewayNotFound) as error:
            raise PlatformUnreachableError(
                f"Cannot reach Discord ({error.__class__.__name__}: {error}). Check this "
                "machine's network, DNS and proxy; the bot connects when it is started again."
            ) from None
        except discord.PrivilegedIntentsRequired:
            if not self.config.message_content:
                raise
            log.warning(
                "Discord refused the Message Content intent: it is not enabled for this "
                "application in the developer portal (Bot → Privileged Gateway Intents). "
                "Carrying on without it."
            )
            await self._connect(message_content=False)
        log.info("Discord is in %s", CONTENT_MODE if self.message_content else BUTTON_MODE)

    async def _connect(self, *, message_content: bool) -> None:
        config = self.config
        if config.api_url is not None and self._api_before is None:
            self._api_before, discord.http.Route.BASE = discord.http.Route.BASE, config.api_url
        options = dict(self._client_options)
        kind: type[PracticeClient] = PracticeClient
        if config.shard_count is not None:
            kind = ShardedPracticeClient
            options |= {"shard_count": config.shard_count, "shard_ids": list(config.served_shards)}
        client = kind(
            self.engine,
            message_content=message_content,
            application_id=config.application_id,
            gateway_from_api=config.api_url is not None,
            **options,
        )
        self._client = client
        if message_content:  # without it history shows no text: answers come by the modal
            client.on_session = self.catch_up.request
        running = asyncio.create_task(client.start(self.config.token), name="discord-client")
        ready = asyncio.create_task(client.ready.wait())
        await asyncio.wait({running, ready}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            self._client = None
            await client.close()  # releases the HTTP session even after a failed login
            running.result()  # raises why it stopped (LoginFailure, PrivilegedIntentsRequired...)
            raise ConnectionError("the Discord connection closed before it was ready")
        self._running = running

    async def stop(self) -> None:
        await self.catch_up.stop()
        client, running = self._client, self._running
        if client is not None:
            await client.close()
        if running is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await running
        if self._api_before is not None:
            discord.http.Route.BASE, self._api_before = self._api_before, None

    def health(self) -> tuple[bool, str]:
        client = self._client
        if client is None or client.is_closed():
            return False, "not connected"
        if not client.is_ready():
            return False, "connecting to the gateway"
        return True, f"gateway latency {client.latency * 1000:.0f} ms"
