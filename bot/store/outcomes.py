"""What the store reports back about a message, an edit, a delete and a reveal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MessageOutcome(StrEnum):
    ANSWERED = "answered"  # the user's first answer in this round
    ADDED = "added"  # another message from someone who already answered: counts once
    LATE = "late"  # after the reveal: kept, earns nothing
    DUPLICATE = "duplicate"  # a redelivered event or message: nothing changed


class ChangeOutcome(StrEnum):
    UPDATED = "updated"  # an edit was stored
    REMOVED = "removed"  # a delete took away the user's answer (and its streak credit)
    KEPT = "kept"  # a delete after which the user still has an answer, or after the reveal
    UNKNOWN = "unknown"  # not a message we stored
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Answerer:
    user_id: str
    name: str
