"""One policy for errors -> a private reply.

A `PracticeError` carries a message written for its reader (what was wrong, nothing changed);
anything else is a bug: it is logged, with its traceback, and the person gets one apology.
"""

from __future__ import annotations

import logging

from bot.core.errors import PracticeError
from bot.present.parts import Plain, Text, text

APOLOGY = "Sorry, something went wrong on our side. It has been logged."


def error_reply(error: BaseException, what: str, log: logging.Logger) -> Text:
    """The reply for an error raised while doing `what` (logged when unexpected)."""
    if isinstance(error, PracticeError):
        return text(Plain(str(error)))
    log.error("%s failed", what, exc_info=error)
    return text(APOLOGY)
