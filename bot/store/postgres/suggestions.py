"""Members' question suggestions on PostgreSQL (`SuggestionStore`), as `bot.store.suggestions`.

The pending limit is checked and the suggestion inserted in one transaction under a
transaction-scoped advisory lock on the author in the space, so parallel suggestions of one
author cannot both pass the count (the SQLite store has its single writer for that). Decisions,
edits and the first post are conditional updates: a second one waits for the row and then
finds it no longer pending (or already posted).
"""

from __future__ import annotations

from datetime import datetime

from bot.core.records import SuggestionFields, SuggestionRecord, SuggestionStatus
from bot.store.base import to_ts
from bot.store.postgres.base import PgBase
from bot.store.postgres.tx import Tx
from bot.store.suggestions import COLUMNS, field_values, suggestion_of

# The first key of the two-key advisory locks (a key space apart from the one-key
# STANDINGS_LOCK) held while an author's pending suggestions in a space are counted.
AUTHOR_LOCK_CLASS = 150_005


async def _get(tx: Tx, suggestion_id: int) -> SuggestionRecord | None:
    row = await tx.one(f"SELECT {COLUMNS} FROM suggestions WHERE id = ?", (suggestion_id,))
    return None if row is None else suggestion_of(row)


class PgSuggestions(PgBase):
    async def add_suggestion(
        self, platform: str, space_id: str, channel_id: str | None, author_id: str,
        author_name: str, fields: SuggestionFields, now: datetime, *,
        pending_limit: int | None = None,
        status: SuggestionStatus = SuggestionStatus.PENDING,
    ) -> SuggestionRecord | None:  # fmt: skip
        async def unit(tx: Tx) -> SuggestionRecord | None:
            if pending_limit is not None:
                await tx.execute(
                    "SELECT pg_advisory_xact_lock(?::int, hashtext(?::text))",
                    (AUTHOR_LOCK_CLASS, f"{platform}\x1f{space_id}\x1f{author_id}"),
                )
                count = await tx.value(
                    "SELECT count(*) FROM suggestions WHERE platform = ? AND space_id = ? "
                    "AND author_id = ? AND status = 'pending'",
                    (platform, space_id, author_id),
                )
                if count >= pending_limit:
                    return None
            row = await tx.one(
                "INSERT INTO suggestions (platform, space_id, channel_id, author_id, author_name, "
                "text, answer, key_points, tags, further_reading, pack, difficulty, status, "
                f"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}",
                (platform, space_id, channel_id, author_id, author_name, *field_values(fields),
                 status.value, to_ts(now)),
            )  # fmt: skip
            assert row is not None
            return suggestion_of(row)

        return await self._run(unit)

    async def suggestion(self, suggestion_id: int) -> SuggestionRecord | None:
        return await self._run(lambda tx: _get(tx, suggestion_id))

    async def suggestions(
        self,
        platform: str | None = None,
        space_id: str | None = None,
        status: SuggestionStatus | None = None,
    ) -> list[SuggestionRecord]:
        rows = await self._all(
            f"SELECT {COLUMNS} FROM suggestions WHERE ($1::text IS NULL OR platform = $1) "
            "AND ($2::text IS NULL OR space_id = $2) AND ($3::text IS NULL OR status = $3) "
            "ORDER BY id",
            (platform, space_id, status.value if status else None),
        )
        return [suggestion_of(r) for r in rows]

    async def decide_suggestion(
        self, suggestion_id: int, status: SuggestionStatus, by: str, by_name: str,
        reason: str | None, now: datetime,
    ) -> tuple[SuggestionRecord | None, bool]:  # fmt: skip
        async def unit(tx: Tx) -> tuple[SuggestionRecord | None, bool]:
            row = await tx.one(
                "UPDATE suggestions SET status = ?, decided_by = ?, decided_by_name = ?, "
                f"decided_at = ?, reason = ? WHERE id = ? AND status = 'pending' RETURNING {COLUMNS}",
                (status.value, by, by_name, to_ts(now), reason, suggestion_id),
            )
            if row is not None:
                return suggestion_of(row), True
            return await _get(tx, suggestion_id), False

        return await self._run(unit)

    async def edit_suggestion(
        self, suggestion_id: int, fields: SuggestionFields
    ) -> SuggestionRecord | None:
        row = await self._one(
            "UPDATE suggestions SET text = ?, answer = ?, key_points = ?, tags = ?, "
            "further_reading = ?, pack = ?, difficulty = ? "
            f"WHERE id = ? AND status = 'pending' RETURNING {COLUMNS}",
            (*field_values(fields), suggestion_id),
        )
        return None if row is None else suggestion_of(row)

    async def set_suggestion_review_ref(self, suggestion_id: int, ref: str) -> None:
        await self._write(
            "UPDATE suggestions SET review_ref = ? WHERE id = ?", (ref, suggestion_id)
        )

    async def mark_suggestion_posted(self, suggestion_id: int, now: datetime) -> bool:
        changed = await self._write(
            "UPDATE suggestions SET posted_at = ? WHERE id = ? AND status = 'approved' "
            "AND posted_at IS NULL",
            (to_ts(now), suggestion_id),
        )
        return bool(changed)

    async def community_ids(self) -> list[tuple[str, str, int]]:
        rows = await self._all(
            "SELECT platform, space_id, id FROM suggestions WHERE status = 'approved' ORDER BY id"
        )
        return [(r["platform"], r["space_id"], r["id"]) for r in rows]
