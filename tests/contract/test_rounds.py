"""Contract: rounds, one per channel per local day; claims, posts, releases; the question cycle."""

from __future__ import annotations

from datetime import timedelta

from bot.core.models import RoundStatus
from bot.core.ports import Store
from bot.core.records import (
    COMMUNITY_PACK,
    DueClaim,
    DuePlan,
    QuestionChoice,
    QuestionPool,
    SuggestionFields,
    SuggestionStatus,
    community_question_id,
)
from bot.core.selection import cycle_order
from tests.contract.builders import (
    CHANNEL,
    DAY,
    EVERY_DAY,
    NOW,
    OTHER_CHANNEL,
    posted_round,
    subscribe,
)

REVEAL = NOW + timedelta(hours=8)
POOL = QuestionPool.of([("alpha", ["a1", "a2"]), ("beta", ["b1"])])


async def test_a_local_day_is_claimed_once_per_channel(store: Store) -> None:
    one = await subscribe(store, CHANNEL)
    two = await subscribe(store, OTHER_CHANNEL)
    first = await store.claim_round(one.id, DAY, "q1", 0, "manual", NOW, REVEAL)
    assert first is not None and first.status is RoundStatus.CLAIMED
    assert (first.local_date, first.question_id, first.reveal_at) == (DAY, "q1", REVEAL)
    assert await store.claim_round(one.id, DAY, "q2", 0, "scheduled", NOW, REVEAL) is None
    assert await store.claim_round(two.id, DAY, "q1", 0, "manual", NOW, REVEAL) is not None
    tomorrow = DAY + timedelta(days=1)
    assert await store.claim_round(one.id, tomorrow, "q2", 0, "manual", NOW, REVEAL) is not None
    assert await store.round(first.id) == first


async def test_claim_next_round_walks_the_cycle_and_holds_the_day(store: Store) -> None:
    subscription = await subscribe(store)
    choice = QuestionChoice(("a1", "a2", "b1"), CHANNEL.key)
    picked = []
    for offset in range(4):
        day = DAY + timedelta(days=offset)
        due = DueClaim(day, "manual", NOW, REVEAL, choice, "UTC")
        claimed, fresh = await store.claim_next_round(subscription.id, due)
        assert fresh and claimed.local_date == day
        again, fresh_again = await store.claim_next_round(subscription.id, due)
        assert (again, fresh_again) == (claimed, None)  # the day is held by that round
        picked.append((claimed.question_id, claimed.cycle))
    assert [q for q, _ in picked[:3]] == cycle_order(choice.eligible, CHANNEL.key, 0)
    assert [c for _, c in picked] == [0, 0, 0, 1]  # no repeat before every question was used
    assert picked[3][0] != picked[2][0]  # a new cycle never opens with the last question


async def test_claim_due_round_reads_decides_and_claims(store: Store) -> None:
    assert await store.claim_due_round(999, DuePlan(NOW, timedelta(hours=2), POOL)) == (
        None,
        None,
        None,
    )
    subscription = await subscribe(store)
    early = DuePlan(NOW - timedelta(hours=1), timedelta(hours=2), POOL)  # before 09:00
    assert await store.claim_due_round(subscription.id, early) == (subscription, None, None)
    plan = DuePlan(NOW + timedelta(minutes=1), timedelta(hours=2), POOL)
    found, claimed, fresh = await store.claim_due_round(subscription.id, plan)
    assert found == subscription and fresh and claimed is not None
    assert claimed.kind == "scheduled" and claimed.local_date == DAY
    assert claimed.question_id in ("a1", "a2", "b1")
    assert claimed.reveal_at == plan.now + subscription.schedule.reveal_after
    assert await store.claim_due_round(subscription.id, plan) == (subscription, claimed, None)
    await store.set_subscription_state(subscription.id, active=False, problem=None, now=NOW)
    tomorrow = DuePlan(NOW + timedelta(days=1), timedelta(hours=2), POOL)
    paused, nothing, _ = await store.claim_due_round(subscription.id, tomorrow)
    assert paused is not None and not paused.active and nothing is None


async def test_a_pack_filter_narrows_the_pool_and_falls_back_to_all(store: Store) -> None:
    only_beta = await store.save_subscription(CHANNEL, EVERY_DAY, ["beta"], None, NOW)
    plan = DuePlan(NOW, timedelta(hours=2), POOL)
    _, claimed, _ = await store.claim_due_round(only_beta.id, plan)
    assert claimed is not None and claimed.question_id == "b1"
    gone = await store.save_subscription(OTHER_CHANNEL, EVERY_DAY, ["gone"], None, NOW)
    _, fallback, _ = await store.claim_due_round(gone.id, plan)
    assert fallback is not None and fallback.question_id in ("a1", "a2", "b1")


