"""Answering interactions privately, and always within Discord's 3-second deadline.

Discord drops an interaction that gets no response within 3 s. Handlers run their engine
call through `in_time`: when it is not done after DEFER_AFTER_S the interaction is deferred
("thinking…") and the answer follows as a follow-up message instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import TypeVar

import discord

Interaction = discord.Interaction[discord.Client]
NO_MENTIONS = discord.AllowedMentions.none()
DEFER_AFTER_S = 1.5  # leaves room for the round trips inside the 3 s
T = TypeVar("T")


async def in_time(interaction: Interaction, work: Awaitable[T]) -> T:
    """Await the work; defer the (ephemeral) response first if it is slow."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_S)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    return await task


async def send_private(
    interaction: Interaction,
    text: str | None = None,
    *,
    embeds: Sequence[discord.Embed] = (),
    view: discord.ui.View = discord.utils.MISSING,
) -> None:
    """An ephemeral reply, whether or not the interaction was answered (or deferred) yet."""
    if interaction.response.is_done():
        await interaction.followup.send(
            text or "", embeds=list(embeds), view=view, ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )  # fmt: skip
    else:
        await interaction.response.send_message(
            text, embeds=list(embeds), view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
