"""Block Kit building blocks: sections, headers, context, and capping to Slack's limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.mrkdwn import from_markdown, split_sections, truncate
from bot.present import daily

Block = dict[str, Any]
MAX_BLOCKS = 50  # Slack refuses a message with more
# Slack refuses a message whose blocks hold more text than about 12,000 characters in all
# (msg_blocks_too_long; observed, not documented: slackapi/bolt-js#2509): keep a margin.
BLOCKS_TEXT_LIMIT = 11_000
MODAL_TEXT_LIMIT = 3000  # Slack's most for a plain-text input
HEADER_LIMIT = 150


@dataclass(frozen=True)
class Message:
    text: str  # notification and screen-reader fallback
    blocks: list[Block]


def section_block(text: str, *, verbatim: bool = False) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if verbatim:  # no automatic parsing of names or links in text people wrote
        block["text"]["verbatim"] = True
    return block


def section_blocks(text: str, *, verbatim: bool = False) -> list[Block]:
    return [section_block(piece, verbatim=verbatim) for piece in split_sections(text)]


def header_block(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(text, HEADER_LIMIT), "emoji": True},
    }


def context_block(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, 3000)}]}


def capped(blocks: list[Block], *, keep: list[Block] | None = None) -> list[Block]:
    """At most MAX_BLOCKS blocks and BLOCKS_TEXT_LIMIT characters of text; `keep` (buttons,
    say) always stays whole, at the end, and `blocks` lose their last ones to make room."""
    kept = keep or []
    shortened = context_block(from_markdown(daily.SHORTENED))
    room = MAX_BLOCKS - len(kept)
    text_room = BLOCKS_TEXT_LIMIT - blocks_text_length(kept)
    if len(blocks) <= room and blocks_text_length(blocks) <= text_room:
        return [*blocks, *kept]
    text_room -= blocks_text_length([shortened])
    taken: list[Block] = []
    for block in blocks[: room - 1]:
        if blocks_text_length([*taken, block]) > text_room:
            break
        taken.append(block)
    return [*taken, shortened, *kept]


def blocks_text_length(blocks: list[Block]) -> int:
    """The text Slack counts against its cumulative limit: every string under a `text` key."""

    def length(value: Any) -> int:
        if isinstance(value, list):
            return sum(length(v) for v in value)
        if isinstance(value, dict):
            return sum(
                len(v) if k == "text" and isinstance(v, str) else length(v)
                for k, v in value.items()
            )
        return 0

    return length(blocks)
