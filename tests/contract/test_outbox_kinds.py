"""Contract: the outbox's kinds beyond posts and reveals. A week's first scheduled claim writes
the channel's recap (when it opted in and last week had rounds), a reveal writes each opted-in
answerer's feedback, a new problem its admin's notice; feedback kept per graded answer;
per-channel settings."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import Store
from bot.core.records import (
    DeliveryKind,
    DeliveryStatus,
    DuePlan,
    FeedbackRecord,
    QuestionPool,
)
from bot.grading.base import Feedback, KeyPointVerdict
from tests.contract.builders import (
    CHANNEL,
    DAY,
    FAR_CHANNEL,
    NOW,
    OTHER_CHANNEL,
    PLATFORM,
    posted_round,
    say,
    subscribe,
)

MONDAY = NOW + timedelta(days=6)  # 7 December 2026, 09:00
POOL = QuestionPool.of([("alpha", ["a1", "a2", "a3"])])
GRACE = timedelta(hours=2)


async def recaps(store: Store, subscription_id: int) -> list[tuple[str, int | None]]:
    return [
        (d.body, d.round_id)
        for d in await store.deliveries(subscription_id)
        if d.kind is DeliveryKind.RECAP
    ]


async def test_the_weeks_first_scheduled_claim_writes_the_recap(store: Store) -> None:
    opted = await subscribe(store, CHANNEL)
    other = await subscribe(store, OTHER_CHANNEL)
    empty = await subscribe(store, FAR_CHANNEL)
    for subscription in (opted, other):
        await posted_round(store, subscription, DAY)  # a round last week (Tuesday)
    for channel in (CHANNEL, FAR_CHANNEL):
        await store.set_channel_setting(
            channel.platform, channel.space_id, channel.channel_id, "weekly-recap", "on",
            "admin", NOW,
        )  # fmt: skip
    plan = DuePlan(MONDAY, GRACE, POOL)
    _, claimed, fresh = await store.claim_due_round(opted.id, plan)
    assert claimed is not None and fresh
    [recap] = [d for d in await store.deliveries(opted.id) if d.kind is DeliveryKind.RECAP]
    assert (recap.body, recap.round_id, recap.status) == ("2026-11-30", claimed.id, DeliveryStatus.PENDING)
    assert recap.not_after == MONDAY + GRACE and recap.due_at == MONDAY  # as its post's
    # Claimed again: the same round, no second recap.
    await store.claim_due_round(opted.id, plan)
    assert len(await recaps(store, opted.id)) == 1
    # Not opted in, or no round last week: none.
    await store.claim_due_round(other.id, plan)
    await store.claim_due_round(empty.id, plan)
    assert await recaps(store, other.id) == [] and await recaps(store, empty.id) == []
    # Tuesday is not the first scheduled day of the week.
    await store.claim_due_round(opted.id, DuePlan(MONDAY + timedelta(days=1), GRACE, POOL))
    assert len(await recaps(store, opted.id)) == 1
    # A released claim takes its recap with it.
    await store.release_claim(claimed.id)
    assert await recaps(store, opted.id) == []


async def test_a_claim_that_writes_a_recap_leaves_its_post_for_the_worker(store: Store) -> None:
    """The claimer sends a leased post at once; with a recap to go first, the post is written
    pending instead, and the worker claims the two together (recap, then post)."""
    opted = await subscribe(store, CHANNEL)
    plain = await subscribe(store, OTHER_CHANNEL)
    for subscription in (opted, plain):
        await posted_round(store, subscription, DAY)
    await store.set_channel_setting(
        CHANNEL.platform, CHANNEL.space_id, CHANNEL.channel_id, "weekly-recap", "on", "admin", NOW
    )
    plan = DuePlan(MONDAY, GRACE, POOL, timedelta(seconds=60), claimed_by="bot-a")
    _, claimed, post = await store.claim_due_round(opted.id, plan)
    assert claimed is not None and post is not None
    assert (post.status, post.attempts, post.first_claimed_at, post.claimed_by) == (
        DeliveryStatus.PENDING, 0, None, None,
    )  # fmt: skip
    stored = {d.kind: d for d in await store.deliveries(opted.id) if d.round_id == claimed.id}
    assert stored[DeliveryKind.POST] == post
    taken = await store.claim_deliveries(MONDAY, timedelta(seconds=60), 10, opted.id)
    assert {d.kind for d in taken} == {DeliveryKind.RECAP, DeliveryKind.POST}
    # No recap: the post comes back leased to its claimer.
    _, _, leased = await store.claim_due_round(plain.id, plan)
    assert leased is not None and leased.status is DeliveryStatus.CLAIMED
    assert leased.claimed_by == "bot-a"
    assert await store.claim_deliveries(MONDAY, timedelta(seconds=60), 10, plain.id) == []


async def test_a_reveal_writes_feedback_for_the_answerers_who_asked(store: Store) -> None:
    subscription = await subscribe(store)
    round = await posted_round(store, subscription)
    await store.set_daily_feedback(PLATFORM, "ann", True)
    await store.set_daily_feedback(PLATFORM, "cy", True)  # asked, did not answer
    await say(store, round, "ann")
    await say(store, round, "bob")
    await store.reveal_round(round.id, NOW + timedelta(hours=8))
    kinds = [(d.kind, d.body) for d in await store.deliveries(subscription.id)]
    assert kinds == [
        (DeliveryKind.POST, ""), (DeliveryKind.REVEAL, ""), (DeliveryKind.FEEDBACK, "ann")
    ]  # fmt: skip
    assert await store.reveal_round(round.id, NOW + timedelta(hours=9)) is None
    assert len(await store.deliveries(subscription.id)) == 3


async def test_a_new_problem_is_recorded_with_one_notice(store: Store) -> None:
    subscription = await subscribe(store)
    notice = await store.report_problem(subscription.id, "not in the channel", pause=False, now=NOW)
    assert notice is not None
    assert (notice.kind, notice.body, notice.round_id, notice.status) == (
        DeliveryKind.NOTICE, "not in the channel", None, DeliveryStatus.PENDING
    )  # fmt: skip
    flagged = await store.subscription_by_id(subscription.id)
    assert flagged is not None and flagged.problem == "not in the channel" and flagged.active
    again = await store.report_problem(subscription.id, "not in the channel", pause=True, now=NOW)
    assert again is None  # told once: nothing changes
    still = await store.subscription_by_id(subscription.id)
    assert still is not None and still.active
    gone = await store.report_problem(subscription.id, "channel gone", pause=True, now=NOW)
    assert gone is not None and gone.id != notice.id
    paused = await store.subscription_by_id(subscription.id)
    assert paused is not None and not paused.active and paused.problem == "channel gone"
    assert await store.report_problem(12345, "no such channel", pause=False, now=NOW) is None


async def test_a_dropped_delivery_is_never_claimed(store: Store) -> None:
    subscription = await subscribe(store)
    notice = await store.report_problem(subscription.id, "a problem", pause=False, now=NOW)
    assert notice is not None
    assert await store.drop_delivery(notice.id, "fixed before it was sent", NOW)
    assert not await store.drop_delivery(notice.id, "again", NOW)
    dropped = await store.delivery(notice.id)
    assert dropped is not None and dropped.status is DeliveryStatus.DROPPED
    assert dropped.error == "fixed before it was sent"
    assert await store.claim_deliveries(NOW + timedelta(hours=1), timedelta(seconds=60), 10) == []


def _feedback(*covered: bool) -> Feedback:
    return Feedback.from_verdicts(
        [
            KeyPointVerdict(f"Point {n}.", hit, 0.5 + n, evidence="“quoted”", reference="Ref.")
            for n, hit in enumerate(covered)
        ]
    )


async def test_feedback_is_kept_per_graded_answer_and_the_latest_shown(store: Store) -> None:
    assert await store.latest_feedback(PLATFORM, "ann") is None
    quiz = FeedbackRecord(PLATFORM, "ann", "quiz", 7, "q1", _feedback(True, False), NOW)
    daily = FeedbackRecord(
        PLATFORM, "ann", "daily", 3, "q2", _feedback(False, False, True), NOW + timedelta(hours=1)
    )
    other = FeedbackRecord(PLATFORM, "bob", "daily", 3, "q2", _feedback(True), NOW + timedelta(hours=2))
    for record in (quiz, daily, other):
        await store.save_feedback(record)
    assert await store.latest_feedback(PLATFORM, "ann") == daily
    assert await store.feedback_given(PLATFORM, "ann", "quiz", 7) == quiz
    assert await store.feedback_given(PLATFORM, "ann", "daily", 7) is None
    assert await store.latest_feedback("elsewhere", "ann") is None
    contradicted = KeyPointVerdict("Point 0.", False, 0.1, contradicted=True, evidence="not so")
    regraded = FeedbackRecord(
        PLATFORM, "ann", "quiz", 7, "q1", Feedback.from_verdicts([contradicted]),
        NOW + timedelta(hours=3),
    )  # fmt: skip
    await store.save_feedback(regraded)  # the same quiz again: replaces the first
    assert await store.latest_feedback(PLATFORM, "ann") == regraded
    latest = await store.latest_feedback(PLATFORM, "ann")
    assert latest is not None and latest.feedback.verdicts[0].status == "contradicted"


async def test_channel_settings_store_text_per_channel(store: Store) -> None:
    where = (CHANNEL.platform, CHANNEL.space_id)
    assert await store.channel_settings(*where, CHANNEL.channel_id) == {}
    await store.set_channel_setting(*where, CHANNEL.channel_id, "weekly-recap", "on", "ann", NOW)
    await store.set_channel_setting(*where, CHANNEL.channel_id, "weekly-recap", "off", "bob", NOW)
    await store.set_channel_setting(*where, "random", "weekly-recap", "on", None, NOW)
    assert await store.channel_settings(*where, CHANNEL.channel_id) == {"weekly-recap": "off"}
    assert await store.channel_settings(*where, "random") == {"weekly-recap": "on"}
    assert await store.space_settings(*where) == {}  # not the space's
    await store.set_channel_setting(*where, CHANNEL.channel_id, "weekly-recap", None, "ann", NOW)
    assert await store.channel_settings(*where, CHANNEL.channel_id) == {}
