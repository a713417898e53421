"""Test doubles and builders shared by the tests."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.bank.loader import load_bank
from bot.bank.models import Bank
from bot.clock import ManualClock
from bot.core.engine import Engine, EngineSettings
from bot.core.errors import PublishError
from bot.core.models import ChannelRef, Round
from bot.core.ports import (
    FeedbackPost,
    NoticePost,
    PostedRef,
    RevealPost,
    RoundPost,
    Store,
    StoreOpener,
)
from bot.core.results import IncomingMessage
from bot.scheduler import ManualScheduler
from bot.store import SqliteStore, StandingsTuning

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "bank"
PLATFORM = "test"
CHANNEL = ChannelRef(PLATFORM, "space1", "general")
OTHER_CHANNEL = ChannelRef(PLATFORM, "space1", "random")
# Tuesday 1 December 2026, 08:00 in Berlin.
START = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
_message_ids = itertools.count(1)


@dataclass
class RecordingPublisher:
    """Records what the core asks to post; fails on demand per channel id."""

    posts: list[RoundPost] = field(default_factory=list)
    reveals: list[RevealPost] = field(default_factory=list)
    failures: dict[str, PublishError] = field(default_factory=dict)
    feedbacks: list[FeedbackPost] = field(default_factory=list)  # private feedback, in order
    notices: list[NoticePost] = field(default_factory=list)  # to the channel's admin

    async def post_round(self, post: RoundPost) -> PostedRef:
        failure = self.failures.get(post.subscription.channel.channel_id)
        if failure is not None:
            raise failure
        self.posts.append(post)
        return PostedRef(f"msg-{post.round.id}", f"thread-{post.round.id}")

    async def post_reveal(self, reveal: RevealPost) -> None:
        self.reveals.append(reveal)

    async def send_feedback(self, post: FeedbackPost) -> PostedRef:
        self.feedbacks.append(post)
        return PostedRef(f"feedback-{len(self.feedbacks)}", "")

    async def send_notice(self, notice: NoticePost) -> PostedRef:
        self.notices.append(notice)
        return PostedRef(f"notice-{len(self.notices)}", "")


@dataclass
class World:
    """A bot on a real store (SQLite unless `open_store` says otherwise), with a manual clock and
    a recording publisher."""

    db_path: Path
    bank: Bank
    clock: ManualClock
    store: Store
    engine: Engine
    scheduler: ManualScheduler
    publisher: RecordingPublisher
    open_store: StoreOpener

    @classmethod
    async def open(
        cls,
        db_path: Path,
        *,
        clock: ManualClock | None = None,
        publisher: RecordingPublisher | None = None,
        settings: EngineSettings | None = None,
        start: bool = True,
        open_store: StoreOpener = SqliteStore.open,
        bank: Bank | None = None,
    ) -> World:
        bank = bank or load_bank(FIXTURE_BANK)
        clock = clock or ManualClock(START)
        store = await open_store(db_path)
        engine = Engine(store, bank, clock, settings, rng=random.Random(7))
        publisher = publisher or RecordingPublisher()
        engine.add_publisher(PLATFORM, publisher)
        scheduler = ManualScheduler(engine, clock)
        if start:
            await scheduler.start()
        return cls(db_path, bank, clock, store, engine, scheduler, publisher, open_store)

    async def restart(self) -> World:
        """Close everything and start again on the same file and clock (a bot restart)."""
        await self.store.close()
        return await World.open(
            self.db_path, clock=self.clock, publisher=self.publisher, open_store=self.open_store
        )

    async def close(self) -> None:
        await self.store.close()

    async def answer(
        self,
        round: Round,
        user: str,
        text: str = "my answer",
        *,
        message_id: str | None = None,
        event_id: str | None = None,
    ) -> object:
        return await self.engine.handle_message(message(round, user, text, message_id, event_id))


def sqlite_with(tuning: StandingsTuning) -> StoreOpener:
    """Opens SQLite stores with the given standings tuning (e.g. tiny steps, to cross folds)."""

    async def open_store(path: Path) -> Store:
        return await SqliteStore.open(path, tuning=tuning)

    return open_store


def message(
    round: Round,
    user: str,
    text: str = "my answer",
    message_id: str | None = None,
    event_id: str | None = None,
) -> IncomingMessage:
    assert round.thread_id is not None
    return IncomingMessage(
        platform=PLATFORM,
        thread_id=round.thread_id,
        message_id=message_id or f"m{next(_message_ids)}",
        user_id=user,
        user_name=user.title(),
        text=text,
        event_id=event_id,
    )
