"""One policy for errors -> a private reply.

A `PracticeError` carries a message written for its reader (what was wrong, nothing changed);
anything else is a bug: it is logged, with its traceback, and the person gets one apology.
"""

from __future__ import annotations

import html
import logging
import re

from bot.core.errors import PracticeError
from bot.present.parts import Plain, Text, text

APOLOGY = "Sorry, something went wrong on our side. It has been logged."
# A platform's error text (a load balancer's HTML page, a proxy's text/plain) is kept and shown
# this short: admin replies quote it, and they must stay within the platforms' limits.
ERROR_TEXT_LIMIT = 300
NO_DETAIL = "no detail"
_INVISIBLE = re.compile(r"<(head|style|script)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# Markdown/mrkdwn markers (bold, code, strike, spoiler; a leading quote or heading): an error
# text formats nothing. Underscores stay: Slack's error codes (not_in_channel) are made of them.
_MARKUP = re.compile(r"[*`~|]+|^[>#\s]+")


def _without_html(raw: str) -> str:
    """The words of an HTML page (its head, styles and scripts dropped), or its title."""
    title = re.search(r"<title[^>]*>(.*?)</title\s*>", raw, re.IGNORECASE | re.DOTALL)
    words = " ".join(html.unescape(_TAG.sub(" ", _INVISIBLE.sub(" ", raw))).split())
    if not words and title:  # a page that is all head
        words = " ".join(html.unescape(title.group(1)).split())
    return words


def _clipped(words: str, limit: int) -> str:
    if not words:
        return NO_DETAIL
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def error_text(raw: str, limit: int = ERROR_TEXT_LIMIT) -> str:
    """A platform's own error text as one short plain line, to store and quote: no markup (HTML
    tags, the page's head, styles and scripts; Markdown markers), whitespace collapsed, at most
    `limit` characters."""
    return _clipped(" ".join(_MARKUP.sub(" ", _without_html(raw)).split()), limit)


def shown_error(detail: str, limit: int = ERROR_TEXT_LIMIT) -> str:
    """A stored problem as an admin is shown it: our own wording kept as it is, but a page
    stored whole (before error texts were shortened) reduced to its words, and all of it one
    line of at most `limit` characters."""
    looks_like_html = re.search(r"<(!doctype|html|head|body|/\w+)", detail, re.IGNORECASE)
    return _clipped(" ".join((_without_html(detail) if looks_like_html else detail).split()), limit)


def error_reply(error: BaseException, what: str, log: logging.Logger) -> Text:
    """The reply for an error raised while doing `what` (logged when unexpected)."""
    if isinstance(error, PracticeError):
        return text(Plain(str(error)))
    log.error("%s failed", what, exc_info=error)
    return text(APOLOGY)
