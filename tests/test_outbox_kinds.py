"""The outbox's kinds beyond posts and reveals (issue 18 item 2, issue 16): the admin's notice
of a channel's problem, each opted-in answerer's private feedback, and the weekly recap, each a
delivery written with the state change that causes it, retried, parked or dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.engine import Engine
from bot.core.errors import PublishError, PublishFailure
from bot.core.outbox import LEASE
from bot.core.ports import FeedbackPost, NoticePost, PostedRef, RecapPost, RevealPost, RoundPost
from bot.core.records import Delivery, DeliveryKind, DeliveryStatus, DuePlan, QuestionPool
from tests.helpers import CHANNEL, OTHER_CHANNEL, World, message
from tests.test_outbox import TRANSIENT, Flaky
from tests.test_reviews import WordGrader

FORBIDDEN = PublishError(PublishFailure.FORBIDDEN, "I may not post here.")
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@dataclass
class Everything(Flaky):
    """Flaky, and it sends recaps, notices and feedback (failing on demand, per kind)."""

    recaps: list[RecapPost] = field(default_factory=list)
    failing: dict[str, list[PublishError]] = field(default_factory=dict)  # by kind
    order: list[str] = field(default_factory=list)  # what went out, in order

    def _fail(self, kind: str) -> None:
        errors = self.failing.get(kind)
        if errors:
            raise errors.pop(0)
        self.order.append(kind)

    async def post_recap(self, recap: RecapPost) -> PostedRef:
        self._fail("recap")
        self.recaps.append(recap)
        assert recap.delivery_id is not None
        self.sent[recap.delivery_id] = PostedRef(f"recap-{recap.delivery_id}", "")
        return self.sent[recap.delivery_id]

    async def post_round(self, post: RoundPost) -> PostedRef:
        self._fail("post")
        return await super().post_round(post)

    async def post_reveal(self, reveal: RevealPost) -> None:
        self._fail("reveal")
        await super().post_reveal(reveal)

    async def send_notice(self, notice: NoticePost) -> PostedRef:
        self._fail("notice")
        return await super().send_notice(notice)

    async def send_feedback(self, post: FeedbackPost) -> PostedRef:
        self._fail("feedback")
        return await super().send_feedback(post)


async def open_world(tmp_path: Path, *, grader: bool = False) -> tuple[World, Everything]:
    publisher = Everything()
    world = await World.open(tmp_path / "bot.db", publisher=publisher)
    if grader:
        world.engine = Engine(world.store, world.bank, world.clock, grader=WordGrader())
        world.engine.add_publisher("test", publisher)
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC", by="admin")
    return world, publisher


async def kinds(world: World, kind: DeliveryKind) -> list[Delivery]:
    subscription = await world.store.subscription(CHANNEL)
    assert subscription is not None
    return [d for d in await world.store.deliveries(subscription.id) if d.kind is kind]


async def test_the_admin_is_told_once_per_new_problem(tmp_path: Path) -> None:
    world, publisher = await open_world(tmp_path)
    try:
        publisher.queued["general"] = [FORBIDDEN, FORBIDDEN]
        await world.engine.post_now(CHANNEL)
        [notice] = await kinds(world, DeliveryKind.NOTICE)
        assert notice.body == "I may not post here." and notice.status is DeliveryStatus.PENDING
        await world.engine.deliver_due()
        [told] = publisher.notices
        assert (told.admin_id, told.problem, told.paused) == ("admin", "I may not post here.", False)
        flagged = await world.store.subscription(CHANNEL)
        assert flagged is not None and flagged.problem == "I may not post here."  # not cleared
        # The same problem again (post-now resends the parked post): no second notice.
        await world.engine.post_now(CHANNEL)
        await world.engine.deliver_due()
        assert len(publisher.notices) == 1 and len(await kinds(world, DeliveryKind.NOTICE)) == 1
    finally:
        await world.close()


async def test_a_notice_about_a_fixed_problem_is_dropped(tmp_path: Path) -> None:
    world, publisher = await open_world(tmp_path)
    try:
        publisher.queued["general"] = [FORBIDDEN]
        await world.engine.post_now(CHANNEL)
        await world.engine.post_now(CHANNEL)  # fixed: the post goes, the problem is cleared
        assert len(publisher.posts) == 1
        await world.engine.deliver_due()
        assert publisher.notices == []
        [notice] = await kinds(world, DeliveryKind.NOTICE)
        assert notice.status is DeliveryStatus.DROPPED and "fixed" in (notice.error or "")
    finally:
        await world.close()


async def test_a_refused_notice_waits_alone_and_the_channel_is_unaffected(tmp_path: Path) -> None:
    world, publisher = await open_world(tmp_path)
    try:
        publisher.queued["general"] = [FORBIDDEN]
        publisher.failing["notice"] = [TRANSIENT, PublishError(PublishFailure.FORBIDDEN, "DMs closed")]
        await world.engine.post_now(CHANNEL)
        await world.engine.deliver_due()  # a 5xx: again later
        [notice] = await kinds(world, DeliveryKind.NOTICE)
        assert notice.status is DeliveryStatus.PENDING and notice.attempts == 1
        await world.scheduler.advance(timedelta(seconds=3))  # refused for good: parked alone
        [notice] = await kinds(world, DeliveryKind.NOTICE)
        assert notice.status is DeliveryStatus.PARKED and notice.error == "DMs closed"
        still = await world.store.subscription(CHANNEL)
        assert still is not None and still.active and still.problem == "I may not post here."
    finally:
        await world.close()


async def test_feedback_goes_after_its_reveal_and_is_graded_once(tmp_path: Path) -> None:
    world, publisher = await open_world(tmp_path, grader=True)
    try:
        posted = await world.engine.post_now(CHANNEL)
        assert posted.round is not None
        await world.engine.set_daily_feedback("test", "ana", True)
        await world.engine.handle_message(message(posted.round, "ana", "stated"))
        await world.engine.handle_message(message(posted.round, "ben", "stated"))
        publisher.failing["reveal"] = [TRANSIENT]
        await world.engine.reveal_now(CHANNEL)
        # The reveal failed: the feedback waits for it, and nobody was graded yet.
        [waiting] = await kinds(world, DeliveryKind.FEEDBACK)
        assert waiting.body == "ana" and waiting.status is DeliveryStatus.PENDING
        assert waiting.error == "waiting for the reveal to go out"
        assert await world.store.latest_feedback("test", "ana") is None
        world.clock.set(world.clock.now() + timedelta(seconds=31))  # this engine grades: no scheduler
        await world.engine.deliver_due()
        assert publisher.order == ["post", "reveal", "feedback"]
        [sent] = publisher.feedbacks
        assert sent.user_id == "ana" and sent.name == "Ana" and sent.feedback.suggested_rating == "easy"
        kept = await world.store.feedback_given("test", "ana", "daily", posted.round.id)
        assert kept is not None and kept.feedback == sent.feedback
    finally:
        await world.close()


async def test_feedback_in_doubt_is_sent_again_with_the_same_notes(tmp_path: Path) -> None:
    world, publisher = await open_world(tmp_path, grader=True)
    try:
        posted = await world.engine.post_now(CHANNEL)
        assert posted.round is not None
        await world.engine.set_daily_feedback("test", "ana", True)
        await world.engine.handle_message(message(posted.round, "ana", "stated"))
        publisher.failing["feedback"] = [TRANSIENT]
        await world.engine.reveal_now(CHANNEL)
        first = await world.store.latest_feedback("test", "ana")
        assert first is not None and publisher.feedbacks == []
        # A crash mid-send: the delivery is claimed, its lease expires; at least once, and the
        # notes are the kept ones (not graded again).
        claimed = await world.store.claim_deliveries(world.clock.now() + timedelta(seconds=5), LEASE, 10)
        assert [d.kind for d in claimed] == [DeliveryKind.FEEDBACK]
        world.clock.set(world.clock.now() + LEASE + timedelta(seconds=10))
        await world.engine.deliver_due()
        [sent] = publisher.feedbacks
        assert sent.feedback == first.feedback
        again = await world.store.latest_feedback("test", "ana")
        assert again is not None and again.graded_at == first.graded_at
    finally:
        await world.close()


async def last_week_with_rounds(world: World) -> int:
    """Rounds on Tue and Wed of last week; the channel's subscription id."""
    for day in (1, 2):
        world.clock.set(datetime(2026, 12, day, 9, 0, tzinfo=UTC))
        posted = await world.engine.post_now(CHANNEL)
        assert posted.round is not None
        await world.answer(posted.round, "ana")
        await world.engine.reveal_now(CHANNEL)
    subscription = await world.store.subscription(CHANNEL)
    assert subscription is not None
    return subscription.id


