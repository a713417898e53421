"""/practice: the server managers' commands for the daily question in a channel."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.choices import AUTOCOMPLETE_LIMIT, Choices, pack_choices
from bot.adapters.discord.permissions import missing_to_post, needs_sentence
from bot.adapters.discord.refs import ROUND_CHANNEL_TYPES, channel_ref
from bot.adapters.discord.replies import Interaction, in_time, send_private
from bot.adapters.space_config import config_reply
from bot.core.engine import Engine
from bot.core.errors import InputError
from bot.core.models import ChannelRef
from bot.core.results import PostResult, PostStatus
from bot.core.schedule import search_timezones
from bot.core.spaces import SPACE_SETTINGS
from bot.present import admin, repair
from bot.present.parts import Native

REFUSAL = (
    "Only members with the Manage Server permission can change the daily practice here. "
    "Nothing was changed."
)


class PracticeGroup(app_commands.Group):
    """Discord hides these from members without Manage Server by default; a server can change
    that default, so each call is checked again here."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(
            name="practice",
            description="The daily question in this channel (needs Manage Server)",
            guild_only=True,
            allowed_contexts=app_commands.AppCommandContext(guild=True),
            default_permissions=discord.Permissions(manage_guild=True),
        )
        self.engine = engine

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        granted = interaction.permissions
        if granted.manage_guild or granted.administrator:
            return True
        await send_private(interaction, REFUSAL)
        return False

    @staticmethod
    def _channel(interaction: Interaction) -> tuple[ChannelRef, int]:
        channel = interaction.channel
        if interaction.guild_id is None or channel is None:
            raise InputError("Use /practice in a server channel.")
        if getattr(channel, "type", None) not in ROUND_CHANNEL_TYPES:
            raise InputError(
                "Use /practice in the text channel that should get the daily question "
                "(not in a thread or a voice channel)."
            )
        return channel_ref(interaction.guild_id, channel.id), channel.id

    async def _problem(self, channel: ChannelRef) -> str:
        return render.problem_note((await self.engine.status(channel)).subscription)

    @app_commands.command(
        name="subscribe", description="Post a question in this channel on a schedule"
    )
    @app_commands.describe(
        time="Post time on a 24-hour clock, e.g. 09:30",
        timezone="The team's timezone, e.g. Europe/Berlin",
        days="Days to post: mon-fri (default), daily, mon,wed,fri ...",
        reveal_after="When the answer is revealed after the post: 8h (default), 90m, 1d ...",
        packs="Only these packs, comma-separated (default: all)",
    )
    async def subscribe(
        self,
        interaction: Interaction,
        time: str,
        timezone: str,
        days: str | None = None,
        reveal_after: str | None = None,
        packs: str | None = None,
    ) -> None:
        channel, channel_id = self._channel(interaction)
        subscription = await in_time(
            interaction,
            self.engine.subscribe(
                channel,
                post_time=time,
                timezone=timezone,
                days=days,
                reveal_after=reveal_after,
                packs=packs,
                by=str(interaction.user.id),
            ),
        )
        next_post = await in_time(interaction, self.engine.next_post(subscription))
        text = render.show(admin.subscribed(subscription, next_post, (Native(f"<#{channel_id}>"),)))
        missing = missing_to_post(interaction.app_permissions)
        if missing:
            text += f"\n⚠️ {needs_sentence(missing)} Until then the daily post will fail."
        await send_private(interaction, text + render.problem_note(subscription))

    @subscribe.autocomplete("timezone")
    async def timezone_choices(self, interaction: Interaction, current: str) -> Choices:
        return [
            app_commands.Choice(name=zone, value=zone)
            for zone in search_timezones(current, AUTOCOMPLETE_LIMIT)
        ]

    @subscribe.autocomplete("packs")
    async def packs_choices(self, interaction: Interaction, current: str) -> Choices:
        return pack_choices(self.engine, current)

    @app_commands.command(name="unsubscribe", description="Stop the daily question in this channel")
    async def unsubscribe(self, interaction: Interaction) -> None:
        channel, _ = self._channel(interaction)
        done = await in_time(interaction, self.engine.unsubscribe(channel))
        await send_private(interaction, render.show(admin.unsubscribed(done, render.WORDS)))

    @app_commands.command(name="status", description="Schedule, open round and next question here")
    async def status(self, interaction: Interaction) -> None:
        channel, channel_id = self._channel(interaction)
        state = await in_time(interaction, self.engine.status(channel))
        assert interaction.guild_id is not None
        await send_private(interaction, render.status_text(state, interaction.guild_id, channel_id))

    @app_commands.command(
        name="post-now", description="Post today's question now (it replaces the scheduled one)"
    )
    async def post_now(self, interaction: Interaction) -> None:
        channel, channel_id = self._channel(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # posting talks to Discord
        result = await self.engine.post_now(channel)
        assert interaction.guild_id is not None
        await send_private(interaction, post_reply(result, interaction.guild_id, channel_id))

    @app_commands.command(name="reveal-now", description="Reveal the open round's answer now")
    async def reveal_now(self, interaction: Interaction) -> None:
        channel, _ = self._channel(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.engine.reveal_now(channel)
        thread = (Native(f"<#{result.round.thread_id}>"),) if result.round.thread_id else ()
        await send_private(
            interaction,
            render.show(admin.revealed(result, thread)) + await self._problem(channel),
        )


    @app_commands.command(
        name="streak-repair", description="A past round here breaks nobody's streak (bot was down)"
    )
    @app_commands.describe(date="The round's date, YYYY-MM-DD")
    async def streak_repair(self, interaction: Interaction, date: str) -> None:
        channel, _ = self._channel(interaction)
        done, new = await in_time(
            interaction, self.engine.repair_streaks(channel, date, by=str(interaction.user.id))
        )
        zone = await in_time(interaction, self.engine.channel_timezone(channel))
        await send_private(interaction, render.show(repair.repaired(done, new, zone)))

    @app_commands.command(name="config", description="This server's settings: list, show or set one")
    @app_commands.describe(
        key="The setting (leave out to list them all)",
        value="Its new value; default resets it (leave out to show it)",
    )
    async def config(
        self, interaction: Interaction, key: str | None = None, value: str | None = None
    ) -> None:
        channel, _ = self._channel(interaction)
        words = [w for w in (key, value) if w]
        if value and not key:
            raise InputError("Give the setting's key with its value.")
        reply = config_reply(
            self.engine, channel, words, str(interaction.user.id), command="/practice config"
        )
        await send_private(interaction, await in_time(interaction, reply))

    @config.autocomplete("key")
    async def config_keys(self, interaction: Interaction, current: str) -> Choices:
        return [
            app_commands.Choice(name=s.key, value=s.key)
            for s in SPACE_SETTINGS
            if current.strip().lower() in s.key
        ][:AUTOCOMPLETE_LIMIT]


def post_reply(result: PostResult, guild_id: int, channel_id: int) -> str:
    link = render.jump_url(guild_id, channel_id, result.round.message_id if result.round else None)
    shown = (Native(link),) if result.status in (PostStatus.POSTED, PostStatus.ALREADY) else ()
    return render.show(admin.post_reply(result, render.WORDS, shown))
