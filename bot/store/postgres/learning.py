"""Spaced repetition, quizzes and feedback settings on PostgreSQL (`LearningStore`), as
`bot.store.learning`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from bot.core.records import QuizRecord
from bot.store.base import QUIZ_COLUMNS, at, quiz_of, to_ts
from bot.store.postgres.base import PgBase
from bot.store.postgres.tx import Tx


class PgLearning(PgBase):
    # -- reviews ---------------------------------------------------------------------------

    async def review_cards(self, platform: str, user_id: str) -> dict[str, tuple[str, datetime]]:
        """Every card of a person: question id → (card JSON, due)."""
        rows = await self._all(
            "SELECT question_id, card, due_at FROM review_cards WHERE platform = ? AND user_id = ?",
            (platform, user_id),
        )
        return {r["question_id"]: (r["card"], at(r["due_at"])) for r in rows}

    async def save_review(
        self,
        *,
        platform: str,
        user_id: str,
        question_id: str,
        card: str,
        due: datetime,
        rating: str,
        source: Literal["quiz", "daily"],
        quiz_id: int | None,
        round_id: int | None,
        log: str,
        now: datetime,
    ) -> bool:
        """Store a rating and the card it produced; False when that quiz or round was rated before."""

        async def unit(tx: Tx) -> bool:
            logged = await tx.execute(
                """
                INSERT INTO review_log (platform, user_id, question_id, rating, source, round_id,
                    quiz_id, reviewed_at, log)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                (platform, user_id, question_id, rating, source, round_id, quiz_id, to_ts(now),
                 log),
            )  # fmt: skip
            if not logged:
                return False
            await tx.execute(
                """
                INSERT INTO review_cards (platform, user_id, question_id, card, due_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (platform, user_id, question_id) DO UPDATE SET
                    card = excluded.card, due_at = excluded.due_at, updated_at = excluded.updated_at
                """,
                (platform, user_id, question_id, card, to_ts(due), to_ts(now)),
            )
            return True

        return await self._run(unit)

    async def review_count(self, platform: str, user_id: str) -> int:
        row = await self._one(
            "SELECT COUNT(*) AS n FROM review_log WHERE platform = ? AND user_id = ?",
            (platform, user_id),
        )
        return int(row["n"]) if row else 0

    async def quiz_rated(self, quiz_id: int) -> bool:
        return await self._one("SELECT 1 FROM review_log WHERE quiz_id = ?", (quiz_id,)) is not None

    # -- feedback settings -----------------------------------------------------------------

    async def set_daily_feedback(self, platform: str, user_id: str, enabled: bool) -> None:
        await self._write(
            "INSERT INTO user_settings (platform, user_id, daily_feedback) VALUES (?, ?, ?) "
            "ON CONFLICT (platform, user_id) DO UPDATE SET daily_feedback = excluded.daily_feedback",
            (platform, user_id, int(enabled)),
        )

    async def daily_feedback_users(self, platform: str) -> set[str]:
        rows = await self._all(
            "SELECT user_id FROM user_settings WHERE platform = ? AND daily_feedback = 1",
            (platform,),
        )
        return {r["user_id"] for r in rows}

    # -- quizzes ---------------------------------------------------------------------------

    async def quiz_history(self, platform: str, user_id: str) -> dict[str, datetime]:
        """When the user was last quizzed on each question."""
        rows = await self._all(
            "SELECT question_id, MAX(asked_at) AS asked_at FROM quizzes "
            "WHERE platform = ? AND user_id = ? GROUP BY question_id",
            (platform, user_id),
        )
        return {r["question_id"]: at(r["asked_at"]) for r in rows}

    async def add_quiz(
        self, platform: str, user_id: str, question_id: str, now: datetime
    ) -> QuizRecord:
        quiz_id = int(
            await self._run(
                lambda tx: tx.value(
                    "INSERT INTO quizzes (platform, user_id, question_id, asked_at) "
                    "VALUES (?, ?, ?, ?) RETURNING id",
                    (platform, user_id, question_id, to_ts(now)),
                )
            )
        )
        return QuizRecord(quiz_id, platform, user_id, question_id, now, None)

    async def quiz(self, quiz_id: int) -> QuizRecord | None:
        row = await self._one(f"SELECT {QUIZ_COLUMNS} FROM quizzes WHERE id = ?", (quiz_id,))
        return quiz_of(row) if row else None

    async def latest_quiz(self, platform: str, user_id: str) -> QuizRecord | None:
        row = await self._one(
            f"SELECT {QUIZ_COLUMNS} FROM quizzes WHERE platform = ? AND user_id = ? "
            "ORDER BY asked_at DESC, id DESC LIMIT 1",
            (platform, user_id),
        )
        return quiz_of(row) if row else None

    async def set_quiz_answer(self, quiz_id: int, text: str) -> None:
        await self._write(
            "UPDATE quizzes SET answer_text = ? WHERE id = ? AND revealed_at IS NULL",
            (text, quiz_id),
        )

    async def quiz_answer(self, quiz_id: int) -> str | None:
        row = await self._one("SELECT answer_text FROM quizzes WHERE id = ?", (quiz_id,))
        return row["answer_text"] if row else None

    async def mark_quiz_revealed(self, quiz_id: int, now: datetime) -> None:
        await self._write(
            "UPDATE quizzes SET revealed_at = COALESCE(revealed_at, ?::bigint) WHERE id = ?",
            (to_ts(now), quiz_id),
        )
