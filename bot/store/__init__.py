"""Persistence: the SQLite store, the only package that writes SQL.

It implements `bot.core.ports.Store` over the records of `bot.core.records`.
"""

from bot.store.migrate import DatabaseTooNewError
from bot.store.sqlite import Store

__all__ = ["DatabaseTooNewError", "Store"]
