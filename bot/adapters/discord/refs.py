"""Discord ids as the core's references: a channel is (discord, server id, channel id)."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.models import ChannelRef

PLATFORM = "discord"
ROUND_CHANNEL_TYPES = (discord.ChannelType.text, discord.ChannelType.news)
THREAD_TYPES = (
    discord.ChannelType.public_thread,
    discord.ChannelType.private_thread,
    discord.ChannelType.news_thread,
)


def channel_ref(guild_id: int, channel_id: int) -> ChannelRef:
    return ChannelRef(PLATFORM, str(guild_id), str(channel_id))


def round_channel(interaction: discord.Interaction[Any]) -> ChannelRef | None:
    """The channel whose rounds an interaction is about: a thread counts as its parent."""
    channel = interaction.channel
    if interaction.guild_id is None or channel is None:
        return None
    if isinstance(channel, discord.Thread):
        return channel_ref(interaction.guild_id, channel.parent_id)
    return channel_ref(interaction.guild_id, channel.id)
