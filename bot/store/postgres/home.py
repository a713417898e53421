"""What a person's home view reads on PostgreSQL (`HomeStore`), as `bot.store.home`."""

from __future__ import annotations

from bot.core.records import LatestRating
from bot.store.base import at
from bot.store.postgres.base import PgBase


class PgHome(PgBase):
    async def latest_rating(self, platform: str, user_id: str) -> LatestRating | None:
        row = await self._one(
            "SELECT question_id, rating, reviewed_at FROM review_log "
            "WHERE platform = ? AND user_id = ? ORDER BY reviewed_at DESC, id DESC LIMIT 1",
            (platform, user_id),
        )
        if row is None:
            return None
        return LatestRating(row["question_id"], row["rating"], at(row["reviewed_at"]))
