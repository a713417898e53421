"""Feedback on graded answers on PostgreSQL (`HomeStore`), as `bot.store.feedback`."""

from __future__ import annotations

from typing import Literal

from bot.core.records import FeedbackRecord
from bot.store.feedback import GIVEN, LATEST, SAVE_FEEDBACK, feedback_of, feedback_row
from bot.store.postgres.base import PgBase


class PgFeedbacks(PgBase):
    async def save_feedback(self, record: FeedbackRecord) -> None:
        await self._write(SAVE_FEEDBACK, feedback_row(record))

    async def feedback_given(
        self, platform: str, user_id: str, source: Literal["quiz", "daily"], ref_id: int
    ) -> FeedbackRecord | None:
        row = await self._one(GIVEN, (platform, user_id, source, ref_id))
        return feedback_of(row) if row else None

    async def latest_feedback(self, platform: str, user_id: str) -> FeedbackRecord | None:
        row = await self._one(LATEST, (platform, user_id))
        return feedback_of(row) if row else None
