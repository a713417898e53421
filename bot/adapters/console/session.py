"""The console adapter: a local channel in the terminal.

A plain line is a reply in the daily question's thread, as on Slack and Discord; a line
starting with '/' is a command (`channel.py`: the channel and its daily question;
`practice.py`: the private quiz and reviews). Works the same on a TTY and with piped
standard input (scripts and tests drive it).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from bot.adapters.console import channel, practice, render, suggestions
from bot.adapters.console.pictures import ConsolePictures
from bot.adapters.console.publisher import PLATFORM
from bot.adapters.console.terminal import NotText, Terminal, clean_line
from bot.core.engine import Engine
from bot.core.models import ChannelRef, Round
from bot.core.records import ChangeOutcome
from bot.core.results import IncomingMessage
from bot.present import help, receipts
from bot.present.errors import error_reply
from bot.present.parts import Who
from bot.scheduler import Scheduler

log = logging.getLogger(__name__)
CHANNEL = ChannelRef(PLATFORM, "local", "general")
Command = Callable[["ConsoleSession", str], Awaitable[bool]]
BYE = "Bye! Your streaks are saved."
NOT_TEXT_REPLY = (
    "That line is not valid UTF-8 text, so it was not read and nothing was recorded. Type it again."
)


def user_id(name: str) -> str:
    return re.sub(r"\s+", "-", name.strip().lower())


class ConsoleSession:
    def __init__(
        self,
        engine: Engine,
        *,
        user: str,
        terminal: Terminal,
        scheduler: Scheduler | None = None,
        channel_ref: ChannelRef = CHANNEL,
        pictures_dir: Path | None = None,
    ) -> None:
        self.engine = engine
        self.pictures = ConsolePictures(pictures_dir) if pictures_dir else None
        self.scheduler = scheduler
        self.channel = channel_ref
        self.user = user
        self.terminal = terminal
        self.post_confirmed_for: date | None = None  # /post on a day off: asked, once
        self._commands: dict[str, Command] = {
            **channel.COMMANDS, **practice.COMMANDS, **suggestions.COMMANDS,
            "edit": _edit, "delete": _delete, "user": _switch_user,
            "help": _help, "quit": _quit, "exit": _quit,
        }  # fmt: skip
        engine.add_author_notifier(PLATFORM, suggestions.ConsoleNotes(self.write))

    @property
    def user_id(self) -> str:
        return user_id(self.user)

    def write(self, text: str) -> None:
        self.terminal.write(text)

    # -- the loop ---------------------------------------------------------------------------

    async def run(self) -> None:
        while True:
            line = await self.terminal.read(f"{self.user}> ")
            if line is None:  # Ctrl-D, Ctrl-C or the end of the pipe
                if self.terminal.interactive:
                    self.terminal.end_line()
                self.write(BYE)
                return
            if isinstance(line, NotText):
                self.write(NOT_TEXT_REPLY)
                continue
            if not await self.handle_line(line):
                return

    async def handle_line(self, line: str) -> bool:
        """Handle one typed line; False when the session should end."""
        text = clean_line(line)
        if not text.strip():
            return True
        confirmed, self.post_confirmed_for = self.post_confirmed_for, None
        try:
            if not text.startswith("/"):
                await self.answer_line(text.strip())
                return True
            name, _, rest = text[1:].strip().partition(" ")
            if not name:
                self.write(help.COMMAND_AFTER_SLASH)
                return True
            command = self._commands.get(name.lower())
            if command is None:
                self.write(help.unknown_command(name))
                return True
            if name.lower() == "post":
                self.post_confirmed_for = confirmed
            return await command(self, rest.strip())
        except Exception as error:  # the console never dies of one bad line
            reply = error_reply(error, f"console command {text!r}", log)
            self.write(render.fill(render.show(reply)))
        return True

    # -- the daily question's thread --------------------------------------------------------

    async def thread_round(self) -> Round | None:
        """The round whose thread a typed line replies in: the open one, else the latest."""
        return await self.engine.thread_round(self.channel)

    async def answer_line(self, text: str) -> None:
        round = await self.thread_round()
        if round is None or round.thread_id is None:
            self.write(receipts.NO_QUESTION_YET.format(post="/post"))
            return
        result = await self.engine.handle_message(
            IncomingMessage(
                platform=PLATFORM,
                thread_id=round.thread_id,
                message_id=uuid.uuid4().hex,
                user_id=self.user_id,
                user_name=self.user,
                text=text,
            )
        )
        zone = await channel.timezone(self)
        receipt = receipts.answer_receipt(result, zone, Who(self.user_id, self.user))
        limit = self.engine.settings.answer_limit if result.truncated else None
        if receipt or limit:
            self.write(render.fill(render.show(receipts.with_truncation(receipt, limit))))
        if await self.engine.pending_quiz(PLATFORM, self.user_id) is not None:
            self.write("(That went to the daily question. Your quiz: /quiz-answer TEXT.)")

    def _truncated_note(self) -> str:
        return receipts.truncated(self.engine.answer_limit)


async def _edit(session: ConsoleSession, rest: str) -> bool:
    if not rest:
        session.write(help.EDIT_USAGE)
        return True
    round = await session.thread_round()
    messages = await session.engine.thread_messages(round.id, session.user_id) if round else []
    if not messages:
        session.write(receipts.NOTHING_TO_EDIT)
        return True
    first, *others = messages
    edited = await session.engine.handle_edit(PLATFORM, first, rest)
    for message_id in others:  # the answer is one text now
        await session.engine.handle_delete(PLATFORM, message_id)
    session.write(render.show(receipts.edited(Who(session.user_id, session.user))))
    if edited.truncated:
        session.write(session._truncated_note())
    return True


async def _delete(session: ConsoleSession, rest: str) -> bool:
    round = await session.thread_round()
    messages = await session.engine.thread_messages(round.id, session.user_id) if round else []
    if not messages:
        session.write(receipts.NOTHING_TO_DELETE)
        return True
    outcomes = [(await session.engine.handle_delete(PLATFORM, m)).outcome for m in messages]
    outcome = ChangeOutcome.REMOVED if ChangeOutcome.REMOVED in outcomes else ChangeOutcome.KEPT
    session.write(
        render.fill(render.show(receipts.deleted(outcome, Who(session.user_id, session.user))))
    )
    return True


async def _switch_user(session: ConsoleSession, rest: str) -> bool:
    if not rest:
        session.write(f"You are {session.user}. Usage: /user NAME")
        return True
    session.user = rest[:40]
    session.write(f"You are now {session.user}.")
    return True


async def _help(session: ConsoleSession, rest: str) -> bool:
    session.write(render.HELP)
    return True


async def _quit(session: ConsoleSession, rest: str) -> bool:
    session.write(BYE)
    return False
