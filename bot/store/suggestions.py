"""Members' question suggestions (`SuggestionStore`); a space's approved ones are its
community pack."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any, cast

from bot.core.records import SuggestionFields, SuggestionRecord, SuggestionStatus
from bot.store.base import Row, StoreBase, at, from_ts, to_ts

COLUMNS = (
    "id, platform, space_id, channel_id, author_id, author_name, text, answer, key_points, tags, "
    "further_reading, pack, difficulty, status, created_at, decided_by, decided_by_name, "
    "decided_at, reason, review_ref, posted_at"
)


def _list(value: str) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(value))


def suggestion_of(row: Row) -> SuggestionRecord:
    fields = SuggestionFields(
        text=row["text"],
        answer=row["answer"],
        key_points=_list(row["key_points"]),
        pack=row["pack"],
        difficulty=cast(Any, row["difficulty"]),
        tags=_list(row["tags"]),
        further_reading=_list(row["further_reading"]),
    )
    return SuggestionRecord(
        id=row["id"],
        platform=row["platform"],
        space_id=row["space_id"],
        channel_id=row["channel_id"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        fields=fields,
        status=SuggestionStatus(row["status"]),
        created_at=at(row["created_at"]),
        decided_by=row["decided_by"],
        decided_by_name=row["decided_by_name"],
        decided_at=from_ts(row["decided_at"]),
        reason=row["reason"],
        review_ref=row["review_ref"],
        posted_at=from_ts(row["posted_at"]),
    )


def field_values(fields: SuggestionFields) -> tuple[Any, ...]:
    return (
        fields.text, fields.answer, json.dumps(list(fields.key_points)),
        json.dumps(list(fields.tags)), json.dumps(list(fields.further_reading)),
        fields.pack, fields.difficulty,
    )  # fmt: skip


def _get(db: sqlite3.Connection, suggestion_id: int) -> SuggestionRecord | None:
    row = db.execute(f"SELECT {COLUMNS} FROM suggestions WHERE id = ?", (suggestion_id,)).fetchone()
    return None if row is None else suggestion_of(row)


class Suggestions(StoreBase):
    async def add_suggestion(
        self, platform: str, space_id: str, channel_id: str | None, author_id: str,
        author_name: str, fields: SuggestionFields, now: datetime, *,
        pending_limit: int | None = None,
        status: SuggestionStatus = SuggestionStatus.PENDING,
    ) -> SuggestionRecord | None:  # fmt: skip
        def unit(db: sqlite3.Connection) -> SuggestionRecord | None:
            if pending_limit is not None:
                (count,) = db.execute(
                    "SELECT count(*) FROM suggestions WHERE platform = ? AND space_id = ? "
                    "AND author_id = ? AND status = 'pending'",
                    (platform, space_id, author_id),
                ).fetchone()
                if count >= pending_limit:
                    return None
            cursor = db.execute(
                "INSERT INTO suggestions (platform, space_id, channel_id, author_id, author_name, "
                "text, answer, key_points, tags, further_reading, pack, difficulty, status, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (platform, space_id, channel_id, author_id, author_name, *field_values(fields),
                 status.value, to_ts(now)),
            )  # fmt: skip
            assert cursor.lastrowid is not None
            return _get(db, cursor.lastrowid)

        return await self._run(unit)

    async def suggestion(self, suggestion_id: int) -> SuggestionRecord | None:
        return await self._run(lambda db: _get(db, suggestion_id))

    async def suggestions(
        self,
        platform: str | None = None,
        space_id: str | None = None,
        status: SuggestionStatus | None = None,
    ) -> list[SuggestionRecord]:
        rows = await self._all(
            f"SELECT {COLUMNS} FROM suggestions WHERE (?1 IS NULL OR platform = ?1) "
            "AND (?2 IS NULL OR space_id = ?2) AND (?3 IS NULL OR status = ?3) ORDER BY id",
            (platform, space_id, status.value if status else None),
        )
        return [suggestion_of(r) for r in rows]

    async def decide_suggestion(
        self, suggestion_id: int, status: SuggestionStatus, by: str, by_name: str,
        reason: str | None, now: datetime,
    ) -> tuple[SuggestionRecord | None, bool]:  # fmt: skip
        def unit(db: sqlite3.Connection) -> tuple[SuggestionRecord | None, bool]:
            changed = db.execute(
                "UPDATE suggestions SET status = ?, decided_by = ?, decided_by_name = ?, "
                "decided_at = ?, reason = ? WHERE id = ? AND status = 'pending'",
                (status.value, by, by_name, to_ts(now), reason, suggestion_id),
            ).rowcount
            return _get(db, suggestion_id), bool(changed)

        return await self._run(unit)

    async def edit_suggestion(
        self, suggestion_id: int, fields: SuggestionFields
    ) -> SuggestionRecord | None:
        def unit(db: sqlite3.Connection) -> SuggestionRecord | None:
            changed = db.execute(
                "UPDATE suggestions SET text = ?, answer = ?, key_points = ?, tags = ?, "
                "further_reading = ?, pack = ?, difficulty = ? "
                "WHERE id = ? AND status = 'pending'",
                (*field_values(fields), suggestion_id),
            ).rowcount
            return _get(db, suggestion_id) if changed else None

        return await self._run(unit)

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
