"""Gateway message events → the engine: thread messages are answers; edits and deletes follow.

Discord has no delivery id for messages: a replayed MESSAGE_CREATE carries the same message
id, which the store keeps once. An edit is keyed by its edit time, so a replayed edit is a
no-op too.
"""

from __future__ import annotations

import logging

import discord

from bot.adapters.discord.limits import fit_content
from bot.adapters.discord.refs import PLATFORM
from bot.core.engine import Engine
from bot.core.results import IncomingMessage
from bot.present import receipts

log = logging.getLogger(__name__)
# Kinds of message a person types; joins, pins and "thread created" notices are not answers.
_TYPED = (discord.MessageType.default, discord.MessageType.reply)


def in_a_thread(message: discord.Message) -> bool:
    """Answers live in threads: the channels' own chatter is skipped without a database look-up.
    A channel missing from the cache (a PartialMessageable) may be a thread, so it is kept."""
    return isinstance(message.channel, discord.Thread | discord.PartialMessageable)


def answer_text(message: discord.Message) -> str:
    """The message's words, plus links to what it attaches (a diagram can be an answer)."""
    parts = [message.content.strip()] if message.content.strip() else []
    parts += [attachment.url for attachment in message.attachments]
    return "\n".join(parts)


def edit_id(message: discord.Message) -> str | None:
    """An edit's key: its message and edit time (the same whether seen live or in history)."""
    if message.edited_at is None:
        return None
    return f"edit-{message.id}-{message.edited_at.isoformat()}"


def incoming(message: discord.Message, *, from_history: bool = False) -> IncomingMessage | None:
    """The answer a thread message makes, or None (a bot's, a notice, nothing readable).
    `from_history`: read back after a restart, so it carries when it was written and its
    latest edit."""
    if message.author.bot or not in_a_thread(message) or message.type not in _TYPED:
        return None
    text = answer_text(message)
    if not text:  # nothing readable: the Message Content intent is probably off
        return None
    return IncomingMessage(
        platform=PLATFORM,
        thread_id=str(message.channel.id),
        message_id=str(message.id),
        user_id=str(message.author.id),
        user_name=message.author.display_name,
        text=text,
        written_at=message.created_at if from_history else None,  # the snowflake's time
        edit_id=edit_id(message) if from_history else None,
    )


async def message_created(engine: Engine, message: discord.Message) -> None:
    found = incoming(message)
    if found is None:
        return
    result = await engine.handle_message(found)
    log.debug(
        "message=%s thread=%s outcome=%s",
        message.id, message.channel.id, result.outcome.value if result.outcome else "not an answer",
    )  # fmt: skip
    if result.truncated:
        limit = engine.settings.answer_limit
        try:
            await message.reply(
                fit_content(receipts.truncated(limit)),
                mention_author=False,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as error:
            log.warning("could not tell about a cut answer message=%s: %s", message.id, error)


async def message_edited(engine: Engine, event: discord.RawMessageUpdateEvent) -> None:
    message = event.message
    # Discord also sends updates when it unfurls a link: only an edit has an edit time.
    if message.author.bot or message.edited_at is None or "content" not in event.data:
        return
    if not in_a_thread(message):
        return
    text = answer_text(message)
    if not text:
        return
    change = await engine.handle_edit(PLATFORM, str(message.id), text, event_id=edit_id(message))
    log.debug("edit of message=%s outcome=%s", message.id, change.outcome.value)


async def message_deleted(engine: Engine, message_id: int) -> None:
    change = await engine.handle_delete(PLATFORM, str(message_id))
    log.debug("delete of message=%s outcome=%s", message_id, change.outcome.value)
