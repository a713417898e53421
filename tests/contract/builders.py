"""Small builders the contract tests share: a subscription, a posted round, a message."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from bot.core.models import ChannelRef, Round, Subscription
from bot.core.ports import Store
from bot.core.records import MessageOutcome
from bot.core.schedule import Schedule

PLATFORM = "test"
CHANNEL = ChannelRef(PLATFORM, "space1", "general")
OTHER_CHANNEL = ChannelRef(PLATFORM, "space1", "random")
FAR_CHANNEL = ChannelRef(PLATFORM, "space2", "general")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday
DAY = NOW.date()
EVERY_DAY = Schedule(time(9, 0), "UTC", frozenset(range(7)), timedelta(hours=8))
_ids = itertools.count(1)


async def subscribe(
    store: Store, channel: ChannelRef = CHANNEL, schedule: Schedule = EVERY_DAY
) -> Subscription:
    return await store.save_subscription(channel, schedule, None, "admin", NOW)


async def posted_round(
    store: Store,
    subscription: Subscription,
    day: date = DAY,
    question_id: str = "q1",
    *,
    at: datetime = NOW,
    reveal_after: timedelta = timedelta(hours=8),
) -> Round:
    claimed = await store.claim_round(
        subscription.id, day, question_id, 0, "manual", at, at + reveal_after
    )
    assert claimed is not None
    n = next(_ids)
    return await store.mark_posted(claimed.id, f"post-{n}", f"thread-{n}", at, at + reveal_after)


async def say(
    store: Store,
    round: Round,
    user: str,
    text: str = "my answer",
    *,
    at: datetime = NOW,
    message_id: str | None = None,
    event_id: str | None = None,
    name: str | None = None,
) -> MessageOutcome | None:
    assert round.thread_id is not None
    found, outcome = await store.record_thread_message(
        platform=PLATFORM, thread_id=round.thread_id,
        message_id=message_id or f"m{next(_ids)}", event_id=event_id, user_id=user,
        user_name=name or user.title(), text=text, truncated=False, now=at,
    )  # fmt: skip
    assert found is not None and found.id == round.id
    return outcome
