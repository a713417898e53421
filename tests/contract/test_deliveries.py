"""Contract: the outbox. Claims write their post, reveals their reveal, in the same transaction;
the worker's claims take a lease; delivered, retried, parked, resumed."""

from __future__ import annotations

from datetime import timedelta

from bot.core.models import RoundStatus
from bot.core.ports import Store
from bot.core.records import (
    DeliveryKind,
    DeliveryStatus,
    DueClaim,
    DuePlan,
    QuestionChoice,
    QuestionPool,
)
from tests.contract.builders import (
    CHANNEL,
    DAY,
    NOW,
    OTHER_CHANNEL,
    posted_round,
    say,
    subscribe,
)

REVEAL = NOW + timedelta(hours=8)
LEASE = timedelta(seconds=60)


async def test_a_claim_writes_its_post_delivery(store: Store) -> None:
    subscription = await subscribe(store)
    until = NOW + timedelta(hours=2)
    due = DueClaim(DAY, "scheduled", NOW, REVEAL, QuestionChoice(("q1",), CHANNEL.key), "UTC",
                   until)  # fmt: skip
    claimed, fresh = await store.claim_next_round(subscription.id, due)
    post = await store.round_delivery(claimed.id, DeliveryKind.POST)
    assert post is not None and fresh == post  # the claim returns what it wrote
    assert (post.status, post.subscription_id, post.due_at, post.not_after, post.attempts) == (
        DeliveryStatus.PENDING, subscription.id, NOW, until, 0,
    )  # fmt: skip
    again, fresh_again = await store.claim_next_round(subscription.id, due)
    assert not fresh_again and again.id == claimed.id
    assert [d.id for d in await store.deliveries(subscription.id)] == [post.id]  # one post


async def test_a_claim_with_a_lease_writes_its_post_claimed_by_the_claimer(store: Store) -> None:
    subscription = await subscribe(store)
    due = DueClaim(DAY, "manual", NOW, REVEAL, QuestionChoice(("q1",), CHANNEL.key), "UTC",
                   lease=LEASE, claimed_by="bot-a")  # fmt: skip
    claimed, post = await store.claim_next_round(subscription.id, due)
    assert post is not None and post == await store.delivery(post.id)
    assert (post.round_id, post.status, post.attempts, post.first_claimed_at, post.in_doubt) == (
        claimed.id, DeliveryStatus.CLAIMED, 1, NOW, False,
    )  # fmt: skip
    assert post.claimed_by == "bot-a"  # the claimer's name, as a worker's claim would carry
    assert await store.claim_deliveries(NOW + LEASE, LEASE, 10) == []  # the claimer holds it
    # A claimer that died before marking it leaves it in doubt, for the lookup.
    [doubted] = await store.claim_deliveries(
        NOW + LEASE + timedelta(seconds=1), LEASE, 10, claimed_by="bot-b"
    )
    assert (doubted.id, doubted.in_doubt, doubted.attempts) == (post.id, True, 2)
    assert doubted.claimed_by == "bot-b"
    assert doubted.first_claimed_at == NOW
    plan = DuePlan(
        NOW, timedelta(hours=2), QuestionPool.of([("alpha", ["a1"])]), LEASE, claimed_by="bot-a"
    )
    other = await subscribe(store, OTHER_CHANNEL)
    _, due_round, due_post = await store.claim_due_round(other.id, plan)
    assert due_round is not None and due_post is not None
    assert (due_post.round_id, due_post.status) == (due_round.id, DeliveryStatus.CLAIMED)
    assert due_post == await store.delivery(due_post.id) and due_post.claimed_by == "bot-a"
    assert due_post.not_after == NOW + timedelta(hours=2)


async def test_a_manual_claim_posts_until_the_reveal_and_release_removes_it(store: Store) -> None:
    subscription = await subscribe(store)
    claimed = await store.claim_round(subscription.id, DAY, "q1", 0, "manual", NOW, REVEAL)
    assert claimed is not None
    post = await store.round_delivery(claimed.id, DeliveryKind.POST)
    assert post is not None and post.not_after == REVEAL
    await store.release_claim(claimed.id)
    assert await store.delivery(post.id) is None
    assert await store.deliveries(subscription.id) == []


