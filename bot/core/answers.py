"""Answers: messages in a round's thread, their edits and deletes."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.records import MessageOutcome
from bot.core.results import AnswerResult, ChangeResult, IncomingMessage
from bot.core.wiring import Wiring


class Answers:
    def __init__(self, wiring: Wiring) -> None:
        self._w = wiring

    @property
    def limit(self) -> int:
        """Characters kept of one message."""
        return self._w.settings.answer_limit

    async def thread_messages(self, round_id: int, user_id: str) -> list[str]:
        """The ids of someone's messages in a round's thread, oldest first."""
        return await self._w.store.thread_messages(round_id, user_id)

    async def handle_message(self, message: IncomingMessage) -> AnswerResult:
        """A message in some thread: an answer if it is in a round's thread and not a bot's."""
        if message.is_bot:
            return AnswerResult(None)
        text, truncated = self._w.clip(message.text)
        # The round's lookup and the record are one unit of work: one trip to the database.
        round, outcome = await self._w.store.record_thread_message(
            platform=message.platform,
            thread_id=message.thread_id,
            message_id=message.message_id,
            event_id=message.event_id,
            user_id=message.user_id,
            user_name=message.user_name,
            text=text,
            truncated=truncated,
            now=self._w.clock.now(),
            written_at=message.written_at,
        )
        if round is None or outcome is None:  # not a round's thread, or not posted yet
            return AnswerResult(None)
        return AnswerResult(outcome, round, truncated and outcome is not MessageOutcome.DUPLICATE)

    async def handle_missed(self, messages: Sequence[IncomingMessage]) -> list[AnswerResult]:
        """Messages read back from threads' history (catch-up), each with its written time,
        through the same path as live ones: a message already stored (live, or by an earlier
        read) counts once; one read with an edit (`edit_id`) takes its newest text, once per
        edit. Oldest first, so a person's first message stays their first."""
        results = []
        for message in sorted(messages, key=lambda m: m.written_at or self._w.clock.now()):
            result = await self.handle_message(message)
            if result.outcome is MessageOutcome.DUPLICATE and message.edit_id is not None:
                await self.handle_edit(
                    message.platform, message.message_id, message.text, message.edit_id
                )
            results.append(result)
        return results

    async def handle_edit(
        self, platform: str, message_id: str, text: str, event_id: str | None = None
    ) -> ChangeResult:
        clipped, truncated = self._w.clip(text)
        outcome = await self._w.store.edit_message(
            platform=platform, message_id=message_id, event_id=event_id,
            text=clipped, truncated=truncated, now=self._w.clock.now(),
        )  # fmt: skip
        return ChangeResult(outcome, truncated)

    async def handle_delete(
        self, platform: str, message_id: str, event_id: str | None = None
    ) -> ChangeResult:
        outcome = await self._w.store.delete_message(
            platform=platform, message_id=message_id, event_id=event_id, now=self._w.clock.now()
        )
        return ChangeResult(outcome)
