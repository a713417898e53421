"""Persistence: SQLite through aiosqlite. The only package that writes SQL."""

from bot.store.migrate import DatabaseTooNewError
from bot.store.sqlite import (
    Answerer,
    ChangeOutcome,
    CycleState,
    DueClaim,
    MessageOutcome,
    QuizRecord,
    Store,
)

__all__ = [
    "Answerer",
    "ChangeOutcome",
    "CycleState",
    "DatabaseTooNewError",
    "DueClaim",
    "MessageOutcome",
    "QuizRecord",
    "Store",
]
