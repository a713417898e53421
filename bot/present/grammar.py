"""Plain-language counts: no "1 questions", no "Answered by 0"."""

from __future__ import annotations


def s(count: int) -> str:
    return "" if count == 1 else "s"


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 question', '2 questions'; `many` for irregular words ('person', 'people')."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def people(count: int) -> str:
    return plural(count, "person", "people")


def listing(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
