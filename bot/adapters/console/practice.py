"""The console's private practice: the quiz, reviews and feedback. A quiz is answered only
with /quiz-answer: a plain line always goes to the daily question's thread."""

from __future__ import annotations

import textwrap
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.adapters.console import render
from bot.adapters.console.channel import timezone
from bot.adapters.console.publisher import PLATFORM
from bot.present import admin, help, home, missed

if TYPE_CHECKING:
    from bot.adapters.console.session import ConsoleSession

RATE_USAGE = help.RATE_USAGE


async def quiz(session: ConsoleSession, rest: str) -> bool:
    words = rest.split()
    if len(words) > 1:
        session.write(help.QUIZ_USAGE)
        return True
    engine = session.engine
    if words and words[0].lower() == "missed":
        card = await engine.quiz_missed(PLATFORM, session.user_id, channel=session.channel)
    elif words and words[0] not in engine.pack_names and engine.question(words[0]) is not None:
        card = await engine.quiz_question(PLATFORM, session.user_id, words[0])  # the recap's
    else:
        card = await session.engine.quiz(
            PLATFORM, session.user_id, pack=words[0] if words else None, channel=session.channel
        )
    session.write(render.quiz_card(card))
    return True


async def quiz_answer(session: ConsoleSession, rest: str) -> bool:
    if not rest:
        session.write(help.QUIZ_ANSWER_USAGE)
        return True
    pending = await session.engine.pending_quiz(PLATFORM, session.user_id)
    if pending is None:
        session.write("You have no quiz waiting for an answer: /quiz gives you one.")
        return True
    await session.engine.answer_quiz(PLATFORM, session.user_id, rest, append=True)
    question = session.engine.question(pending.question_id)
    about = " ".join(render.heading("", question.text).split()) if question else pending.question_id
    short = textwrap.shorten(about, 60, placeholder="…")
    session.write(
        render.fill(
            f"✓ Noted for your quiz (“{short}”). /answer shows the reference answer and what "
            "you covered."
        )
    )
    return True


async def answer(session: ConsoleSession, rest: str) -> bool:
    if rest:
        session.write(render.fill(help.ANSWER_TAKES_NO_TEXT))
        return True
    card = await session.engine.reveal_quiz(PLATFORM, session.user_id)
    session.write(render.quiz_answer(card))
    return True


async def rate(session: ConsoleSession, rest: str) -> bool:
    words = rest.split()
    if len(words) != 1:
        session.write(RATE_USAGE)
        return True
    engine, user = session.engine, session.user_id
    rated = await engine.rate_latest(PLATFORM, user, words[0], session.channel)
    if rated is None:
        session.write("Nothing to rate yet: /quiz, then /answer, then /rate good.")
        return True
    session.write(render.rated(rated, engine.now(), await timezone(session)))
    return True


async def review(session: ConsoleSession, rest: str) -> bool:
    if rest.lower() == "export":
        return await review_export(session)
    stats = await session.engine.review_stats(PLATFORM, session.user_id)
    session.write(render.review_stats(stats))
    last = await session.engine.last_feedback(PLATFORM, session.user_id)
    if last is not None:
        question = session.engine.question(last.question_id)
        lines = home.feedback_lines(last, question, await timezone(session))
        session.write("\n".join(render.fill(render.show(line)) for line in lines))
    return True


async def review_export(session: ConsoleSession) -> bool:
    """The missed questions as Markdown: a file beside the database, or printed without one."""
    items = await session.engine.missed_questions(PLATFORM, session.user_id)
    if not items:
        session.write(render.fill(missed.NOTHING_TO_EXPORT))
        return True
    day = session.engine.now().date()
    markdown = missed.export_markdown(items, day)
    if session.pictures is None:
        session.write(markdown)
        return True
    session.pictures.folder.mkdir(parents=True, exist_ok=True)
    path = session.pictures.folder / missed.export_name(day)
    path.write_text(markdown, encoding="utf-8")
    session.write(render.fill(f"{missed.export_note(len(items))} {path}"))
    return True


async def feedback(session: ConsoleSession, rest: str) -> bool:
    choice = rest.lower()
    if choice not in ("on", "off"):
        session.write(help.FEEDBACK_USAGE)
        return True
    await session.engine.set_daily_feedback(PLATFORM, session.user_id, choice == "on")
    reply = admin.feedback_on(render.WORDS) if choice == "on" else admin.FEEDBACK_OFF
    session.write(render.fill(render.show(reply)))
    return True


COMMANDS: dict[str, Callable[[ConsoleSession, str], Awaitable[bool]]] = {
    "quiz": quiz, "quiz-answer": quiz_answer, "answer": answer, "rate": rate,
    "review": review, "feedback": feedback,
}  # fmt: skip