async def test_the_recap_is_a_delivery_before_the_post_exactly_once(tmp_path: Path) -> None:
    world, publisher = await open_world(tmp_path)
    try:
        subscription_id = await last_week_with_rounds(world)
        await world.engine.set_space_setting(CHANNEL, "weekly-recap", "on")
        await world.engine.subscribe(OTHER_CHANNEL, post_time="09:00", timezone="UTC")
        publisher.order.clear()
        world.clock.set(MONDAY)
        result = await world.engine.post_due(subscription_id)
        assert result.round is not None
        [recap] = await kinds(world, DeliveryKind.RECAP)
        assert recap.body == "2026-11-30" and recap.round_id == result.round.id
        assert recap.status is DeliveryStatus.DELIVERED
        assert publisher.order == ["recap", "post"]
        assert publisher.recaps[0].week_start.isoformat() == "2026-11-30"
        # Only the channel that opted in gets one.
        other = await world.store.subscription(OTHER_CHANNEL)
        assert other is not None
        await world.engine.post_due(other.id)
        assert len(publisher.recaps) == 1
        assert [d for d in await world.store.deliveries(other.id) if d.kind is DeliveryKind.RECAP] == []
    finally:
        await world.close()


async def test_a_failing_recap_never_holds_the_post_and_is_dropped_after_its_day(
    tmp_path: Path,
) -> None:
    world, publisher = await open_world(tmp_path)
    try:
        subscription_id = await last_week_with_rounds(world)
        await world.engine.set_space_setting(CHANNEL, "weekly-recap", "on")
        world.clock.set(MONDAY)
        publisher.failing["recap"] = [TRANSIENT] * 100
        result = await world.engine.post_due(subscription_id)
        assert result.round is not None and publisher.posts[-1].round.id == result.round.id
        [recap] = await kinds(world, DeliveryKind.RECAP)
        assert recap.status is DeliveryStatus.PENDING  # retried, after the question
        # Its day over, a recap is of no use: dropped.
        world.clock.set(MONDAY + timedelta(days=1))
        await world.engine.deliver_due()
        [recap] = await kinds(world, DeliveryKind.RECAP)
        assert recap.status is DeliveryStatus.DROPPED and publisher.recaps == []
    finally:
        await world.close()


