"""The console's questions from the team: /suggest, and the review queue (/suggestions,
/approve N, /reject N reason). At the console everyone is the space's admin."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.adapters.console import render
from bot.core.records import SuggestionStatus
from bot.core.suggestions import AuthorNote, draft
from bot.present import suggestions as words

if TYPE_CHECKING:
    from bot.adapters.console.session import ConsoleSession


class ConsoleNotes:
    """Notes to authors, printed (the console's 'private message')."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write

    async def tell_author(self, note: AuthorNote) -> None:
        self._write(
            render.fill(f"(to {note.suggestion.author_name}) " + render.show(words.note(note)))
        )


async def suggest(session: ConsoleSession, rest: str) -> bool:
    if not rest:
        session.write(words.SUGGEST_USAGE)
        return True
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) > 5:
        session.write(words.SUGGEST_USAGE)
        return True
    question, answer, points, pack, difficulty = (parts + [""] * 5)[:5]
    fields = draft(question, answer, points.split(";"), pack or None, difficulty or None)
    record = await session.engine.suggest(session.channel, session.user_id, session.user, fields)
    session.write(render.fill(render.show(words.receipt(record))))
    return True


async def suggestions(session: ConsoleSession, rest: str) -> bool:
    pending = await session.engine.suggestions(session.channel.space, SuggestionStatus.PENDING)
    if not pending:
        session.write(words.NONE_PENDING)
    for record in pending:
        session.write(render.fill(render.show(words.listing_line(record)), indent="  "))
    return True


def _number(rest: str) -> tuple[int, str] | None:
    first, _, tail = rest.partition(" ")
    number = first.lstrip("#")
    return (int(number), tail.strip()) if number.isdigit() else None


async def approve(session: ConsoleSession, rest: str) -> bool:
    parsed = _number(rest)
    if parsed is None or parsed[1]:
        session.write(words.DECIDE_USAGE)
        return True
    decision = await session.engine.approve_suggestion(
        session.channel.space, parsed[0], session.user_id, session.user
    )
    session.write(render.fill(render.show(words.decided(decision.suggestion, decision.decided))))
    return True


async def reject(session: ConsoleSession, rest: str) -> bool:
    parsed = _number(rest)
    if parsed is None:
        session.write(words.DECIDE_USAGE)
        return True
    decision = await session.engine.reject_suggestion(
        session.channel.space, parsed[0], session.user_id, session.user, parsed[1]
    )
    session.write(render.fill(render.show(words.decided(decision.suggestion, decision.decided))))
    return True


COMMANDS: dict[str, Callable[[ConsoleSession, str], Awaitable[bool]]] = {
    "suggest": suggest, "suggestions": suggestions, "approve": approve, "reject": reject,
}  # fmt: skip
