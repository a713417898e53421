"""The suggestion area of the store contract: the pending limit, decisions once, edits only
while pending, the community ids."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.ports import Store
from bot.core.records import SuggestionFields, SuggestionStatus

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FIELDS = SuggestionFields("What does a bloom filter trade away?", pack="data", difficulty="hard")


async def test_the_pending_limit_is_checked_with_the_insert(store: Store) -> None:
    for _ in range(2):
        added = await store.add_suggestion("slack", "T1", "C1", "U1", "Ann", FIELDS, NOW,
                                           pending_limit=2)  # fmt: skip
        assert added is not None and added.status is SuggestionStatus.PENDING
    assert await store.add_suggestion("slack", "T1", "C1", "U1", "Ann", FIELDS, NOW,
                                      pending_limit=2) is None  # fmt: skip
    # another space, another author: their own limits
    assert await store.add_suggestion("slack", "T2", "C1", "U1", "Ann", FIELDS, NOW, pending_limit=2)
    assert await store.add_suggestion("slack", "T1", "C1", "U2", "Bo", FIELDS, NOW, pending_limit=2)
    assert len(await store.suggestions("slack", "T1")) == 3


async def test_a_suggestion_is_decided_once_and_edited_only_while_pending(store: Store) -> None:
    added = await store.add_suggestion("discord", "G1", "C1", "U1", "Ann", FIELDS, NOW)
    assert added is not None and added.fields == FIELDS and added.created_at == NOW
    edited = SuggestionFields("What does a bloom filter give up?", "Exactness.",
                              ("one point", "two points", "three points"))  # fmt: skip
    after = await store.edit_suggestion(added.id, edited)
    assert after is not None and after.fields == edited
    record, decided = await store.decide_suggestion(
        added.id, SuggestionStatus.APPROVED, "A1", "Admin", None, NOW
    )
    assert decided and record is not None and record.decided_by_name == "Admin"
    again, decided = await store.decide_suggestion(
        added.id, SuggestionStatus.REJECTED, "A2", "Other", "no", NOW
    )
    assert not decided and again is not None and again.status is SuggestionStatus.APPROVED
    assert again.decided_by == "A1"
    assert await store.edit_suggestion(added.id, FIELDS) is None
    assert await store.decide_suggestion(999, SuggestionStatus.APPROVED, "A", "A", None, NOW) == (
        None, False,
    )  # fmt: skip


async def test_community_ids_and_the_first_post(store: Store) -> None:
    first = await store.add_suggestion("slack", "T1", None, "U1", "Ann", FIELDS, NOW,
                                       status=SuggestionStatus.APPROVED)  # fmt: skip
    pending = await store.add_suggestion("slack", "T1", "C1", "U1", "Ann", FIELDS, NOW)
    assert first is not None and pending is not None
    assert await store.community_ids() == [("slack", "T1", first.id)]
    assert await store.mark_suggestion_posted(first.id, NOW)
    assert not await store.mark_suggestion_posted(first.id, NOW)
    assert not await store.mark_suggestion_posted(pending.id, NOW)
    await store.set_suggestion_review_ref(pending.id, "C9:123.4")
    got = await store.suggestion(pending.id)
    assert got is not None and got.review_ref == "C9:123.4"
    assert [s.id for s in await store.suggestions(status=SuggestionStatus.PENDING)] == [pending.id]


async def test_parallel_suggestions_of_one_author_keep_the_pending_limit(store: Store) -> None:
    added = await asyncio.gather(*(
        store.add_suggestion("slack", "T1", "C1", "U1", "Ann", FIELDS, NOW, pending_limit=3)
        for _ in range(8)
    ))  # fmt: skip
    assert sum(a is not None for a in added) == 3
    assert len(await store.suggestions("slack", "T1", SuggestionStatus.PENDING)) == 3
