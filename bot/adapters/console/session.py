"""The console adapter: a local channel in the terminal.

Plain lines are answers in the open round's thread; lines starting with '/' are commands.
Works the same on a TTY and with piped standard input (scripts and tests drive it).
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.adapters.console import render
from bot.adapters.console.publisher import PLATFORM
from bot.clock import ManualClock
from bot.core.engine import Engine
from bot.core.errors import PracticeError
from bot.core.models import ChannelRef, Round, RoundStatus
from bot.core.results import IncomingMessage, PostStatus
from bot.core.schedule import parse_duration
from bot.scheduler import ManualScheduler
from bot.store import MessageOutcome

CHANNEL = ChannelRef(PLATFORM, "local", "general")
Command = Callable[[list[str]], Awaitable[bool]]


def _user_id(name: str) -> str:
    return re.sub(r"\s+", "-", name.strip().lower())


class ConsoleSession:
    def __init__(
        self,
        engine: Engine,
        *,
        user: str,
        out: TextIO,
        manual: ManualScheduler | None = None,
        channel: ChannelRef = CHANNEL,
    ) -> None:
        self.engine = engine
        self.manual = manual
        self.channel = channel
        self.user = user
        self._out = out
        self._commands: dict[str, Command] = {
            "help": self._help, "quiz": self._quiz, "answer": self._answer,
            "leaderboard": self._leaderboard, "streak": self._streak, "status": self._status,
            "packs": self._packs, "subscribe": self._subscribe, "post": self._post,
            "reveal": self._reveal, "user": self._switch_user, "advance": self._advance,
            "rate": self._rate, "review": self._review, "feedback": self._feedback,
            "quit": self._quit, "exit": self._quit,
        }  # fmt: skip

    def write(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    # -- the loop ---------------------------------------------------------------------------

    async def run(self, lines: asyncio.Queue[str | None], *, prompt: bool) -> None:
        while True:
            if prompt:
                self._out.write(f"{self.user}> ")
                self._out.flush()
            line = await lines.get()
            if line is None:  # end of input
                return
            if not await self.handle_line(line):
                return

    async def handle_line(self, line: str) -> bool:
        """Handle one typed line; False when the session should end."""
        text = line.rstrip("\n")
        if not text.strip():
            return True
        try:
            if text.startswith("/"):
                name, *args = text[1:].split()
                command = self._commands.get(name.lower()) if name else None
                if command is None:
                    self.write(f"Unknown command '/{name}'. Type /help for the list.")
                    return True
                return await command(args)
            await self._answer_line(text)
        except PracticeError as error:
            self.write(str(error))
        return True

    # -- answers ----------------------------------------------------------------------------

    async def _answer_line(self, text: str) -> None:
        if await self.engine.pending_quiz(PLATFORM, _user_id(self.user)) is not None:
            # A quiz waiting for its answer takes what the person writes, for feedback.
            await self.engine.answer_quiz(PLATFORM, _user_id(self.user), text, append=True)
            self.write(
                "✓ Noted for your quiz. /answer shows the reference answer and what you covered."
            )
            return
        state = await self.engine.status(self.channel)
        if state.open_round is None or state.open_round.thread_id is None:
            self.write(
                "No open round right now: /post starts one, /quiz gives you a private question."
            )
            return
        result = await self.engine.handle_message(
            IncomingMessage(
                platform=PLATFORM,
                thread_id=state.open_round.thread_id,
                message_id=uuid.uuid4().hex,
                user_id=_user_id(self.user),
                user_name=self.user,
                text=text,
            )
        )
        replies = {
            MessageOutcome.ANSWERED: f"✓ Answer from {self.user} recorded. It counts when the answer is revealed.",
            MessageOutcome.ADDED: f"✓ Added to {self.user}'s answer (one answer per person per round).",
            MessageOutcome.LATE: "That round is already revealed: kept as a late answer, no streak credit.",
            MessageOutcome.DUPLICATE: "Already recorded.",
        }
        if result.outcome is not None:
            self.write(replies[result.outcome])
        if result.truncated:
            limit = self.engine.settings.answer_limit
            self.write(
                f"Your message was over {limit:,} characters: the first {limit:,} were kept."
            )

    # -- commands ---------------------------------------------------------------------------

    async def _help(self, args: list[str]) -> bool:
        self.write(render.HELP)
        return True

    async def _quit(self, args: list[str]) -> bool:
        self.write("Bye! Your streaks are saved.")
        return False

    async def _quiz(self, args: list[str]) -> bool:
        card = await self.engine.quiz(
            PLATFORM, _user_id(self.user), pack=args[0] if args else None, channel=self.channel
        )
        self.write(render.quiz_card(card))
        return True

    async def _answer(self, args: list[str]) -> bool:
        self.write(render.quiz_answer(await self.engine.reveal_quiz(PLATFORM, _user_id(self.user))))
        return True

    async def _rate(self, args: list[str]) -> bool:
        if len(args) != 1:
            self.write(
                "Usage: /rate again|hard|good|easy (after /answer, or after a reveal you answered)"
            )
            return True
        user = _user_id(self.user)
        quiz = await self.engine.store.latest_quiz(PLATFORM, user)
        if quiz and quiz.revealed_at and not await self.engine.store.quiz_rated(quiz.id):
            rated = await self.engine.rate_quiz(PLATFORM, user, args[0], quiz.id)
        else:
            round = await self._latest_revealed_round()
            if round is None:
                self.write("Nothing to rate yet: /quiz, then /answer, then /rate good.")
                return True
            rated = await self.engine.rate_round(PLATFORM, user, round.id, args[0])
        self.write(render.rated(rated, self.engine.clock.now(), await self._timezone()))
        return True

    async def _latest_revealed_round(self) -> Round | None:
        subscription = await self.engine.store.subscription(self.channel)
        if subscription is None:
            return None
        revealed = await self.engine.store.rounds_with_status(RoundStatus.REVEALED, subscription.id)
        return revealed[-1] if revealed else None

    async def _review(self, args: list[str]) -> bool:
        self.write(
            render.review_stats(await self.engine.review_stats(PLATFORM, _user_id(self.user)))
        )
        return True

    async def _feedback(self, args: list[str]) -> bool:
        if not args or args[0].lower() not in ("on", "off"):
            self.write(
                "Usage: /feedback on|off — private feedback on your daily answers after each reveal"
            )
            return True
        enabled = args[0].lower() == "on"
        await self.engine.set_daily_feedback(PLATFORM, _user_id(self.user), enabled)
        self.write(
            "Feedback on: after each reveal you'll see which key points your answer covered."
            if enabled
            else "Feedback off."
        )
        return True

    async def _leaderboard(self, args: list[str]) -> bool:
        board = await self.engine.leaderboard(
            self.channel, window=args[0].lower() if args else None, caller_id=_user_id(self.user)
        )
        self.write(render.leaderboard(board))
        return True

    async def _streak(self, args: list[str]) -> bool:
        view = await self.engine.streak(self.channel, _user_id(self.user))
        self.write(render.streak(self.user, view))
        return True

    async def _status(self, args: list[str]) -> bool:
        self.write(render.status(await self.engine.status(self.channel)))
        return True

    async def _packs(self, args: list[str]) -> bool:
        for pack in self.engine.bank.packs:
            self.write(f"  {pack.name:<10} {len(pack.questions):>3}  {pack.title}")
        return True

    async def _subscribe(self, args: list[str]) -> bool:
        if not args:
            self.write(
                "Usage: /subscribe HH:MM [timezone] [days], e.g. /subscribe 09:30 Europe/Berlin mon-fri"
            )
            return True
        subscription = await self.engine.subscribe(
            self.channel,
            post_time=args[0],
            timezone=args[1] if len(args) > 1 else None,
            days=args[2] if len(args) > 2 else None,
            by=_user_id(self.user),
        )
        self.write(f"Subscribed: {subscription.schedule.describe()}.")
        return True

    async def _post(self, args: list[str]) -> bool:
        result = await self.engine.post_now(self.channel)
        if result.status is PostStatus.ALREADY:
            self.write(
                "Today's round is already posted. /reveal closes it; the next one comes tomorrow."
            )
        elif result.status is PostStatus.FAILED:
            self.write(f"Could not post: {result.detail}")
        return True

    async def _reveal(self, args: list[str]) -> bool:
        await self.engine.reveal_now(self.channel)
        return True

    async def _switch_user(self, args: list[str]) -> bool:
        if not args:
            self.write(f"You are {self.user}. Usage: /user NAME")
            return True
        self.user = " ".join(args)[:40]
        self.write(f"You are now {self.user}.")
        return True

    async def _advance(self, args: list[str]) -> bool:
        if self.manual is None or not isinstance(self.manual.clock, ManualClock):
            self.write(
                "/advance works only with a manual clock: practicebot console --clock manual"
            )
            return True
        if not args:
            self.write("Usage: /advance 1d|3h|20m")
            return True
        await self.manual.advance(parse_duration(args[0]))
        timezone = await self._timezone()
        self.write(
            f"⏩ It is now {render.local_time(self.manual.clock.now(), timezone)} ({timezone})."
        )
        return True

    async def _timezone(self) -> str:
        subscription = await self.engine.store.subscription(self.channel)
        return (
            subscription.schedule.timezone
            if subscription
            else self.engine.settings.default_timezone
        )


def stdin_lines(
    loop: asyncio.AbstractEventLoop, stream: TextIO = sys.stdin
) -> asyncio.Queue[str | None]:
    """Lines from a blocking stream, fed from a daemon thread so exit never waits on a read."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for line in stream:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    return queue