async def test_a_recap_sent_before_a_crash_is_found_not_sent_again(tmp_path: Path) -> None:
    world, publisher = await open_world(tmp_path)
    try:
        subscription_id = await last_week_with_rounds(world)
        await world.engine.set_space_setting(CHANNEL, "weekly-recap", "on")
        world.clock.set(MONDAY)
        # The claim (with its recap) commits; the process dies while sending the recap: it
        # reached the platform (the fake keeps it by delivery id), its result was never stored.
        plan = DuePlan(
            world.clock.now(), world.engine.settings.catch_up_grace,
            QuestionPool(world.bank.ids_by_pack),
        )  # fmt: skip
        _, claimed, fresh = await world.store.claim_due_round(subscription_id, plan)
        assert claimed is not None and fresh
        [recap] = await kinds(world, DeliveryKind.RECAP)
        taken = await world.store.claim_deliveries(world.clock.now(), LEASE, 10)
        assert {d.kind for d in taken} == {DeliveryKind.RECAP, DeliveryKind.POST}
        publisher.sent[recap.id] = PostedRef(f"recap-{recap.id}", "")
        world.clock.set(world.clock.now() + LEASE + timedelta(seconds=1))
        await world.engine.deliver_due()
        assert publisher.recaps == []  # found on the platform: not sent again
        [found] = await kinds(world, DeliveryKind.RECAP)
        assert found.status is DeliveryStatus.DELIVERED and found.message_id == f"recap-{recap.id}"
        assert len(publisher.posts) == 3  # and the question went out after it
    finally:
        await world.close()
