"""Neutral view models: what a message holds, for each platform to lay out its own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from bot.present.parts import Text


class Intent(Enum):
    """What a button does; the platform decides how it is drawn and what it carries."""

    ANSWER_ROUND = "answer_round"  # write an answer to the daily question (a modal)
    WRITE_ANSWER = "write_answer"  # write (or rewrite) a quiz answer
    SHOW_ANSWER = "show_answer"
    RATE = "rate"  # again / hard / good / easy
    APPROVE = "approve"  # a suggestion in the review queue
    EDIT = "edit"
    REJECT = "reject"


@dataclass(frozen=True)
class Button:
    intent: Intent
    label: str
    rating: str | None = None  # for RATE
    primary: bool = False


@dataclass(frozen=True)
class Section:
    """A block of the body: Markdown from the bank or the wording, then bullets."""

    markdown: str = ""
    heading: str | None = None
    bullets: tuple[Text, ...] = ()
    lines: tuple[Text, ...] = ()  # lines with typed parts (names, times)
    quoted: str | None = None  # words a person wrote, shown as a quote, never as markup


@dataclass(frozen=True)
class Field:
    name: str
    value: Text


@dataclass(frozen=True)
class Card:
    title: str
    context: Text = ()  # the small line under the title
    body: tuple[Section, ...] = ()
    fields: tuple[Field, ...] = ()
    footer: Text = ()
    prompt: Text = ()  # above the buttons
    buttons: tuple[Button, ...] = field(default=())
    after: Text = ()  # under the buttons (what to do next)
