"""The OAuth2 URL that adds the bot to a server, with exactly the permissions it uses."""

from __future__ import annotations

import base64

import discord

from bot.adapters.discord.permissions import bot_permissions

SCOPES = ("bot", "applications.commands")


def application_id_from_token(token: str) -> int | None:
    """A bot token's first segment is its user id in base64; a bot's user id is its app id."""
    first = token.strip().split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)).decode()
    except ValueError:  # not base64, or not text (UnicodeDecodeError is a ValueError)
        return None
    return int(decoded) if decoded.isdigit() else None


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=bot_permissions(), scopes=SCOPES)
