"""Contract: messages in a round's thread, answers (late, duplicate, edit, delete)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import Store
from bot.core.records import ChangeOutcome, MessageOutcome
from tests.contract.builders import NOW, PLATFORM, posted_round, say, subscribe

LATER = NOW + timedelta(minutes=5)


async def test_first_message_answers_and_more_are_added(store: Store) -> None:
    round = await posted_round(store, await subscribe(store))
    assert await say(store, round, "ana", "first", message_id="a1") is MessageOutcome.ANSWERED
    assert await say(store, round, "ana", "second", message_id="a2") is MessageOutcome.ADDED
    assert await say(store, round, "ben", message_id="b1") is MessageOutcome.ANSWERED
    assert await store.answered(round.id, "ana") and await store.answered(round.id, "ben")
    assert not await store.answered(round.id, "cat")
    assert await store.answer_text(round.id, "ana") == "first\nsecond"
    assert await store.thread_messages(round.id, "ana") == ["a1", "a2"]


async def test_at_or_after_reveal_at_is_late(store: Store) -> None:
    round = await posted_round(store, await subscribe(store), reveal_after=timedelta(hours=1))
    just_before = round.reveal_at - timedelta(seconds=1)
    assert await say(store, round, "ana", at=just_before) is MessageOutcome.ANSWERED
    assert await say(store, round, "ben", "late", at=round.reveal_at) is MessageOutcome.LATE
    assert not await store.answered(round.id, "ben")
    assert await store.answer_text(round.id, "ben") == ""  # kept, but no answer


async def test_after_the_reveal_is_late(store: Store) -> None:
    round = await posted_round(store, await subscribe(store))
    assert await store.reveal_round(round.id, NOW + timedelta(minutes=1)) == []
    early = NOW + timedelta(minutes=2)  # still before reveal_at, but the round is revealed
    assert await say(store, round, "ana", at=early, message_id="x") is MessageOutcome.LATE
    assert await store.thread_messages(round.id, "ana") == ["x"]
    assert not await store.answered(round.id, "ana")


async def test_a_redelivered_event_or_message_changes_nothing(store: Store) -> None:
    round = await posted_round(store, await subscribe(store))
    first = await say(store, round, "ana", message_id="a1", event_id="e1")
    assert first is MessageOutcome.ANSWERED
    again = await say(store, round, "ana", message_id="a2", event_id="e1")
    assert again is MessageOutcome.DUPLICATE
    assert await say(store, round, "ana", message_id="a1") is MessageOutcome.DUPLICATE
    assert await store.thread_messages(round.id, "ana") == ["a1"]


async def test_a_thread_that_is_no_rounds_and_a_round_only_claimed(store: Store) -> None:
    subscription = await subscribe(store)
    kwargs = dict(
        platform=PLATFORM, message_id="m", event_id=None, user_id="ana", user_name="Ana",
        text="hi", truncated=False, now=NOW,
    )  # fmt: skip
    nowhere = await store.record_thread_message(thread_id="nowhere", **kwargs)  # type: ignore[arg-type]
    assert nowhere == (None, None)
    claimed = await store.claim_round(
        subscription.id, NOW.date(), "q1", 0, "manual", NOW, NOW + timedelta(hours=1)
    )
    assert claimed is not None
    round = await posted_round(store, subscription, NOW.date() + timedelta(days=1))
    other_platform = dict(kwargs, platform="other")
    assert round.thread_id is not None
    elsewhere = await store.record_thread_message(thread_id=round.thread_id, **other_platform)  # type: ignore[arg-type]
    assert elsewhere == (None, None)  # threads are looked up per platform


async def test_edits(store: Store) -> None:
    round = await posted_round(store, await subscribe(store))
    await say(store, round, "ana", "before", message_id="a1")

    async def edit(message_id: str, text: str, event_id: str | None = None) -> ChangeOutcome:
        return await store.edit_message(
            platform=PLATFORM, message_id=message_id, event_id=event_id, text=text,
            truncated=False, now=LATER,
        )  # fmt: skip

    assert await edit("a1", "after", "e1") is ChangeOutcome.UPDATED
    assert await store.answer_text(round.id, "ana") == "after"
    assert await edit("a1", "again", "e1") is ChangeOutcome.DUPLICATE
    assert await store.answer_text(round.id, "ana") == "after"
    assert await edit("unknown", "x") is ChangeOutcome.UNKNOWN


async def test_deletes(store: Store) -> None:
    subscription = await subscribe(store)
    round = await posted_round(store, subscription)

    async def delete(message_id: str, event_id: str | None = None) -> ChangeOutcome:
        return await store.delete_message(
            platform=PLATFORM, message_id=message_id, event_id=event_id, now=LATER
        )

    await say(store, round, "ana", "one", message_id="a1")
    await say(store, round, "ana", "two", message_id="a2")
    assert await delete("a1") is ChangeOutcome.KEPT  # the other message still answers
    assert await store.answer_text(round.id, "ana") == "two"
    assert await delete("a2", "e9") is ChangeOutcome.REMOVED
    assert not await store.answered(round.id, "ana")
    assert await store.thread_messages(round.id, "ana") == []
    assert await delete("a2", "e9") is ChangeOutcome.DUPLICATE  # the same event again
    assert await delete("a2") is ChangeOutcome.DUPLICATE  # already deleted
    assert await delete("never") is ChangeOutcome.UNKNOWN
    edited = await store.edit_message(
        platform=PLATFORM, message_id="a2", event_id=None, text="x", truncated=False, now=LATER
    )
    assert edited is ChangeOutcome.UNKNOWN  # a deleted message is not edited
    assert await say(store, round, "ana", "back", message_id="a3") is MessageOutcome.ANSWERED

    await say(store, round, "ben", message_id="b1")
    await store.reveal_round(round.id, LATER)
    assert await delete("b1") is ChangeOutcome.KEPT  # after the reveal the answer stays
    assert await store.answered(round.id, "ben")
