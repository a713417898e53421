"""Persistence: SQLite through aiosqlite. The only package that writes SQL."""

from bot.store.migrate import DatabaseTooNewError
from bot.store.sqlite import Answerer, ChangeOutcome, MessageOutcome, QuizRecord, Store

__all__ = [
    "Answerer",
    "ChangeOutcome",
    "DatabaseTooNewError",
    "MessageOutcome",
    "QuizRecord",
    "Store",
]
