"""The channel permissions the bot uses, by the names Discord shows in its settings."""

from __future__ import annotations

import discord

SEND_IN_THREADS = "Send Messages in Threads"
# Without any of these a round cannot be posted (or revealed) in a channel.
TO_POST: tuple[tuple[str, str], ...] = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
    ("create_public_threads", "Create Public Threads"),
    ("send_messages_in_threads", SEND_IN_THREADS),
)
# Everything the bot asks for when it is invited: replying to an answer needs history too.
USED: tuple[tuple[str, str], ...] = (*TO_POST, ("read_message_history", "Read Message History"))


def bot_permissions() -> discord.Permissions:
    return discord.Permissions(**dict.fromkeys((flag for flag, _ in USED), True))


def missing_to_post(granted: discord.Permissions) -> list[str]:
    """The posting permissions a channel does not grant the bot, by their display names."""
    if granted.administrator:
        return []
    return [label for flag, label in TO_POST if not getattr(granted, flag)]


def needs_sentence(labels: list[str]) -> str:
    """'The bot needs the X permission in this channel.' for one or several permissions."""
    names = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    noun = "permission" if len(labels) == 1 else "permissions"
    return f"The bot needs the {names} {noun} in this channel."
