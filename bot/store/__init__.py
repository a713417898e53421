"""Persistence: SQLite through aiosqlite. The only package that writes SQL."""

from bot.store.migrate import DatabaseTooNewError
from bot.store.sqlite import Answerer, ChangeOutcome, CycleState, MessageOutcome, QuizRecord, Store

__all__ = [
    "Answerer",
    "ChangeOutcome",
    "CycleState",
    "DatabaseTooNewError",
    "MessageOutcome",
    "QuizRecord",
    "Store",
]
