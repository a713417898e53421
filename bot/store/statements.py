"""What the two stores' one-statement calls have in common: `_all`, `_one` and `_write` take
the same `?` text (the PostgreSQL store numbers the placeholders itself) and return rows read
by column name. An area whose every method is one such statement is written once, as a mixin
whose methods take `self: Statements`, and mixed into both stores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.store.base import Row


class Statements(Protocol):
    async def _all(self, sql: str, params: Sequence[Any] = ()) -> Sequence[Row]: ...

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int: ...
