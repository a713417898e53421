"""The delivery worker (issue 18): posts and reveals through the outbox, retries that fit each
failure, parking, and deliveries in doubt after a crash looked up before a second send."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot.core.errors import PublishError, PublishFailure
from bot.core.models import RoundStatus, Subscription
from bot.core.outbox import LEASE
from bot.core.ports import PostedRef, RevealPost, RoundPost
from bot.core.records import DeliveryKind, DeliveryStatus
from bot.core.results import PostStatus
from tests.helpers import CHANNEL, OTHER_CHANNEL, RecordingPublisher, World

TRANSIENT = PublishError(PublishFailure.TRANSIENT, "Slack answered 503")


@dataclass
class Flaky(RecordingPublisher):
    """Fails the next calls per channel from a queue of errors; then works."""

    queued: dict[str, list[PublishError]] = field(default_factory=dict)
    reveal_failures: dict[str, list[PublishError]] = field(default_factory=dict)
    attempts: list[datetime] = field(default_factory=list)
    sent: dict[int, PostedRef] = field(default_factory=dict)  # by delivery id, as a platform keeps

    async def post_round(self, post: RoundPost) -> PostedRef:
        errors = self.queued.get(post.subscription.channel.channel_id)
        if errors:
            raise errors.pop(0)
        ref = await super().post_round(post)
        assert post.delivery_id is not None
        self.sent[post.delivery_id] = ref
        return ref

    async def post_reveal(self, reveal: RevealPost) -> None:
        errors = self.reveal_failures.get(reveal.subscription.channel.channel_id)
        if errors:
            raise errors.pop(0)
        await super().post_reveal(reveal)

    async def find_delivery(
        self, subscription: Subscription, delivery_id: int, thread_id: str | None,
        since: datetime,
    ) -> PostedRef | None:  # fmt: skip
        return self.sent.get(delivery_id)


async def flaky_world(tmp_path: Path) -> tuple[World, Flaky]:
    publisher = Flaky()
    world = await World.open(tmp_path / "bot.db", publisher=publisher)
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
    return world, publisher


async def test_a_5xx_is_retried_with_backoff_and_posts_once(tmp_path: Path) -> None:
    world, publisher = await flaky_world(tmp_path)
    try:
        publisher.queued["general"] = [TRANSIENT, TRANSIENT]
        result = await world.engine.post_now(CHANNEL)
        assert result.status is PostStatus.QUEUED and result.detail == "Slack answered 503"
        assert result.round is not None
        post = await world.store.round_delivery(result.round.id, DeliveryKind.POST)
        assert post is not None and post.status is DeliveryStatus.PENDING
        first_wait = post.due_at - world.clock.now()
        assert timedelta(seconds=1) <= first_wait <= timedelta(seconds=2)  # jittered first step
        await world.scheduler.advance(timedelta(seconds=2))
        again = await world.store.round_delivery(result.round.id, DeliveryKind.POST)
        assert again is not None and again.attempts == 2 and again.status is DeliveryStatus.PENDING
        assert again.due_at - world.clock.now() <= timedelta(seconds=4)  # doubled, jittered
        await world.scheduler.advance(timedelta(seconds=4))
        assert len(publisher.posts) == 1
        posted = await world.store.round(result.round.id)
        assert posted is not None and posted.status is RoundStatus.POSTED
        assert (await world.engine.post_now(CHANNEL)).status is PostStatus.ALREADY
        assert len(publisher.posts) == 1
    finally:
        await world.close()


async def test_a_429_waits_for_retry_after(tmp_path: Path) -> None:
    world, publisher = await flaky_world(tmp_path)
    try:
        limited = PublishError(PublishFailure.TRANSIENT, "429", retry_after=30)
        publisher.queued["general"] = [limited, limited, limited, limited]
        result = await world.engine.post_now(CHANNEL)
        assert result.status is PostStatus.QUEUED and result.round is not None
        post = await world.store.round_delivery(result.round.id, DeliveryKind.POST)
        assert post is not None and post.due_at == world.clock.now() + timedelta(seconds=30)
        for _ in range(4):
            await world.scheduler.advance(timedelta(seconds=30))
        assert len(publisher.posts) == 1  # four 429s in a row do not lose the post
    finally:
        await world.close()


async def test_a_post_past_its_grace_is_given_up_and_its_day_released(tmp_path: Path) -> None:
    world, publisher = await flaky_world(tmp_path)
    try:
        publisher.queued["general"] = [TRANSIENT] * 100
        await world.scheduler.advance(timedelta(hours=1))  # 09:00 Berlin: the scheduled post
        await world.scheduler.advance(timedelta(hours=3))  # retries until the grace ends
        assert publisher.posts == []
        assert await world.store.rounds_with_status(RoundStatus.CLAIMED) == []
        subscription = await world.store.subscription(CHANNEL)
        assert subscription is not None
        assert await world.store.deliveries(subscription.id) == []
    finally:
        await world.close()


async def test_a_refused_reveal_is_parked_said_so_and_resumed(tmp_path: Path) -> None:
    world, publisher = await flaky_world(tmp_path)
    try:
        posted = await world.engine.post_now(CHANNEL)
        assert posted.round is not None
        forbidden = PublishError(PublishFailure.FORBIDDEN, "I need Send Messages in Threads.")
        publisher.reveal_failures["general"] = [forbidden]
        result = await world.engine.reveal_now(CHANNEL)
        assert result.queued == "I need Send Messages in Threads."
        reveal = await world.store.round_delivery(posted.round.id, DeliveryKind.REVEAL)
        assert reveal is not None and reveal.status is DeliveryStatus.PARKED
        flagged = await world.store.subscription(CHANNEL)
        assert flagged is not None and flagged.problem == "I need Send Messages in Threads."
        await world.scheduler.advance(timedelta(hours=1))
        assert publisher.reveals == []  # parked: not retried on its own
        await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="Europe/Berlin")
        await world.scheduler.advance(timedelta(seconds=1))
        assert [r.round.id for r in publisher.reveals] == [posted.round.id]
        cleared = await world.store.subscription(CHANNEL)
        assert cleared is not None and cleared.problem is None
    finally:
        await world.close()


async def test_other_channels_are_unaffected_by_one_channels_faults(tmp_path: Path) -> None:
    world, publisher = await flaky_world(tmp_path)
    try:
        await world.engine.subscribe(OTHER_CHANNEL, post_time="09:00", timezone="Europe/Berlin")
        publisher.queued["general"] = [
            PublishError(PublishFailure.NOT_IN_CHANNEL, "invite me")
        ]
        await world.scheduler.advance(timedelta(hours=1))
        assert [p.subscription.channel for p in publisher.posts] == [OTHER_CHANNEL]
    finally:
        await world.close()


async def test_a_delivery_in_doubt_is_looked_up_not_sent_again(tmp_path: Path) -> None:
    world, publisher = await flaky_world(tmp_path)
    try:
        subscription = await world.store.subscription(CHANNEL)
        assert subscription is not None
        # A claim whose post reached the platform, then the process died before storing it.
        claimed = await world.store.claim_round(
            subscription.id, world.clock.now().date(), "alpha-one", 0, "manual",
            world.clock.now(), world.clock.now() + timedelta(hours=8),
        )  # fmt: skip
        assert claimed is not None
        [taken] = await world.store.claim_deliveries(world.clock.now(), LEASE, 10)
        publisher.sent[taken.id] = PostedRef("msg-sent", "thread-sent")
        world.clock.set(world.clock.now() + LEASE + timedelta(seconds=1))
        world = await world.restart()
        assert publisher.posts == []  # found, not sent again
        posted = await world.store.round(claimed.id)
        assert posted is not None and posted.status is RoundStatus.POSTED
        assert posted.message_id == "msg-sent"
    finally:
        await world.close()


async def test_status_shows_what_waits_to_be_sent(tmp_path: Path) -> None:
    world, publisher = await flaky_world(tmp_path)
    try:
        publisher.queued["general"] = [PublishError(PublishFailure.NOT_IN_CHANNEL, "invite me")]
        await world.engine.post_now(CHANNEL)
        status = await world.engine.status(CHANNEL)
        # The admin's notice of the problem goes at the worker's next step.
        assert status.waiting == (("post", "parked", "invite me"), ("notice", "queued", None))
        await world.engine.deliver_due()
        assert (await world.engine.status(CHANNEL)).waiting == (("post", "parked", "invite me"),)
    finally:
        await world.close()
