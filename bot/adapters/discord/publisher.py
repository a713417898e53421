"""Posting rounds and reveals in Discord, and turning Discord's refusals into PublishErrors.

A round is an embed in the channel with the Answer button, and a public thread started from
it where answers go. A reveal is one or more embed messages in that thread, the last with
rating buttons when someone answered. Each opted-in answerer's feedback, and the admin's notice
of a channel's problem, are direct messages. Every message carries its delivery's nonce.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import aiohttp
import discord

from bot.adapters.discord import delivery_keys, render
from bot.adapters.discord.client import PracticeClient
from bot.adapters.discord.limits import CONTENT_LIMIT, clip, fit_embed, fit_embeds
from bot.adapters.discord.permissions import SEND_IN_THREADS, missing_to_post, needs_sentence
from bot.adapters.discord.ratings import round_rating_view
from bot.adapters.discord.recap import recap_message
from bot.adapters.discord.replies import NO_MENTIONS
from bot.adapters.discord.views import round_view
from bot.core.errors import PublishError, PublishFailure
from bot.core.models import Subscription
from bot.core.ports import (
    FeedbackPost,
    NoticePost,
    PostedRef,
    RecapPost,
    RevealPost,
    RoundPost,
    delivery_nonce,
)
from bot.present import admin
from bot.present.errors import error_text
from bot.present.parts import Native

log = logging.getLogger(__name__)
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440  # a day: the thread stays open past any reveal
GONE = "The channel was deleted, or the bot can no longer see it."
DMS_CLOSED = "Discord refused the direct message (error code {code}): their DMs are closed."
MISSING_ACCESS = 50001  # Discord's error code when the bot cannot see the channel at all
Postable = discord.TextChannel  # news channels are TextChannel objects in discord.py


class DiscordPublisher:
    def __init__(self, client: Callable[[], PracticeClient | None]) -> None:
        self._client = client  # the adapter's current client (None before start)

    def _connected(self) -> PracticeClient:
        client = self._client()
        if client is None or client.is_closed():
            raise PublishError(PublishFailure.TRANSIENT, "Discord is not connected.")
        return client

    async def post_round(self, post: RoundPost) -> PostedRef:
        client = self._connected()
        channel = await self._channel(client, int(post.subscription.channel.channel_id))
        me = channel.guild.me
        if me is not None:  # the cache knows the bot's roles: name what is missing up front
            missing = missing_to_post(channel.permissions_for(me))
            if missing:
                raise PublishError(PublishFailure.FORBIDDEN, needs_sentence(missing))
        embed = render.round_embed(post, message_content=client.message_content)
        try:
            # The delivery's nonce: discord.py sends it with enforce_nonce, so Discord returns
            # the first message instead of creating a second for a repeat within its window.
            message = await channel.send(
                embed=fit_embed(embed), view=round_view(post.delivery_id),
                allowed_mentions=NO_MENTIONS, nonce=_nonce(post.delivery_id),
            )  # fmt: skip
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
            raise _failure(error, channel, ["Send Messages", "Embed Links"]) from error
        name = render.thread_name(post.question, post.round.local_date)
        return await _open_thread(message, name, channel)

    async def find_delivery(
        self,
        subscription: Subscription,
        delivery_id: int,
        thread_id: str | None,
        since: datetime,
    ) -> PostedRef | None:
        """A delivery in doubt after a crash, looked for in the channel's (a reveal: the
        thread's) history with one call (`delivery_keys`). A post found without its thread
        gets it now; a reveal found takes the Answer button off its post, as a sent one does."""
        client = self._connected()
        found = await delivery_keys.find(client, subscription, delivery_id, thread_id, since)
        if found is None:
            return None
        channel_id = int(subscription.channel.channel_id)
        if thread_id is not None:
            await _close_answers(client, channel_id, int(thread_id))  # the post's id, on Discord
            return PostedRef(message_id=str(found.id), thread_id=thread_id)
        if found.flags.has_thread:  # a thread started from a message has the message's id
            return PostedRef(message_id=str(found.id), thread_id=str(found.id))
        channel = await self._channel(client, channel_id)
        question = found.embeds[0].description if found.embeds else None
        day = found.created_at.astimezone(ZoneInfo(subscription.schedule.timezone)).date()
        return await _open_thread(found, render.thread_title(question or "", day), channel)

    async def post_recap(self, recap: RecapPost) -> PostedRef:
        """The weekly recap: a message of its own in the channel, before the question."""
        return await _send_recap(self._connected(), recap)

    async def send_notice(self, notice: NoticePost) -> PostedRef:
        """The channel's problem, by DM to whoever subscribed it."""
        channel = notice.subscription.channel.channel_id
        words = admin.problem_notice(
            (Native(f"<#{channel}>"),), notice.problem, paused=notice.paused
        )
        return await _send_dm(
            self._connected(), notice.admin_id, notice.delivery_id,
            content=clip(render.show(words), CONTENT_LIMIT),
        )  # fmt: skip

    async def send_feedback(self, post: FeedbackPost) -> PostedRef:
        """One opted-in answerer's feedback, by DM, with the round's rating buttons."""
        return await _send_dm(
            self._connected(), post.user_id, post.delivery_id,
            embed=fit_embed(render.daily_feedback_embed(post, post.feedback)),
            view=round_rating_view(post.round.id, post.feedback.suggested_rating),
        )  # fmt: skip

    async def post_reveal(self, reveal: RevealPost) -> None:
        client = self._connected()
        guild_id = int(reveal.subscription.channel.space_id)
        channel_id = int(reveal.subscription.channel.channel_id)
        thread_id = reveal.round.thread_id or reveal.round.message_id
        messages = render.reveal_messages(reveal.question, reveal.answerers)
        rating = round_rating_view(reveal.round.id) if reveal.answerers else None
        target = client.get_partial_messageable(
            int(thread_id) if thread_id else channel_id,
            guild_id=guild_id,
            type=discord.ChannelType.public_thread if thread_id else discord.ChannelType.text,
        )
        try:
            await _send_all(target, messages, rating, reveal.delivery_id)
        except discord.NotFound:
            # The thread was deleted: reveal in the channel rather than not at all.
            log.warning("round thread gone, revealing in the channel round=%s", reveal.round.id)
            fallback = client.get_partial_messageable(channel_id, guild_id=guild_id)
            try:
                await _send_all(fallback, messages, rating, reveal.delivery_id)
            except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
                raise _failure(error, None, ["Send Messages", "Embed Links"]) from error
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
            raise _failure(error, None, [SEND_IN_THREADS]) from error
        if reveal.round.message_id:
            await _close_answers(client, channel_id, int(reveal.round.message_id))

    async def _channel(self, client: PracticeClient, channel_id: int) -> Postable:
        channel = client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await client.fetch_channel(channel_id)
            except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
                raise _failure(error, None, ["View Channel"]) from error
        if not isinstance(channel, discord.TextChannel):
            raise PublishError(
                PublishFailure.CHANNEL_GONE, "The channel is no longer a text channel."
            )
        return channel


