"""Persistence: the SQLite store, the only package that writes SQL.

It implements `bot.core.ports.Store` over the records of `bot.core.records`; see `sqlite`.
"""

from bot.store.migrate import DatabaseTooNewError
from bot.store.sqlite import SqliteStore
from bot.store.standings import StandingsTuning

__all__ = ["DatabaseTooNewError", "SqliteStore", "StandingsTuning"]
