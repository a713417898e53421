"""Missed questions on PostgreSQL (`MissedStore`), as `bot.store.missed` (whose query this
is, with numbered parameters): daily rounds someone did not answer, and questions whose
latest self-rating is Again."""

from __future__ import annotations

from bot.core.records import MissedQuestion
from bot.store.base import at
from bot.store.postgres.base import PgBase

# A revealed round of a channel the person answers in, without their answer, counts until
# they rate that question above Again after its reveal; a question counts while its latest
# rating is Again. $1: the platform, $2: the person.
_MISSED = """
WITH latest AS (
    SELECT l.question_id, l.rating, l.reviewed_at FROM review_log l
    WHERE l.platform = $1 AND l.user_id = $2
      AND l.id = (SELECT MAX(k.id) FROM review_log k WHERE k.platform = l.platform
                  AND k.user_id = l.user_id AND k.question_id = l.question_id)
),
daily AS (
    SELECT r.question_id, MAX(r.revealed_at) AS at FROM rounds r
    JOIN subscriptions s ON s.id = r.subscription_id
    JOIN members m ON m.subscription_id = r.subscription_id AND m.user_id = $2
    WHERE s.platform = $1 AND r.status = 'revealed'
      AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.round_id = r.id AND a.user_id = $2)
    GROUP BY r.question_id
)
SELECT question_id, reason, at FROM (
SELECT d.question_id, 'missed' AS reason, d.at FROM daily d
WHERE NOT EXISTS (SELECT 1 FROM latest x WHERE x.question_id = d.question_id
                  AND x.rating != 'again' AND x.reviewed_at >= d.at)
UNION ALL
SELECT x.question_id, 'again' AS reason, x.reviewed_at AS at FROM latest x
WHERE x.rating = 'again'
) found
ORDER BY at DESC, question_id COLLATE "C"
"""


class PgMissed(PgBase):
    async def missed_questions(self, platform: str, user_id: str) -> list[MissedQuestion]:
        """Latest first, each question once (its latest reason)."""
        rows = await self._all(_MISSED, (platform, user_id))
        seen: set[str] = set()
        found: list[MissedQuestion] = []
        for row in rows:
            if row["question_id"] not in seen:
                seen.add(row["question_id"])
                found.append(MissedQuestion(row["question_id"], row["reason"], at(row["at"])))
        return found
