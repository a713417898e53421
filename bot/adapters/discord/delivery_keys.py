"""Recognising a delivery on Discord after a crash: the mark each message carries, and the one
history call that looks for it.

A nonce makes Discord drop a repeat only within a few minutes, and a channel's history returns
no nonces. So every message the outbox sends also carries its delivery where the history shows
it and a reader does not: a post in its Answer button's custom id (`views.answer_id`), a reveal
in the `url` of the last embed of its last message (that embed has no title, and an embed
shows its url only as its title's link).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import aiohttp
import discord

from bot.adapters.discord.views import answer_id
from bot.core.models import Subscription
from bot.present.errors import error_text

log = logging.getLogger(__name__)
# The reserved .invalid domain (RFC 2606): a mark, never an address anyone can open.
REVEAL_MARK = "https://practicebot.invalid/deliveries/{}"
HISTORY_LIMIT = 100  # Discord's most per request: one call
CLOCK_MARGIN = timedelta(minutes=1)  # this machine's clock against Discord's


def reveal_mark(delivery_id: int) -> str:
    return REVEAL_MARK.format(delivery_id)


def mark_reveal(embeds: list[discord.Embed], delivery_id: int | None) -> list[discord.Embed]:
    """The last message of a reveal, marked with its delivery (when its last embed has no
    title, as the answerers' embed never has)."""
    if delivery_id is not None and embeds and embeds[-1].title is None:
        embeds[-1].url = reveal_mark(delivery_id)
    return embeds


def carries(message: discord.Message, delivery_id: int) -> bool:
    """Whether a message is (the last part of) the delivery."""
    if any(embed.url == reveal_mark(delivery_id) for embed in message.embeds):
        return True
    wanted = answer_id(delivery_id)
    return any(
        getattr(item, "custom_id", None) == wanted
        for row in message.components
        for item in getattr(row, "children", ())
    )


async def find(
    client: discord.Client,
    subscription: Subscription,
    delivery_id: int,
    thread_id: str | None,
    since: datetime,
) -> discord.Message | None:
    """The bot's message carrying `delivery_id` in the channel (or the thread `thread_id`),
    among the first 100 after `since`: one GET /channels/{id}/messages?after=… call. With
    `after`, Discord returns the messages just after that moment, so the delivery, sent right
    after its claim, is among them however busy the channel is later. A lookup that fails
    (no Read Message History, a 5xx) finds nothing: the delivery is sent again, with its
    nonce."""
    me = client.user
    if me is None:
        return None
    channel = subscription.channel
    target = client.get_partial_messageable(
        int(thread_id or channel.channel_id),
        guild_id=int(channel.space_id),
        type=discord.ChannelType.public_thread if thread_id else discord.ChannelType.text,
    )
    try:
        async for message in target.history(limit=HISTORY_LIMIT, after=since - CLOCK_MARGIN):
            if message.author.id == me.id and carries(message, delivery_id):
                return message
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
        log.warning(
            "could not look for delivery %s in channel=%s: %s",
            delivery_id, channel.key, error_text(str(error)),
        )  # fmt: skip
    return None
