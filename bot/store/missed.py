"""Missed questions (`MissedStore`): daily rounds someone did not answer, and questions whose
latest self-rating is Again, for `/quiz missed` and `/review export`."""

from __future__ import annotations

from bot.core.records import MissedQuestion
from bot.store.base import StoreBase, at

# A revealed round of a channel the person answers in, without their answer, counts until
# they rate that question above Again after its reveal; a question counts while its latest
# rating is Again.
_MISSED = """
WITH latest AS (
    SELECT l.question_id, l.rating, l.reviewed_at FROM review_log l
    WHERE l.platform = :platform AND l.user_id = :user
      AND l.id = (SELECT MAX(k.id) FROM review_log k WHERE k.platform = l.platform
                  AND k.user_id = l.user_id AND k.question_id = l.question_id)
),
daily AS (
    SELECT r.question_id, MAX(r.revealed_at) AS at FROM rounds r
    JOIN subscriptions s ON s.id = r.subscription_id
    JOIN members m ON m.subscription_id = r.subscription_id AND m.user_id = :user
    WHERE s.platform = :platform AND r.status = 'revealed'
      AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.round_id = r.id AND a.user_id = :user)
    GROUP BY r.question_id
)
SELECT d.question_id, 'missed' AS reason, d.at FROM daily d
WHERE NOT EXISTS (SELECT 1 FROM latest x WHERE x.question_id = d.question_id
                  AND x.rating != 'again' AND x.reviewed_at >= d.at)
UNION ALL
SELECT x.question_id, 'again' AS reason, x.reviewed_at AS at FROM latest x
WHERE x.rating = 'again'
ORDER BY at DESC, question_id
"""


class Missed(StoreBase):
    async def missed_questions(self, platform: str, user_id: str) -> list[MissedQuestion]:
        """Latest first, each question once (its latest reason)."""
        params = {"platform": platform, "user": user_id}
        rows = await self._run(lambda db: db.execute(_MISSED, params).fetchall())
        seen: set[str] = set()
        found: list[MissedQuestion] = []
        for row in rows:
            if row["question_id"] not in seen:
                seen.add(row["question_id"])
                found.append(MissedQuestion(row["question_id"], row["reason"], at(row["at"])))
        return found
