"""Answers and the reveal on PostgreSQL (`AnswerStore`), as `bot.store.answers` (whose text
this follows): a message locks its round's row (`FOR SHARE`) and a reveal locks it for update,
so an answer and the reveal of its round never interleave.

Each unit function runs on the connection's thread inside a transaction the caller owns, and
does one whole step of the rules: a message in a round's thread, an edit, a delete, a reveal.
The late rule is `rules.is_late`; the streak rule (`streaks.apply_reveal`) is mirrored in SQL
in `reveal_round`, and the contract suite checks the two agree.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.models import Round, RoundStatus
from bot.core.records import Answerer, ChangeOutcome, DeliveryKind, MessageOutcome
from bot.core.rules import is_late
from bot.store.base import ROUND_COLUMNS_R, round_of, to_ts
from bot.store.postgres import deliveries, repairs, standings
from bot.store.postgres.base import PgBase
from bot.store.postgres.outbox_kinds import add_feedback
from bot.store.postgres.tx import Tx


async def first_time(tx: Tx, platform: str, event_id: str | None, now: int) -> bool:
    """Record a platform event id; False when it was seen before."""
    if event_id is None:
        return True
    inserted = await tx.execute(
        "INSERT INTO processed_events (platform, event_id, processed_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (platform, event_id, now),
    )
    return inserted == 1


async def record_message(
    tx: Tx,
    *,
    platform: str,
    message_id: str,
    event_id: str | None,
    round_id: int,
    user_id: str,
    user_name: str,
    text: str,
    truncated: bool,
    now: int,
    fold_at: int,
    written_at: int | None = None,
) -> MessageOutcome:
    """Store a message in a round's thread and count it as an answer when in time.

    `written_at` (read back from history): the message counts from then; see
    `AnswerStore.record_thread_message`.
    """
    if not await first_time(tx, platform, event_id, now):
        return MessageOutcome.DUPLICATE
    state = await tx.one(
        "SELECT status, reveal_at, revealed_at, subscription_id FROM rounds WHERE id = ? "
        "FOR SHARE",
        (round_id,),
    )
    assert state is not None, "record_message needs an existing round"
    subscription_id = state["subscription_id"]
    revealed = state["status"] == RoundStatus.REVEALED.value
    sent_at = now if written_at is None else min(written_at, now)
    late = is_late(
        revealed=revealed,
        reveal_at=state["reveal_at"],
        sent_at=sent_at,
        revealed_at=None if written_at is None else state["revealed_at"],
    )
    if revealed and not late:  # the streaks are derived again below: the lock comes first
        await tx.lock_standings()
    named = await tx.execute(
        "INSERT INTO users (platform, user_id, name) VALUES (?, ?, ?) "
        "ON CONFLICT (platform, user_id) DO UPDATE SET name = excluded.name "
        "WHERE users.name != excluded.name",
        (platform, user_id, user_name),
    )
    if named:  # someone new, or a new name: the boards' copies follow
        await standings.rename(tx, platform, user_id, user_name)
    stored = await tx.execute(
        """
        INSERT INTO messages (platform, message_id, round_id, user_id, text, truncated, late,
            sent_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (platform, message_id) DO NOTHING
        """,
        (platform, message_id, round_id, user_id, text, int(truncated), int(late), sent_at),
    )
    if stored != 1:
        # Stored late (a redelivered event after a reveal at start-up), but written in time.
        in_time = written_at is not None and not late
        upgraded = in_time and await tx.execute(
            "UPDATE messages SET late = 0, sent_at = ? WHERE platform = ? AND message_id = ? "
            "AND round_id = ? AND late = 1 AND deleted_at IS NULL",
            (sent_at, platform, message_id, round_id),
        )
        if not upgraded:
            return MessageOutcome.DUPLICATE
    if late:
        return MessageOutcome.LATE
    first = await tx.execute(
        "INSERT INTO answers (round_id, user_id, subscription_id, answered_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (round_id, user_id) DO NOTHING",
        (round_id, user_id, subscription_id, sent_at),
    )
    if first != 1:
        return MessageOutcome.ADDED
    await standings.count_answer(
        tx, subscription_id=subscription_id, user_id=user_id, name=user_name,
        answered_at=sent_at, delta=1, fold_at=fold_at,
    )  # fmt: skip
    if revealed:  # its reveal moved streaks on without this answer: derive them again
        await repairs.recompute_streaks(tx, subscription_id)
    return MessageOutcome.ANSWERED


async def edit_message(
    tx: Tx,
    *,
    platform: str,
    message_id: str,
    event_id: str | None,
    text: str,
    truncated: bool,
    now: int,
) -> ChangeOutcome:
    if not await first_time(tx, platform, event_id, now):
        return ChangeOutcome.DUPLICATE
    changed = await tx.execute(
        "UPDATE messages SET text = ?, truncated = ?, edited_at = ? "
        "WHERE platform = ? AND message_id = ? AND deleted_at IS NULL",
        (text, int(truncated), now, platform, message_id),
    )
    return ChangeOutcome.UPDATED if changed else ChangeOutcome.UNKNOWN


async def delete_message(
    tx: Tx,
    *,
    platform: str,
    message_id: str,
    event_id: str | None,
    now: int,
    fold_at: int,
) -> ChangeOutcome:
    """Forget a message's text; before the reveal, its author's last message takes the answer."""
    if not await first_time(tx, platform, event_id, now):
        return ChangeOutcome.DUPLICATE
    row = await tx.one(
        """
        SELECT m.id, m.round_id, m.user_id, m.late, m.deleted_at, r.status, r.subscription_id
        FROM messages m JOIN rounds r ON r.id = m.round_id
        WHERE m.platform = ? AND m.message_id = ?
        FOR SHARE OF r
        """,
        (platform, message_id),
    )
    if row is None:
        return ChangeOutcome.UNKNOWN
    round_id, user_id, subscription_id = row["round_id"], row["user_id"], row["subscription_id"]
    if row["deleted_at"] is not None:
        return ChangeOutcome.DUPLICATE
    await tx.execute(
        "UPDATE messages SET deleted_at = ?, text = '' WHERE id = ?", (now, row["id"])
    )
    if row["late"] or row["status"] == RoundStatus.REVEALED.value:
        return ChangeOutcome.KEPT
    left = await tx.value(
        "SELECT COUNT(*) AS n FROM messages WHERE round_id = ? AND user_id = ? "
        "AND late = 0 AND deleted_at IS NULL",
        (round_id, user_id),
    )
    if left:
        return ChangeOutcome.KEPT
    answer = await tx.one(
        "DELETE FROM answers WHERE round_id = ? AND user_id = ? RETURNING answered_at",
        (round_id, user_id),
    )
    if answer is not None:
        await standings.count_answer(
            tx, subscription_id=subscription_id, user_id=user_id, name=user_id,  # has a row
            answered_at=answer["answered_at"], delta=-1, fold_at=fold_at,
        )  # fmt: skip
    return ChangeOutcome.REMOVED


async def round_answerers(tx: Tx, round_id: int, platform: str) -> list[Answerer]:
    return [
        Answerer(r["user_id"], r["name"])
        for r in await tx.all(
            """
            SELECT a.user_id, COALESCE(u.name, a.user_id) AS name FROM answers a
            LEFT JOIN users u ON u.platform = ? AND u.user_id = a.user_id
            WHERE a.round_id = ? ORDER BY a.answered_at, a.user_id COLLATE "C"
            """,
            (platform, round_id),
        )
    ]


async def reveal_round(tx: Tx, round_id: int, now: int) -> list[Answerer] | None:
    """Close a round, move streaks on and write its reveal delivery; None when it was not open."""
    row = await tx.one(
        "SELECT r.status, r.subscription_id, s.platform FROM rounds r "
        "JOIN subscriptions s ON s.id = r.subscription_id WHERE r.id = ? FOR UPDATE OF r",
        (round_id,),
    )
    if row is None or row["status"] != RoundStatus.POSTED.value:
        return None
    subscription_id, platform = row["subscription_id"], row["platform"]
    await standings.fold_log(tx)  # takes the standings lock before any row of members
    await tx.execute(
        "UPDATE rounds SET status = 'revealed', revealed_at = ? WHERE id = ?", (now, round_id)
    )
    # Everyone who missed this round loses their current streak (unless it was repaired)...
    repaired = await repairs.is_repaired(tx, round_id)
    reset = set() if repaired else {
        r["user_id"]
        for r in await tx.all(
            """
            SELECT user_id FROM members WHERE subscription_id = ? AND current_streak > 0
              AND user_id NOT IN (SELECT user_id FROM answers WHERE round_id = ?)
            """,
            (subscription_id, round_id),
        )
    }
    await tx.execute(
        """
        UPDATE members SET current_streak = 0
        WHERE ? AND subscription_id = ? AND current_streak > 0
          AND user_id NOT IN (SELECT user_id FROM answers WHERE round_id = ?)
        """,
        (not repaired, subscription_id, round_id),
    )
    # ...and everyone who answered it extends theirs (SET reads the old row values).
    await tx.execute(
        """
        UPDATE members SET current_streak = current_streak + 1,
                           best_streak = GREATEST(best_streak, current_streak + 1)
        WHERE subscription_id = ?
          AND user_id IN (SELECT user_id FROM answers WHERE round_id = ?)
        """,
        (subscription_id, round_id),
    )
    answerers = await round_answerers(tx, round_id, platform)
    await standings.refresh_space_streaks(tx, subscription_id, reset | {a.user_id for a in answerers})
    await deliveries.add(tx, DeliveryKind.REVEAL, subscription_id, round_id, now)
    await add_feedback(tx, subscription_id, round_id, platform, now)  # after the reveal
    return answerers


class PgAnswers(PgBase):
    async def record_thread_message(
        self,
        *,
        platform: str,
        thread_id: str,
        message_id: str,
        event_id: str | None,
        user_id: str,
        user_name: str,
        text: str,
        truncated: bool,
        now: datetime,
        written_at: datetime | None = None,
    ) -> tuple[Round | None, MessageOutcome | None]:
        """A message in some thread: find the round it answers and record it, in one unit.

        (None, None) when the thread is no round's; (round, None) when the round is only
        claimed (not posted yet); else the round and what `record_message` made of it.
        """
        fold_at = self._tuning.fold_at
        written = None if written_at is None else to_ts(written_at)

        async def unit(tx: Tx) -> tuple[Round | None, MessageOutcome | None]:
            row = await tx.one(
                f"SELECT {ROUND_COLUMNS_R} FROM rounds r "
                "JOIN subscriptions s ON s.id = r.subscription_id "
                "WHERE r.thread_id = ? AND s.platform = ?",
                (thread_id, platform),
            )
            if row is None:
                return None, None
            found = round_of(row)
            if found.status is RoundStatus.CLAIMED:
                return found, None
            return found, await record_message(
                tx, platform=platform, message_id=message_id, event_id=event_id,
                round_id=found.id, user_id=user_id, user_name=user_name, text=text,
                truncated=truncated, now=to_ts(now), fold_at=fold_at, written_at=written,
            )  # fmt: skip

        return await self._run(unit)

    async def edit_message(
        self,
        *,
        platform: str,
        message_id: str,
        event_id: str | None,
        text: str,
        truncated: bool,
        now: datetime,
    ) -> ChangeOutcome:
        return await self._run(
            lambda tx: edit_message(
                tx, platform=platform, message_id=message_id, event_id=event_id, text=text,
                truncated=truncated, now=to_ts(now),
            )
        )  # fmt: skip

    async def delete_message(
        self, *, platform: str, message_id: str, event_id: str | None, now: datetime
    ) -> ChangeOutcome:
        """Forget a message's text; before the reveal, its author's last message takes the answer."""
        fold_at = self._tuning.fold_at
        return await self._run(
            lambda tx: delete_message(
                tx, platform=platform, message_id=message_id, event_id=event_id, now=to_ts(now),
                fold_at=fold_at,
            )
        )  # fmt: skip

    async def thread_messages(self, round_id: int, user_id: str) -> list[str]:
        """The ids of someone's messages in a round's thread (not deleted), oldest first."""
        rows = await self._all(
            "SELECT message_id FROM messages WHERE round_id = ? AND user_id = ? "
            "AND deleted_at IS NULL ORDER BY sent_at, id",
            (round_id, user_id),
        )
        return [r["message_id"] for r in rows]

    async def answer_text(self, round_id: int, user_id: str) -> str:
        rows = await self._all(
            "SELECT text FROM messages WHERE round_id = ? AND user_id = ? AND late = 0 "
            "AND deleted_at IS NULL ORDER BY sent_at, id",
            (round_id, user_id),
        )
        return "\n".join(r["text"] for r in rows)

    async def answered(self, round_id: int, user_id: str) -> bool:
        row = await self._one(
            "SELECT 1 FROM answers WHERE round_id = ? AND user_id = ?", (round_id, user_id)
        )
        return row is not None

    async def round_answerers(self, round_id: int) -> list[Answerer]:
        async def unit(tx: Tx) -> list[Answerer]:
            platform = await tx.value(
                "SELECT s.platform FROM rounds r JOIN subscriptions s ON s.id = r.subscription_id "
                "WHERE r.id = ?",
                (round_id,),
            )
            return [] if platform is None else await round_answerers(tx, round_id, platform)

        return await self._run(unit)

    async def reveal_round(self, round_id: int, now: datetime) -> list[Answerer] | None:
        """Close a round and move streaks on; None when it was not open."""
        return await self._run(lambda tx: reveal_round(tx, round_id, to_ts(now)))
