"""The discord.py client: intents, the command tree, and routing of gateway events."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord
import yarl
from discord import app_commands

from bot.adapters.discord import events, render
from bot.adapters.discord.commands import build_commands
from bot.adapters.discord.quiz_views import ShowAnswerButton, WriteAnswerButton
from bot.adapters.discord.ratings import QuizRatingButton, RoundRatingButton
from bot.adapters.discord.recap import RecapQuizButton
from bot.adapters.discord.replies import Interaction, send_private
from bot.adapters.discord.suggestions import ReviewButton
from bot.adapters.discord.sync import sync_if_changed
from bot.adapters.discord.views import AnswerButton, EngineClient
from bot.core.engine import Engine
from bot.present.errors import error_reply

log = logging.getLogger(__name__)


def intents(*, message_content: bool) -> discord.Intents:
    chosen = discord.Intents.none()
    chosen.guilds = True  # channels, threads and the bot's own roles: permission checks
    chosen.guild_messages = True  # answers, edits and deletes in the rounds' threads
    chosen.message_content = message_content  # privileged: enabled in the developer portal
    return chosen


class PracticeTree(app_commands.CommandTree[discord.Client]):
    async def on_error(
        self, interaction: Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if isinstance(cause, app_commands.CheckFailure) and interaction.response.is_done():
            return  # the check already told the user why
        command = interaction.command and interaction.command.qualified_name
        text = render.show(error_reply(cause, f"slash command {command}", log))
        try:
            await send_private(interaction, text)
        except discord.HTTPException as reply_error:
            log.warning("could not send an error reply: %s", reply_error)


class PracticeClient(EngineClient):
    def __init__(
        self,
        engine: Engine,
        *,
        message_content: bool,
        sync_commands: bool = True,
        gateway_from_api: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(
            intents=intents(message_content=message_content),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.engine = engine
        self.message_content = message_content
        self.sync_commands = sync_commands
        self.gateway_from_api = gateway_from_api  # DISCORD_API_URL: its /gateway/bot says where
        self.ready = asyncio.Event()
        # Called on every new gateway session (not on a resume, which replays what it missed).
        self.on_session: Callable[[], None] | None = None
        self.tree = PracticeTree(self)
        for command in build_commands(engine):
            self.tree.add_command(command)
        self.add_dynamic_items(
            AnswerButton, WriteAnswerButton, ShowAnswerButton, QuizRatingButton, RoundRatingButton,
            ReviewButton, RecapQuizButton,
        )  # fmt: skip

    async def setup_hook(self) -> None:
        if self.gateway_from_api:
            await use_gateway_of(self)
        if self.sync_commands:
            await sync_if_changed(self.tree, self.engine)

    async def on_ready(self) -> None:
        self.ready.set()
        if self.on_session is not None:
            self.on_session()

    async def on_message(self, message: discord.Message) -> None:
        # Without the Message Content intent the text is empty: answers come through the modal.
        if self.message_content:
            await events.message_created(self.engine, message)

    async def on_raw_message_edit(self, event: discord.RawMessageUpdateEvent) -> None:
        if self.message_content:
            await events.message_edited(self.engine, event)

    async def on_raw_message_delete(self, event: discord.RawMessageDeleteEvent) -> None:
        await events.message_deleted(self.engine, event.message_id)

    async def on_raw_bulk_message_delete(self, event: discord.RawBulkMessageDeleteEvent) -> None:
        for message_id in event.message_ids:
            await events.message_deleted(self.engine, message_id)


class ShardedPracticeClient(PracticeClient, discord.AutoShardedClient):
    """The same client over several shards (DISCORD_SHARD_COUNT, DISCORD_SHARD_IDS): one
    gateway connection per shard, each bringing only its servers' events."""


async def use_gateway_of(client: discord.Client) -> None:
    """Connect to the gateway the REST API names (`GET /gateway/bot`): discord.py asks it
    only for an AutoShardedClient without a shard count, and otherwise opens
    `DiscordWebSocket.DEFAULT_GATEWAY`, which a session reset also falls back to."""
    _, url, _ = await client.http.get_bot_gateway()
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
    log.info("Discord gateway: %s", url)
