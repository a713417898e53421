"""Locations of the files the bot ships with: the schema migrations and the question bank.

In a source checkout (and an editable install) they sit beside the package; a wheel carries
them inside it under ``bot/_data``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    bundled = _PACKAGE / "_data" / name
    return bundled if bundled.is_dir() else _PACKAGE.parent / name


def migrations_dir() -> Path:
    return _shipped("migrations")


def bundled_questions_dir() -> Path:
    """The question bank that ships with the bot (PRACTICEBOT_QUESTIONS may name another)."""
    return _shipped("questions")


default_questions_dir = bundled_questions_dir
