"""Contract: messages read back from a thread's history count by when they were written.

`record_thread_message(..., written_at=)` (catch-up after a restart) and
`rounds_revealed_since`, on every store.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.models import Round
from bot.core.ports import Store
from bot.core.records import MessageOutcome
from tests.contract.builders import DAY, NOW, PLATFORM, posted_round, say, subscribe

REVEAL = NOW + timedelta(hours=8)


async def read_back(
    store: Store, round: Round, user: str, message_id: str, *, written: datetime, now: datetime
) -> MessageOutcome | None:
    """A message found in the thread's history at `now`, written at `written`."""
    assert round.thread_id is not None
    found, outcome = await store.record_thread_message(
        platform=PLATFORM, thread_id=round.thread_id, message_id=message_id, event_id=None,
        user_id=user, user_name=user.title(), text="read back", truncated=False, now=now,
        written_at=written,
    )  # fmt: skip
    assert found is not None and found.id == round.id
    return outcome


async def test_written_before_the_reveal_time_counts_when_read_after_it(store: Store) -> None:
    round = await posted_round(store, await subscribe(store))
    written, read = REVEAL - timedelta(minutes=1), REVEAL + timedelta(minutes=5)
    outcome = await read_back(store, round, "ana", "a1", written=written, now=read)
    assert outcome is MessageOutcome.ANSWERED
    assert await store.answered(round.id, "ana")
    late = await read_back(store, round, "ben", "b1", written=REVEAL, now=read)
    assert late is MessageOutcome.LATE and not await store.answered(round.id, "ben")


async def test_an_answer_read_after_the_reveal_counts_for_that_rounds_streak(
    store: Store,
) -> None:
    subscription = await subscribe(store)
    first = await posted_round(store, subscription)
    await say(store, first, "ana", message_id="a1")
    await say(store, first, "ben", message_id="b1")
    await store.reveal_round(first.id, REVEAL)
    second = await posted_round(store, subscription, DAY + timedelta(days=1), "q2",
                                at=NOW + timedelta(days=1))  # fmt: skip
    second_reveal = REVEAL + timedelta(days=1)
    await say(store, second, "ben", message_id="b2", at=NOW + timedelta(days=1))
    assert await store.reveal_round(second.id, second_reveal) is not None
    assert (await store.streak(subscription.id, "ana")).current == 0  # missed, as far as known
    # Ana's answer to the second round, written before its reveal, is read after it.
    written = second_reveal - timedelta(hours=1)
    outcome = await read_back(
        store, second, "ana", "a2", written=written, now=second_reveal + timedelta(hours=2)
    )
    assert outcome is MessageOutcome.ANSWERED
    ana, ben = [await store.streak(subscription.id, u) for u in ("ana", "ben")]
    assert (ana.current, ana.best, ana.answers) == (2, 2, 2)
    assert (ben.current, ben.best, ben.answers) == (2, 2, 2)
    names = [a.user_id for a in await store.round_answerers(second.id)]
    assert names == ["ben", "ana"]  # in the order they were written


async def test_written_after_the_reveal_is_late_even_before_the_reveal_time(
    store: Store,
) -> None:
    round = await posted_round(store, await subscribe(store))
    revealed = NOW + timedelta(hours=1)  # revealed by hand, before its reveal time
    await store.reveal_round(round.id, revealed)
    before = await read_back(
        store, round, "ana", "a1", written=revealed - timedelta(seconds=1), now=revealed
    )
    after = await read_back(store, round, "ben", "b1", written=revealed, now=revealed)
    assert (before, after) == (MessageOutcome.ANSWERED, MessageOutcome.LATE)


async def test_a_message_stored_live_and_read_back_counts_once(store: Store) -> None:
    subscription = await subscribe(store)
    round = await posted_round(store, subscription)
    assert await say(store, round, "ana", message_id="a1") is MessageOutcome.ANSWERED
    again = await read_back(store, round, "ana", "a1", written=NOW, now=NOW + timedelta(hours=1))
    assert again is MessageOutcome.DUPLICATE
    assert await store.thread_messages(round.id, "ana") == ["a1"]
    await store.reveal_round(round.id, REVEAL)
    assert (await store.streak(subscription.id, "ana")).answers == 1


async def test_a_message_stored_late_but_written_in_time_becomes_an_answer(
    store: Store,
) -> None:
    """Slack redelivers an event after a reveal that happened at start-up: the live path
    stores it late; read back with its written time, it counts, once."""
    subscription = await subscribe(store)
    round = await posted_round(store, subscription)
    await store.reveal_round(round.id, REVEAL)
    after = REVEAL + timedelta(minutes=2)
    assert await say(store, round, "ana", message_id="a1", at=after) is MessageOutcome.LATE
    written = REVEAL - timedelta(minutes=3)
    outcome = await read_back(store, round, "ana", "a1", written=written, now=after)
    assert outcome is MessageOutcome.ANSWERED
    again = await read_back(store, round, "ana", "a1", written=written, now=after)
    assert again is MessageOutcome.DUPLICATE
    streak = await store.streak(subscription.id, "ana")
    assert (streak.current, streak.answers) == (1, 1)
    assert await store.answer_text(round.id, "ana") == "my answer"


async def test_a_written_time_ahead_of_the_clock_counts_as_now(store: Store) -> None:
    round = await posted_round(store, await subscribe(store))
    ahead = await read_back(
        store, round, "ana", "a1", written=REVEAL + timedelta(minutes=1),
        now=REVEAL - timedelta(minutes=1),
    )  # fmt: skip
    assert ahead is MessageOutcome.ANSWERED  # platform clocks drift: never later than now


async def test_rounds_revealed_since(store: Store) -> None:
    subscription = await subscribe(store)
    old = await posted_round(store, subscription)
    recent = await posted_round(store, subscription, DAY + timedelta(days=1), "q2",
                                at=NOW + timedelta(days=1))  # fmt: skip
    still_open = await posted_round(store, subscription, DAY + timedelta(days=2), "q3",
                                    at=NOW + timedelta(days=2))  # fmt: skip
    await store.reveal_round(old.id, REVEAL)
    await store.reveal_round(recent.id, REVEAL + timedelta(days=1))
    since = REVEAL + timedelta(hours=12)
    assert [r.id for r in await store.rounds_revealed_since(since)] == [recent.id]
    both = await store.rounds_revealed_since(REVEAL)
    assert [r.id for r in both] == [old.id, recent.id]
    assert still_open.id not in {r.id for r in both}
