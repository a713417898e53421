"""Installations on many workspaces, OAuth states, and the channels an uninstall paused
(`InstallationStore`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.storage_installs import InstallationRecord, InstallKind
from bot.store.base import Row, StoreBase, at, to_ts
from bot.store.statements import Statements

INSTALLATION_COLUMNS = "platform, kind, enterprise_id, team_id, user_id, data, installed_at"
KEY = "platform = ? AND kind = ? AND enterprise_id = ? AND team_id = ? AND user_id = ?"


def installation_of(row: Row) -> InstallationRecord:
    return InstallationRecord(
        platform=row["platform"],
        kind=row["kind"],
        enterprise_id=row["enterprise_id"],
        team_id=row["team_id"],
        user_id=row["user_id"],
        data=row["data"],
        installed_at=at(row["installed_at"]),
    )


def installation_key(record: InstallationRecord) -> tuple[str, ...]:
    return (record.platform, record.kind, record.enterprise_id, record.team_id, record.user_id)


def find_filter(
    platform: str, enterprise_id: str, team_id: str, kind: InstallKind | None,
    user_id: str | None,
) -> tuple[str, list[Any]]:  # fmt: skip
    """The WHERE clause (both stores) for a workspace's records, of a kind, of a person."""
    where = ["platform = ?", "enterprise_id = ?", "team_id = ?"]
    params: list[Any] = [platform, enterprise_id, team_id]
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    if user_id is not None:
        where.append("user_id = ?")
        params.append(user_id)
    return " AND ".join(where), params


class InstallationLookups:
    """The one-statement calls, the same on both stores (`bot.store.statements`)."""

    async def find_installation(
        self: Statements, platform: str, kind: InstallKind, enterprise_id: str, team_id: str,
        user_id: str | None = None,
    ) -> InstallationRecord | None:  # fmt: skip
        where, params = find_filter(platform, enterprise_id, team_id, kind, user_id)
        row = await self._one(
            f"SELECT {INSTALLATION_COLUMNS} FROM installations WHERE {where} "
            "ORDER BY id DESC LIMIT 1",
            params,
        )
        return installation_of(row) if row else None

    async def delete_installations(
        self: Statements, platform: str, enterprise_id: str, team_id: str, *,
        kind: InstallKind | None = None, user_id: str | None = None,
    ) -> int:  # fmt: skip
        where, params = find_filter(platform, enterprise_id, team_id, kind, user_id)
        return await self._write(f"DELETE FROM installations WHERE {where}", params)


class Installs(InstallationLookups, StoreBase):
    async def save_installations(self, records: Sequence[InstallationRecord]) -> None:
        def unit(db: sqlite3.Connection) -> None:
            for record in records:
                # Delete and insert: the saved row gets the highest id, the newest of its team.
                db.execute(f"DELETE FROM installations WHERE {KEY}", installation_key(record))
                db.execute(
                    f"INSERT INTO installations ({INSTALLATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*installation_key(record), record.data, to_ts(record.installed_at)),
                )

        await self._run(unit)

    async def issue_oauth_state(
        self, platform: str, state: str, expires_at: datetime, now: datetime
    ) -> None:
        def unit(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM oauth_states WHERE expires_at <= ?", (to_ts(now),))
            db.execute(
                "INSERT INTO oauth_states (platform, state, expires_at) VALUES (?, ?, ?)",
                (platform, state, to_ts(expires_at)),
            )

        await self._run(unit)

    async def consume_oauth_state(self, platform: str, state: str, now: datetime) -> bool:
        def unit(db: sqlite3.Connection) -> bool:
            row = db.execute(
                "DELETE FROM oauth_states WHERE platform = ? AND state = ? RETURNING expires_at",
                (platform, state),
            ).fetchone()
            return row is not None and row["expires_at"] > to_ts(now)

        return await self._run(unit)

    async def pause_space(
        self, platform: str, space_id: str, problem: str, now: datetime
    ) -> list[int]:
        def unit(db: sqlite3.Connection) -> list[int]:
            ids = [
                r["id"]
                for r in db.execute(
                    "UPDATE subscriptions SET active = 0, problem = ?, updated_at = ? "
                    "WHERE platform = ? AND space_id = ? AND active = 1 RETURNING id",
                    (problem, to_ts(now), platform, space_id),
                ).fetchall()
            ]
            db.executemany(
                "INSERT INTO space_pauses (subscription_id, paused_at) VALUES (?, ?) "
                "ON CONFLICT (subscription_id) DO NOTHING",
                [(i, to_ts(now)) for i in ids],
            )
            return sorted(ids)

        return await self._run(unit)

    async def resume_space(self, platform: str, space_id: str, now: datetime) -> list[int]:
        def unit(db: sqlite3.Connection) -> list[int]:
            ids = [
                r["id"]
                for r in db.execute(
                    "SELECT s.id FROM space_pauses p JOIN subscriptions s "
                    "ON s.id = p.subscription_id WHERE s.platform = ? AND s.space_id = ? "
                    "ORDER BY s.id",
                    (platform, space_id),
                ).fetchall()
            ]
            for subscription_id in ids:
                db.execute(
                    "UPDATE subscriptions SET active = 1, problem = NULL, updated_at = ? "
                    "WHERE id = ?",
                    (to_ts(now), subscription_id),
                )
                db.execute("DELETE FROM space_pauses WHERE subscription_id = ?", (subscription_id,))
            return ids

        return await self._run(unit)
