"""The typed pieces of a sentence, and `show`, which turns them into one platform's text.

Wording is neutral Markdown (**bold**, _italic_, `code`). A time is a `When` (shown natively:
Slack's <!date^…>, Discord's <t:…>, local time in the console), a person a `Who` (id and the
stored name), and text we did not write (names, schedules, errors) a `Plain`, never markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

WhenStyle = Literal["moment", "relative", "time"]


@dataclass(frozen=True)
class When:
    at: datetime
    timezone: str  # the channel's IANA zone, for platforms that cannot show each reader's own
    style: WhenStyle = "moment"  # a full date and time; "relative": "in 8 hours"; "time": 17:30


@dataclass(frozen=True)
class Who:
    id: str
    name: str


@dataclass(frozen=True)
class Plain:
    """Words from elsewhere (a name, a pack, an error): shown as they are."""

    text: str


@dataclass(frozen=True)
class Native:
    """Markup the platform wrote itself (a channel mention, a link): shown untouched."""

    text: str


Part = str | When | Who | Plain | Native
Text = tuple[Part, ...]


def text(*parts: Part | Text) -> Text:
    """A Text from pieces; nested Texts are flattened, empty strings dropped."""
    out: list[Part] = []
    for part in parts:
        if isinstance(part, tuple):
            out.extend(part)
        elif part != "":
            out.append(part)
    return tuple(out)


def join(separator: str, texts: list[Text]) -> Text:
    out: list[Part | Text] = []
    for number, piece in enumerate(texts):
        if number:
            out.append(separator)
        out.append(piece)
    return text(*out)


class Style(Protocol):
    """How one platform writes each kind of piece."""

    def markdown(self, text: str) -> str: ...

    def plain(self, text: str) -> str: ...

    def when(self, when: When) -> str: ...

    def who(self, who: Who) -> str: ...


_SLOT = re.compile("\ue000(\\d+)\ue001")  # private-use characters: no markup touches them


def show(style: Style, value: Text | str) -> str:
    """The Markdown is converted whole (a **bold** span may hold a name or a time); the typed
    parts are shown by the style and put in their places afterwards."""
    if isinstance(value, str):
        return style.markdown(value)
    template: list[str] = []
    shown: list[str] = []
    for part in value:
        if isinstance(part, str):
            template.append(part)
            continue
        if isinstance(part, When):
            shown.append(style.when(part))
        elif isinstance(part, Who):
            shown.append(style.who(part))
        elif isinstance(part, Plain):
            shown.append(style.plain(part.text))
        else:
            shown.append(part.text)
        template.append(f"\ue000{len(shown) - 1}\ue001")
    return _SLOT.sub(lambda m: shown[int(m.group(1))], style.markdown("".join(template)))
