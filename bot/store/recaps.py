"""What the weekly recap reads (`RecapStore`)."""

from __future__ import annotations

from datetime import date

from bot.core.records import RoundTally
from bot.store.base import StoreBase


class Recaps(StoreBase):
    async def round_tallies(
        self, subscription_id: int, since: date, until: date
    ) -> list[RoundTally]:
        rows = await self._all(
            """
            SELECT r.id, r.local_date, r.question_id, r.status = 'revealed' AS revealed,
                   (SELECT COUNT(*) FROM answers a WHERE a.round_id = r.id) AS answers
            FROM rounds r WHERE r.subscription_id = ? AND r.local_date >= ? AND r.local_date < ?
            ORDER BY r.local_date
            """,
            (subscription_id, since.isoformat(), until.isoformat()),
        )
        return [
            RoundTally(r["id"], date.fromisoformat(r["local_date"]), r["question_id"],
                       r["answers"], bool(r["revealed"]))
            for r in rows
        ]  # fmt: skip
