"""How a setting is declared: a variable, its help, its default, and the check of its value.

The bot's own variables are declared in `bot.ops.settings`; each platform's in its adapter
package (`bot/adapters/<platform>/variables.py`, listed by `bot.adapters.registry`), so adding
a platform adds its variables with it. `practicebot config`, `.env.example` and the start-up
checks read them all from `bot.ops.settings.VARIABLES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.errors import InputError

Check = Callable[[str], None]
# A check across several variables of one platform (e.g. a token that needs another one).
CrossCheck = Callable[[Mapping[str, str]], list[str]]


@dataclass(frozen=True)
class Variable:
    name: str
    help: str
    default: str = ""
    secret: bool = False
    check: Check | None = None


def one_of(*choices: str) -> Check:
    def check(value: str) -> None:
        if value.lower() not in choices:
            raise InputError(f"must be one of {', '.join(choices)} (got '{value}')")

    return check


def whole_number(low: int, high: int) -> Check:
    def check(value: str) -> None:
        if not value.isdigit() or not low <= int(value) <= high:
            raise InputError(f"must be a whole number from {low} to {high} (got '{value}')")

    return check
