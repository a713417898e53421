"""Reading back a round's Discord thread after a new gateway session (`ThreadReader`).

Discord replays missed events only when a session resumes; a restart (or a reconnect that
could not resume) opens a new session and misses what was written meanwhile. So the thread's
history is read `after` the newest message read so far (first: the post, whose id the thread
shares), oldest first, one page of 100 (one request) at a time. discord.py waits out 429s
itself, per route.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import discord

from bot.adapters.discord.events import incoming
from bot.core.catchup import ReadRefused, ThreadPage
from bot.core.models import Round
from bot.core.results import AnswerResult

PAGE = 100  # Discord's most per request


class DiscordThreadReader:
    def __init__(self, client: Callable[[], discord.Client | None]) -> None:
        self._client = client

    def channel(self, round: Round) -> str:
        return str(round.thread_id)

    async def read(self, round: Round, start: str | None, page: str | None) -> ThreadPage:
        client = self._client()
        if client is None or not client.is_ready():
            raise ConnectionError("not connected to Discord")
        thread = client.get_partial_messageable(int(str(round.thread_id)))
        after = discord.Object(id=int(page or start or str(round.thread_id)))
        try:
            messages = [
                m async for m in thread.history(limit=PAGE, after=after, oldest_first=True)
            ]
        except (discord.Forbidden, discord.NotFound) as error:
            raise ReadRefused(f"{error.status} {error.text[:200]}") from None
        newest = str(messages[-1].id) if messages else None
        answers = [a for a in (incoming(m, from_history=True) for m in messages) if a]
        return ThreadPage(answers, newest, newest if len(messages) == PAGE else None)

    def stored(self, page: ThreadPage, results: Sequence[AnswerResult]) -> None:
        """Discord messages carry their author's name: nothing to fill in."""
