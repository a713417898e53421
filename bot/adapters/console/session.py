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

from bot.adapters.console import channel, practice, render
from bot.adapters.console.publisher import PLATFORM
from bot.adapters.console.terminal import NotText, Terminal, clean_line
from bot.core.engine import Engine
from bot.core.errors import PracticeError
from bot.core.models import ChannelRef, Round, RoundStatus
from bot.core.records import ChangeOutcome, MessageOutcome
from bot.core.results import IncomingMessage
from bot.scheduler import ManualScheduler

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
        manual: ManualScheduler | None = None,
        channel_ref: ChannelRef = CHANNEL,
    ) -> None:
        self.engine = engine
        self.manual = manual
        self.channel = channel_ref
        self.user = user
        self.terminal = terminal
        self.post_confirmed_for: date | None = None  # /post on a day off: asked, once
        self._commands: dict[str, Command] = {
            **channel.COMMANDS, **practice.COMMANDS,
            "edit": _edit, "delete": _delete, "user": _switch_user,
            "help": _help, "quit": _quit, "exit": _quit,
        }  # fmt: skip

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
                self.write("A command goes right after the '/', like /status. /help lists them.")
                return True
            command = self._commands.get(name.lower())
            if command is None:
                self.write(f"Unknown command '/{name}'. Type /help for the list.")
                return True
            if name.lower() == "post":
                self.post_confirmed_for = confirmed
            return await command(self, rest.strip())
        except PracticeError as error:
            self.write(render.fill(str(error)))
        except Exception as error:  # the console never dies of one bad line
            log.exception("console command failed: %r", text)
            self.write(f"Something went wrong ({type(error).__name__}); nothing else changed.")
        return True

    # -- the daily question's thread --------------------------------------------------------

    async def thread_round(self) -> Round | None:
        """The round whose thread a typed line replies in: the open one, else the latest."""
        subscription = await self.engine.store.subscription(self.channel)
        if subscription is None:
            return None
        open_round = await self.engine.open_round(subscription)
        if open_round is not None:
            return open_round
        latest = await self.engine.store.latest_round(subscription.id)
        return latest if latest and latest.status is RoundStatus.REVEALED else None

    async def answer_line(self, text: str) -> None:
        round = await self.thread_round()
        if round is None or round.thread_id is None:
            self.write("No question has been posted here yet: /post posts today's.")
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
        replies = {
            MessageOutcome.ANSWERED: f"✓ Answer from {self.user} recorded. It counts when the answer is revealed.",
            MessageOutcome.ADDED: f"✓ Added to {self.user}'s answer (one answer per person per round).",
            MessageOutcome.LATE: f"The question of {round.local_date:%a %d %b} is already revealed: kept as a late answer, no streak credit.",
            MessageOutcome.DUPLICATE: "Already recorded.",
        }  # fmt: skip
        if result.outcome is not None:
            self.write(render.fill(replies[result.outcome]))
        if result.truncated:
            self.write(self._truncated_note())
        if await self.engine.pending_quiz(PLATFORM, self.user_id) is not None:
            self.write("(That went to the daily question. Your quiz: /quiz-answer TEXT.)")

    def _truncated_note(self) -> str:
        limit = self.engine.settings.answer_limit
        return f"Your message was over {limit:,} characters: the first {limit:,} were kept."


async def _edit(session: ConsoleSession, rest: str) -> bool:
    if not rest:
        session.write("Usage: /edit TEXT — replaces your answer in the thread with TEXT")
        return True
    round = await session.thread_round()
    messages = (
        await session.engine.store.thread_messages(round.id, session.user_id) if round else []
    )
    if not messages:
        session.write("You have no answer in the thread to edit: type a line to answer.")
        return True
    first, *others = messages
    edited = await session.engine.handle_edit(PLATFORM, first, rest)
    for message_id in others:  # the answer is one text now
        await session.engine.handle_delete(PLATFORM, message_id)
    session.write(f"✓ {session.user}'s answer is replaced.")
    if edited.truncated:
        session.write(session._truncated_note())
    return True


async def _delete(session: ConsoleSession, rest: str) -> bool:
    round = await session.thread_round()
    messages = (
        await session.engine.store.thread_messages(round.id, session.user_id) if round else []
    )
    if not messages:
        session.write("You have no answer in the thread to delete.")
        return True
    outcomes = [(await session.engine.handle_delete(PLATFORM, m)).outcome for m in messages]
    if ChangeOutcome.REMOVED in outcomes:
        session.write(f"✓ {session.user}'s answer is deleted: it no longer counts for this round.")
    else:
        session.write(
            f"✓ {session.user}'s answer is deleted. The round was already revealed, so what it "
            "earned stays."
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
