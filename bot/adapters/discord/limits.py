"""Discord's size limits, and cutting long text and embed lists to fit them."""

from __future__ import annotations

from collections.abc import Sequence

import discord

DESCRIPTION_LIMIT = 4096  # characters in one embed's description
TITLE_LIMIT = 256
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_PER_EMBED = 25
FOOTER_LIMIT = 2048
AUTHOR_NAME_LIMIT = 256
MESSAGE_EMBEDS_LIMIT = 6000  # characters across all embeds of one message
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000  # a plain message's text
THREAD_NAME_LIMIT = 100

# Boundaries to cut at, best first: paragraph, line, word.
_SEPARATORS = ("\n\n", "\n", " ")


def clip(text: str, limit: int) -> str:
    """One piece that fits, with an ellipsis when something was dropped."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most `limit` characters, at the best boundary available.

    A paragraph or line break is preferred when it keeps at least half the window, so a
    short paragraph followed by a long one does not leave a tiny piece; otherwise the last
    boundary of any kind is used, and only a word longer than the limit is cut inside.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut, skip = _boundary(rest[: limit + 1], limit)
        piece = rest[:cut].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[cut + skip :].lstrip("\n")
    if rest.strip():
        pieces.append(rest)
    return pieces


def _boundary(window: str, limit: int) -> tuple[int, int]:
    """Where to cut a window (a separator just past the limit still ends a fitting piece),
    and how many separator characters to drop there."""
    found = [(window.rfind(separator), len(separator)) for separator in _SEPARATORS]
    for at, size in found:
        if at >= limit // 2:
            return at, size
    at, size = max(found)
    return (at, size) if at > 0 else (limit, 0)


def group_embeds(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Pack embeds in order into messages of at most 10 embeds and 6,000 characters."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        length = len(embed)
        if length > MESSAGE_EMBEDS_LIMIT:
            raise ValueError(f"an embed of {length} characters cannot be sent")
        if current and (len(current) == EMBEDS_PER_MESSAGE or size + length > MESSAGE_EMBEDS_LIMIT):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += length
    if current:
        messages.append(current)
    return messages


# -- the last check before anything is sent -------------------------------------------------


def fit_content(text: str | None) -> str | None:
    """A message's text within CONTENT_LIMIT (None stays None: no text at all)."""
    return None if text is None else clip(text, CONTENT_LIMIT)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """The embed with every part within its own limit (changed in place, and returned)."""
    if embed.title and len(embed.title) > TITLE_LIMIT:
        embed.title = clip(embed.title, TITLE_LIMIT)
    if embed.description and len(embed.description) > DESCRIPTION_LIMIT:
        embed.description = clip(embed.description, DESCRIPTION_LIMIT)
    fields = embed.fields
    if len(fields) > FIELDS_PER_EMBED or any(
        len(f.name or "") > FIELD_NAME_LIMIT or len(f.value or "") > FIELD_VALUE_LIMIT
        for f in fields
    ):
        embed.clear_fields()
        for field in fields[:FIELDS_PER_EMBED]:
            embed.add_field(
                name=clip(field.name or "", FIELD_NAME_LIMIT),
                value=clip(field.value or "", FIELD_VALUE_LIMIT),
                inline=bool(field.inline),
            )
    footer = embed.footer.text
    if footer and len(footer) > FOOTER_LIMIT:
        embed.set_footer(text=clip(footer, FOOTER_LIMIT), icon_url=embed.footer.icon_url)
    author = embed.author.name
    if author and len(author) > AUTHOR_NAME_LIMIT:
        embed.set_author(
            name=clip(author, AUTHOR_NAME_LIMIT),
            url=embed.author.url,
            icon_url=embed.author.icon_url,
        )
    return embed


def fit_embeds(embeds: Sequence[discord.Embed]) -> list[discord.Embed]:
    """One message's embeds within every limit: each embed's parts, and MESSAGE_EMBEDS_LIMIT
    characters in all (the longest descriptions give way). More than EMBEDS_PER_MESSAGE is a
    bug in the caller (group_embeds splits a long list): discord.py refuses it."""
    fitted = [fit_embed(embed) for embed in embeds]
    excess = sum(len(embed) for embed in fitted) - MESSAGE_EMBEDS_LIMIT
    while excess > 0:
        longest = max(fitted, key=lambda embed: len(embed.description or ""))
        description = longest.description or ""
        if len(description) <= 1:
            raise ValueError("embeds over the message limit with no description left to cut")
        longest.description = clip(description, max(1, len(description) - excess))
        excess = sum(len(embed) for embed in fitted) - MESSAGE_EMBEDS_LIMIT
    return fitted