async def test_claim_due_round_writes_the_post_with_the_grace(store: Store) -> None:
    subscription = await subscribe(store)
    pool = QuestionPool.of([("alpha", ["a1"])])
    _, claimed, fresh = await store.claim_due_round(
        subscription.id, DuePlan(NOW, timedelta(hours=2), pool)
    )
    assert claimed is not None and fresh
    post = await store.round_delivery(claimed.id, DeliveryKind.POST)
    assert post is not None and post.not_after == NOW + timedelta(hours=2)


async def test_claims_take_a_lease_and_an_expired_one_is_in_doubt(store: Store) -> None:
    one = await subscribe(store)
    two = await subscribe(store, OTHER_CHANNEL)
    first = await store.claim_round(one.id, DAY, "q1", 0, "manual", NOW, REVEAL)
    second = await store.claim_round(two.id, DAY, "q1", 0, "manual", NOW, REVEAL)
    assert first is not None and second is not None
    assert await store.claim_deliveries(NOW - timedelta(seconds=1), LEASE, 10) == []  # not due
    taken = await store.claim_deliveries(NOW, LEASE, 10, subscription_id=one.id)
    assert [d.round_id for d in taken] == [first.id]
    assert taken[0].status is DeliveryStatus.CLAIMED and taken[0].attempts == 1
    assert not taken[0].in_doubt and taken[0].first_claimed_at == NOW
    rest = await store.claim_deliveries(NOW, LEASE, 10)
    assert [d.round_id for d in rest] == [second.id]  # the first is leased
    assert await store.claim_deliveries(NOW + LEASE, LEASE, 10) == []  # leases still hold
    later = NOW + LEASE + timedelta(seconds=1)
    doubted = await store.claim_deliveries(later, LEASE, 10)
    assert [(d.round_id, d.in_doubt, d.attempts) for d in doubted] == [
        (first.id, True, 2), (second.id, True, 2),
    ]  # fmt: skip
    assert doubted[0].first_claimed_at == NOW  # the first attempt's time stays


async def test_delivering_a_post_posts_its_round_once(store: Store) -> None:
    subscription = await subscribe(store)
    claimed = await store.claim_round(subscription.id, DAY, "q1", 0, "manual", NOW, REVEAL)
    assert claimed is not None
    [post] = await store.claim_deliveries(NOW, LEASE, 10)
    sent = NOW + timedelta(minutes=5)
    marked = await store.mark_delivered(post.id, "msg-1", "thread-1", sent)
    assert marked is not None
    done, returned = marked
    assert done.status is DeliveryStatus.DELIVERED
    assert (done.message_id, done.thread_id) == ("msg-1", "thread-1")
    posted = await store.round(claimed.id)
    assert posted is not None and posted.status is RoundStatus.POSTED
    assert returned == posted  # the post's round comes back as stored
    assert (posted.message_id, posted.thread_id, posted.posted_at) == ("msg-1", "thread-1", sent)
    assert posted.reveal_at == REVEAL + timedelta(minutes=5)  # moved on by the delay
    again = await store.mark_delivered(post.id, "msg-2", "thread-2", sent)
    assert again == (done, posted)  # a second result changes nothing
    assert await store.claim_deliveries(sent + LEASE * 2, LEASE, 10) == []
    await store.release_claim(claimed.id)  # a posted round is never given back
    assert await store.delivery(post.id) == done


async def test_mark_posted_delivers_the_post_delivery(store: Store) -> None:
    subscription = await subscribe(store)
    posted = await posted_round(store, subscription)
    post = await store.round_delivery(posted.id, DeliveryKind.POST)
    assert post is not None and post.status is DeliveryStatus.DELIVERED
    assert post.message_id == posted.message_id
    assert await store.claim_deliveries(NOW + timedelta(days=1), LEASE, 10) == []


