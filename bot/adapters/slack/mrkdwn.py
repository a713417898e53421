"""Text for Slack: escaping, Markdown to Slack's mrkdwn, and splitting to Slack's limits.

Everything we did not write ourselves (names, question files) goes through `escape`, so it can
neither inject markup nor ping a whole channel.
"""

from __future__ import annotations

import re

SECTION_LIMIT = 3000  # characters in one section block's text
_FENCE = "```"
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_WORD_JOINER = "\u2060"  # invisible; keeps "@here" from being read as a mention


def escape(text: str) -> str:
    """Plain text made safe for mrkdwn: &, <, > escaped and @channel/@here/@everyone defused."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), escaped)


def from_markdown(markdown: str) -> str:
    """The bank's Markdown as mrkdwn: bold, italics, headings, links and bullets; code kept."""
    out: list[str] = []
    in_fence = False
    for line in markdown.splitlines():
        if line.strip().startswith(_FENCE):
            in_fence = not in_fence
            out.append(_FENCE)
            continue
        out.append(escape(line) if in_fence else _inline(line))
    return "\n".join(out)


def _inline(line: str) -> str:
    heading = re.match(r"^\s*#{1,6}\s+(.*)$", line)
    if heading:
        return f"*{_spans(heading.group(1))}*" if heading.group(1).strip() else ""
    bullet = re.match(r"^(\s*)[-*+]\s+(.*)$", line)
    if bullet:
        return f"{bullet.group(1)}• {_spans(bullet.group(2))}"
    return _spans(line)


def _spans(text: str) -> str:
    # Code spans are kept verbatim (escaped only); formatting applies between them.
    parts = re.split(r"(`[^`]+`)", text)
    return "".join(
        escape(part)
        if part.startswith("`") and part.endswith("`") and len(part) > 1
        else _emphasis(part)
        for part in parts
    )


def _emphasis(text: str) -> str:
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(f"<{escape(match.group(2))}|{escape(match.group(1))}>")
        return f"\x00{len(links) - 1}\x00"

    text = re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", keep_link, text)
    text = escape(text)
    text = re.sub(r"(?<![*\w])\*(?![\s*])(.+?)(?<![\s*])\*(?![*\w])", r"_\1_", text)
    text = re.sub(r"\*\*(?!\s)(.+?)(?<!\s)\*\*", r"*\1*", text)
    text = re.sub(r"__(?!\s)(.+?)(?<!\s)__", r"*\1*", text)
    return re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], text)


def split_sections(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraphs, then lines, then spaces.

    A code block cut in two is closed at the end of one piece and reopened in the next.
    """
    if not text.strip():
        return []
    room = limit - 2 * (len(_FENCE) + 1)  # space to close and reopen a code block
    pieces = _pack(text.strip(), room, ("\n\n", "\n", " "))
    fixed: list[str] = []
    reopen = False
    for piece in pieces:
        if reopen:
            piece = f"{_FENCE}\n{piece}"
        reopen = piece.count(_FENCE) % 2 == 1
        fixed.append(f"{piece}\n{_FENCE}" if reopen else piece)
    return fixed


def _pack(text: str, limit: int, separators: tuple[str, ...]) -> list[str]:
    if len(text) <= limit:
        return [text]
    if not separators:
        return _hard_cut(text, limit)
    separator, rest = separators[0], separators[1:]
    pieces: list[str] = []
    current = ""
    for part in text.split(separator):
        candidate = f"{current}{separator}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if len(part) <= limit:
            current = part
        else:
            *whole, current = _pack(part, limit, rest) or [""]
            pieces.extend(whole)
    if current:
        pieces.append(current)
    return [p for p in pieces if p.strip()]


def _hard_cut(text: str, limit: int) -> list[str]:
    pieces = []
    while len(text) > limit:
        cut = limit
        entity = text.rfind("&", cut - 5, cut)  # never split "&amp;" and friends
        if entity != -1 and ";" not in text[entity:cut]:
            cut = entity
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text] if text else pieces


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