async def _open_thread(message: discord.Message, name: str, channel: Postable) -> PostedRef:
    """The round's thread, started from its post."""
    try:
        thread = await message.create_thread(
            name=name, auto_archive_duration=THREAD_ARCHIVE_MINUTES
        )
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
        # A question without its thread cannot take answers: take it back, report why.
        await _withdraw(message)
        raise _failure(error, channel, ["Create Public Threads"]) from error
    return PostedRef(message_id=str(message.id), thread_id=str(thread.id))


async def _send_recap(client: PracticeClient, recap: RecapPost) -> PostedRef:
    channel = client.get_partial_messageable(
        int(recap.subscription.channel.channel_id), guild_id=int(recap.subscription.channel.space_id)
    )
    embed, view = recap_message(recap)
    try:
        message = await channel.send(
            embed=embed, view=view or discord.utils.MISSING, allowed_mentions=NO_MENTIONS,
            nonce=_nonce(recap.delivery_id),
        )  # fmt: skip
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
        raise _failure(error, None, ["Send Messages", "Embed Links"]) from error
    return PostedRef(message_id=str(message.id), thread_id=str(message.id))


async def _send_dm(
    client: PracticeClient, user_id: str, delivery_id: int | None, **message: Any
) -> PostedRef:
    """A direct message; 50007 (the person's DMs are closed) is a Forbidden: parked."""
    try:
        dm = await client.create_dm(discord.Object(int(user_id)))
        sent = await dm.send(allowed_mentions=NO_MENTIONS, nonce=_nonce(delivery_id), **message)
    except discord.Forbidden as error:
        raise PublishError(PublishFailure.FORBIDDEN, DMS_CLOSED.format(code=error.code)) from error
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
        raise _failure(error, None, []) from error
    return PostedRef(message_id=str(sent.id), thread_id=str(dm.id))


async def _send_all(
    target: discord.PartialMessageable,
    messages: list[list[discord.Embed]],
    last_view: discord.ui.View | None,
    delivery_id: int | None = None,
) -> None:
    for number, embeds in enumerate(messages, 1):
        last = number == len(messages)
        view = last_view if last and last_view else discord.utils.MISSING
        fitted = fit_embeds(embeds)
        await target.send(
            embeds=delivery_keys.mark_reveal(fitted, delivery_id) if last else fitted,
            view=view, allowed_mentions=NO_MENTIONS, nonce=_nonce(delivery_id, number),
        )  # fmt: skip


def _nonce(delivery_id: int | None, part: int = 1) -> Any:
    """A delivery's nonce (one per message of a reveal that takes several); none without."""
    if delivery_id is None:
        return discord.utils.MISSING
    return delivery_nonce(delivery_id) + (f"-{part}" if part > 1 else "")


def _failure(error: BaseException, channel: Postable | None, likely: list[str]) -> PublishError:
    """What Discord's error means for the subscription."""
    if isinstance(error, discord.NotFound):
        return PublishError(PublishFailure.CHANNEL_GONE, GONE)
    if isinstance(error, discord.Forbidden):
        if error.code == MISSING_ACCESS:
            return PublishError(PublishFailure.FORBIDDEN, needs_sentence(["View Channel"]))
        me = channel.guild.me if channel is not None else None
        named = missing_to_post(channel.permissions_for(me)) if channel and me else []
        return PublishError(PublishFailure.FORBIDDEN, needs_sentence(named or likely))
    if isinstance(error, discord.HTTPException):
        return PublishError(
            PublishFailure.TRANSIENT,
            f"Discord answered {error.status}: {error_text(error.text or '')}",
        )
    return PublishError(
        PublishFailure.TRANSIENT, f"Could not reach Discord: {error_text(repr(error))}"
    )


async def _withdraw(message: discord.Message) -> None:
    try:
        await message.delete()
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
        log.warning("could not delete a question left without its thread: %s", error)


async def _close_answers(client: PracticeClient, channel_id: int, message_id: int) -> None:
    """After the reveal the Answer button has nothing left to do: take it off the post."""
    post = client.get_partial_messageable(channel_id).get_partial_message(message_id)
    try:
        await post.edit(view=None)
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
        log.warning("could not remove the Answer button message=%s: %s", message_id, error)