async def test_a_reveal_writes_its_reveal_delivery_once(store: Store) -> None:
    subscription = await subscribe(store)
    posted = await posted_round(store, subscription)
    at = NOW + timedelta(hours=8)
    assert await store.reveal_round(posted.id, at) is not None
    reveal = await store.round_delivery(posted.id, DeliveryKind.REVEAL)
    assert reveal is not None
    assert (reveal.status, reveal.due_at, reveal.not_after) == (DeliveryStatus.PENDING, at, None)
    assert await store.reveal_round(posted.id, at) is None
    assert len(await store.deliveries(subscription.id, [DeliveryStatus.PENDING])) == 1
    [taken] = await store.claim_deliveries(at, LEASE, 10)
    assert taken.id == reveal.id
    done = await store.mark_delivered(reveal.id, "reveal-msg", None, at)
    assert done is not None and done[0].thread_id is None and done[1] is None
    revealed = await store.round(posted.id)
    assert revealed is not None and revealed.message_id == posted.message_id  # round unchanged


async def test_retry_park_and_resume(store: Store) -> None:
    subscription = await subscribe(store)
    other = await subscribe(store, OTHER_CHANNEL)
    notice = await store.add_notice(subscription.id, "Please invite me back.", NOW)
    assert (notice.kind, notice.body, notice.round_id) == (
        DeliveryKind.NOTICE, "Please invite me back.", None,
    )  # fmt: skip
    kept = await store.add_notice(other.id, "other", NOW)
    [first, _] = await store.claim_deliveries(NOW, LEASE, 10)
    assert first.id == notice.id
    later = NOW + timedelta(seconds=30)
    await store.retry_delivery(notice.id, later, "HTTP 503", NOW)
    retried = await store.delivery(notice.id)
    assert retried is not None
    assert (retried.status, retried.due_at, retried.error) == (
        DeliveryStatus.PENDING, later, "HTTP 503",
    )  # fmt: skip
    assert await store.claim_deliveries(NOW + timedelta(seconds=29), LEASE, 10) == []
    [again] = await store.claim_deliveries(later, LEASE, 10)
    assert again.attempts == 2 and not again.in_doubt
    assert await store.park_delivery(notice.id, "not_in_channel", later)
    assert not await store.park_delivery(notice.id, "not_in_channel", later)  # once
    assert [d.id for d in await store.deliveries(subscription.id, [DeliveryStatus.PARKED])] == [
        notice.id
    ]
    [doubted] = await store.claim_deliveries(later + LEASE * 10, LEASE, 10)
    assert doubted.id == kept.id and doubted.in_doubt  # the parked one is not taken
    resumed_at = later + timedelta(hours=1)
    assert await store.resume_deliveries(subscription.id, resumed_at) == 1
    [other_again, back] = await store.claim_deliveries(resumed_at, LEASE, 10)
    assert back.id == notice.id and back.error == "not_in_channel"
    assert other_again.id == kept.id  # (due earlier) resuming one channel leaves the other be


async def test_round_answerers_are_what_the_reveal_returned(store: Store) -> None:
    subscription = await subscribe(store)
    posted = await posted_round(store, subscription)
    for minute, user in enumerate(("u2", "u1"), 1):
        await say(store, posted, user, at=NOW + timedelta(minutes=minute))
    revealed = await store.reveal_round(posted.id, NOW + timedelta(hours=8))
    assert revealed is not None and [a.user_id for a in revealed] == ["u2", "u1"]
    assert await store.round_answerers(posted.id) == revealed
    assert await store.round_answerers(999) == []


async def test_a_claim_names_its_process_and_a_takeover_renames_it(store: Store) -> None:
    subscription = await subscribe(store)
    notice = await store.add_notice(subscription.id, "Hello.", NOW)
    [taken] = await store.claim_deliveries(NOW, LEASE, 10, claimed_by="bot-a")
    assert taken.claimed_by == "bot-a"
    stored = await store.delivery(notice.id)
    assert stored is not None and stored.claimed_by == "bot-a"
    [doubted] = await store.claim_deliveries(NOW + LEASE * 2, LEASE, 10, claimed_by="bot-b")
    assert doubted.in_doubt and doubted.claimed_by == "bot-b"  # the survivor took it over
