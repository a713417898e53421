"""Feedback on graded answers (`HomeStore`): one row per graded answer, the latest shown on the
person's home view. One statement a call: the same class serves both stores
(`bot.store.statements`)."""

from __future__ import annotations

from typing import Literal

from bot.core.records import FeedbackRecord, feedback_from_json, feedback_json
from bot.store.base import Row, at, to_ts
from bot.store.statements import Statements

FEEDBACK_COLUMNS = (
    "platform, user_id, source, ref_id, question_id, verdicts, suggested_rating, graded_at"
)
SAVE_FEEDBACK = f"""
    INSERT INTO feedback ({FEEDBACK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (platform, user_id, source, ref_id) DO UPDATE SET
        question_id = excluded.question_id, verdicts = excluded.verdicts,
        suggested_rating = excluded.suggested_rating, graded_at = excluded.graded_at
"""
GIVEN = (
    f"SELECT {FEEDBACK_COLUMNS} FROM feedback "
    "WHERE platform = ? AND user_id = ? AND source = ? AND ref_id = ?"
)
LATEST = (
    f"SELECT {FEEDBACK_COLUMNS} FROM feedback WHERE platform = ? AND user_id = ? "
    "ORDER BY graded_at DESC, id DESC LIMIT 1"
)


def feedback_row(record: FeedbackRecord) -> tuple[object, ...]:
    return (
        record.platform, record.user_id, record.source, record.ref_id, record.question_id,
        feedback_json(record.feedback), record.feedback.suggested_rating,
        to_ts(record.graded_at),
    )  # fmt: skip


def feedback_of(row: Row) -> FeedbackRecord:
    """A record from a row of `FEEDBACK_COLUMNS` (a sqlite3.Row, or an asyncpg.Record)."""
    return FeedbackRecord(
        platform=row["platform"],
        user_id=row["user_id"],
        source=row["source"],
        ref_id=row["ref_id"],
        question_id=row["question_id"],
        feedback=feedback_from_json(row["verdicts"], row["suggested_rating"]),
        graded_at=at(row["graded_at"]),
    )


class Feedbacks:
    async def save_feedback(self: Statements, record: FeedbackRecord) -> None:
        await self._write(SAVE_FEEDBACK, feedback_row(record))

    async def feedback_given(
        self: Statements, platform: str, user_id: str, source: Literal["quiz", "daily"],
        ref_id: int,
    ) -> FeedbackRecord | None:
        row = await self._one(GIVEN, (platform, user_id, source, ref_id))
        return feedback_of(row) if row else None

    async def latest_feedback(
        self: Statements, platform: str, user_id: str
    ) -> FeedbackRecord | None:
        row = await self._one(LATEST, (platform, user_id))
        return feedback_of(row) if row else None
