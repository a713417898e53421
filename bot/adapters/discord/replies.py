"""Answering interactions privately, and always within Discord's 3-second deadline.

Discord drops an interaction that gets no response within 3 s. Handlers run their engine
call through `in_time`: when it is not done after DEFER_AFTER_S the interaction is deferred
("thinking…") and the answer follows as a follow-up message instead. A button that changes
its own message (`update=True`) is deferred silently instead, and its message edited later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import TypeVar

import discord

from bot.adapters.discord import render
from bot.adapters.discord.limits import fit_content, fit_embeds
from bot.present.errors import APOLOGY, error_reply

log = logging.getLogger(__name__)
Interaction = discord.Interaction[discord.Client]
NO_MENTIONS = discord.AllowedMentions.none()
DEFER_AFTER_S = 1.5  # leaves room for the round trips inside the 3 s
T = TypeVar("T")
SORRY = APOLOGY


async def in_time(interaction: Interaction, work: Awaitable[T], *, update: bool = False) -> T:
    """Await the work; defer the response first if it is slow.

    `update`: the reply will edit the message the button (or the modal opened from it) is on,
    through `update_message`; otherwise it is a new ephemeral message, through `send_private`.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_S)
    if not done and not interaction.response.is_done():
        if update:
            await interaction.response.defer()  # "deferred update": no "thinking…" message
        else:
            await interaction.response.defer(ephemeral=True, thinking=True)
    return await task


async def send_private(
    interaction: Interaction,
    text: str | None = None,
    *,
    embeds: Sequence[discord.Embed] = (),
    view: discord.ui.View = discord.utils.MISSING,
    files: Sequence[discord.File] = (),
) -> None:
    """An ephemeral reply, whether or not the interaction was answered (or deferred) yet; its
    text and embeds are cut to Discord's limits here, whatever the caller built. `files` go as
    attachments (an embed shows one with `attachment://NAME`)."""
    text, shown = fit_content(text), fit_embeds(embeds)
    if interaction.response.is_done():
        await interaction.followup.send(
            text or "", embeds=shown, view=view, ephemeral=True,
            allowed_mentions=NO_MENTIONS, files=list(files),
        )  # fmt: skip
    else:
        await interaction.response.send_message(
            text, embeds=shown, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS,
            files=list(files),
        )  # fmt: skip


async def update_message(
    interaction: Interaction,
    content: str | None,
    *,
    embeds: Sequence[discord.Embed] | None = None,
    view: discord.ui.View | None,
) -> None:
    """Edit the message a button was pressed on (embeds=None keeps its embeds), whether or not
    the interaction was deferred (with `in_time(..., update=True)`) first."""
    content = fit_content(content)
    shown = discord.utils.MISSING if embeds is None else fit_embeds(embeds)
    if interaction.response.is_done():
        await interaction.edit_original_response(
            content=content, embeds=shown, view=view, allowed_mentions=NO_MENTIONS
        )
    else:
        await interaction.response.edit_message(
            content=content, embeds=shown, view=view, allowed_mentions=NO_MENTIONS
        )


async def answered_in_time(
    interaction: Interaction, what: str, work: Awaitable[T], *, update: bool = False
) -> T | None:
    """The work's result, or None once the person has been told why it failed (the engine's
    own message for a PracticeError; an apology, and a log entry, for anything else)."""
    try:
        return await in_time(interaction, work, update=update)
    except Exception as error:
        await send_private(interaction, render.show(error_reply(error, what, log)))
    return None
