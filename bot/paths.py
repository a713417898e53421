"""Locations of the files the bot ships with: the schema migrations and the question bank.

In a source checkout (and an editable install) they sit beside the package; a wheel carries
them inside it under ``bot/_data``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    bundled = _PACKAGE / "_data" / name
    return bundled if bundled.is_dir() else _PACKAGE.parent / name


def migrations_dir() -> Path:
    return _shipped("migrations")


def default_questions_dir() -> Path:
    override = os.environ.get("PRACTICEBOT_QUESTIONS")
    return Path(override) if override else _shipped("questions")


def default_db_path() -> Path:
    return Path(os.environ.get("PRACTICEBOT_DB", "data/practicebot.db"))