async def test_the_claim_takes_the_channels_space_community_pack(store: Store) -> None:
    pool = QuestionPool(
        POOL.packs,
        ((CHANNEL.space, ("community:7",)), (("other", "space"), ("community:8",))),
    )
    mine = await store.save_subscription(CHANNEL, EVERY_DAY, [COMMUNITY_PACK], None, NOW)
    _, claimed, _ = await store.claim_due_round(mine.id, DuePlan(NOW, timedelta(hours=2), pool))
    assert claimed is not None and claimed.question_id == "community:7"


async def test_a_claim_can_read_the_spaces_community_pack_itself(store: Store) -> None:
    fields = SuggestionFields("What does a bloom filter trade away?", pack="data")
    theirs = await store.add_suggestion(OTHER_CHANNEL.platform, "elsewhere", None, "U1", "Ann",
                                        fields, NOW, status=SuggestionStatus.APPROVED)  # fmt: skip
    ours = await store.add_suggestion(CHANNEL.platform, CHANNEL.space_id, None, "U1", "Ann",
                                      fields, NOW, status=SuggestionStatus.APPROVED)  # fmt: skip
    pending = await store.add_suggestion(CHANNEL.platform, CHANNEL.space_id, None, "U2", "Bo",
                                         fields, NOW)  # fmt: skip
    assert theirs is not None and ours is not None and pending is not None
    mine = await store.save_subscription(CHANNEL, EVERY_DAY, [COMMUNITY_PACK], None, NOW)
    plan = DuePlan(NOW, timedelta(hours=2), POOL, community_in_claim=True)
    _, claimed, _ = await store.claim_due_round(mine.id, plan)
    assert claimed is not None and claimed.question_id == community_question_id(ours.id)


async def test_posting_and_releasing(store: Store) -> None:
    subscription = await subscribe(store)
    claimed = await store.claim_round(subscription.id, DAY, "q1", 0, "manual", NOW, REVEAL)
    assert claimed is not None
    later = REVEAL + timedelta(minutes=5)
    posted = await store.mark_posted(claimed.id, "msg", "thread", NOW, later)
    assert posted.status is RoundStatus.POSTED
    assert (posted.message_id, posted.thread_id, posted.posted_at) == ("msg", "thread", NOW)
    assert posted.reveal_at == later
    assert await store.mark_posted(claimed.id, "other", "other", NOW, REVEAL) == posted
    await store.release_claim(posted.id)  # a posted round is never given back
    assert await store.round(posted.id) == posted
    tomorrow = DAY + timedelta(days=1)
    held = await store.claim_round(subscription.id, tomorrow, "q2", 0, "manual", NOW, REVEAL)
    assert held is not None
    await store.release_claim(held.id)
    assert await store.round(held.id) is None
    assert await store.claim_round(subscription.id, tomorrow, "q2", 0, "manual", NOW, REVEAL)


async def test_rounds_by_status_latest_and_marks(store: Store) -> None:
    one = await subscribe(store, CHANNEL)
    two = await subscribe(store, OTHER_CHANNEL)
    assert await store.round_marks(one.id) == (None, None)
    assert await store.latest_round(one.id) is None
    later = await posted_round(store, one, DAY + timedelta(days=1), "q2", at=NOW)
    earlier = await posted_round(store, one, DAY, "q1", at=NOW - timedelta(days=1))
    other = await posted_round(store, two, DAY, "q1")
    claimed = await store.claim_round(one.id, DAY + timedelta(days=2), "q3", 0, "manual", NOW,
                                      REVEAL)  # fmt: skip
    assert claimed is not None
    open_rounds = await store.rounds_with_status(RoundStatus.POSTED)
    assert [r.id for r in open_rounds] == [earlier.id, other.id, later.id]  # by date, then id
    assert [r.id for r in await store.rounds_with_status(RoundStatus.POSTED, one.id)] == [
        earlier.id,
        later.id,
    ]
    assert [r.id for r in await store.rounds_with_status(RoundStatus.CLAIMED)] == [claimed.id]
    latest = await store.latest_round(one.id)
    assert latest is not None and latest.id == claimed.id
    assert await store.round_marks(one.id) == (DAY + timedelta(days=2), NOW)
