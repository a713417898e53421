"""Rounds: posting (scheduled and by hand), revealing, and catching up at start-up."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import date
from typing import Literal

from bot.bank.models import Question
from bot.core import schedule as rules
from bot.core.errors import NotFoundError, PublishFailure
from bot.core.models import ChannelRef, Round, RoundStatus, Subscription
from bot.core.outbox import Outbox, Outcome, Sent
from bot.core.records import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    DueClaim,
    DuePlan,
    FeedbackRecord,
    QuestionChoice,
    QuestionPool,
    community_question_id,
)
from bot.core.results import PostResult, PostStatus, RevealResult
from bot.core.subscriptions import Subscriptions
from bot.core.wiring import Wiring
from bot.grading import grade_within
from bot.grading.base import Feedback, Grader

log = logging.getLogger(__name__)


class Rounds:
    def __init__(
        self,
        wiring: Wiring,
        subscriptions: Subscriptions,
        grader: Grader | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._w = wiring
        self._subscriptions = subscriptions
        self._grader = grader
        self._outbox = Outbox(wiring, rng or random.Random(), self.feedback)

    @property
    def outbox(self) -> Outbox:
        return self._outbox

    async def post_now(self, channel: ChannelRef) -> PostResult:
        """Post today's round by hand. It takes the day's place: the scheduled post is skipped."""
        subscription = await self._subscriptions.require(channel)
        today = rules.local_date(subscription.schedule, self._w.clock.now())
        return await self._post(subscription, today, "manual")

    async def post_due(self, subscription_id: int) -> PostResult:
        """The scheduled job: post today's round if it is due and not yet posted."""
        now = self._w.clock.now()
        pool = QuestionPool(self._w.bank.ids_by_pack)  # the space's community: read in the claim
        plan = DuePlan(
            now, self._w.settings.catch_up_grace, pool, self._w.settings.delivery_lease,
            claimed_by=self._w.settings.process_name or None, owned=self._w.owned,
            community_in_claim=True,
        )  # fmt: skip

        # Reading the subscription and its space's community pack, deciding, claiming, and
        # taking the post's lease: one transaction, one trip (at a busy minute thousands of
        # these run at once).
        subscription, claimed, post = await self._w.store.claim_due_round(subscription_id, plan)
        if subscription is None or not subscription.active:
            return PostResult(PostStatus.NOT_SUBSCRIBED)
        if claimed is None:
            log.info("skipped post channel=%s: outside its post window", subscription.channel.key)
            return PostResult(PostStatus.ALREADY)
        if post is None:
            question = await self._w.question(claimed.question_id)
            return PostResult(PostStatus.ALREADY, claimed, question)
        return await self._publish(subscription, claimed, post)  # its recap first, when it has one

    async def _post(
        self, subscription: Subscription, day: date, kind: Literal["scheduled", "manual"]
    ) -> PostResult:
        now = self._w.clock.now()
        # Whether the date is free, the cycle, and the claim: one transaction, one trip. The
        # post is leased to us to send at once, unless another process owns the channel (an
        # admin's post-now can arrive anywhere): then it is written pending, for the owner.
        lease = self._w.settings.delivery_lease if self._w.owned.owns(subscription.channel) else None
        due = DueClaim(
            day, kind, now, now + subscription.schedule.reveal_after,
            await self._choice(subscription), subscription.schedule.timezone, lease=lease,
            claimed_by=self._w.settings.process_name or None,
        )  # fmt: skip
        claimed, post = await self._w.store.claim_next_round(subscription.id, due)
        if post is None and claimed.status is RoundStatus.CLAIMED and kind == "manual":
            # Today's post waits in the outbox (parked, or due again later): by hand, the
            # parked one goes again now; one waiting for a retry says when.
            await self._outbox.resume(subscription.id)
            return await self._queued_post(subscription, claimed)
        if post is None:
            question = await self._w.question(claimed.question_id)
            return PostResult(PostStatus.ALREADY, claimed, question)
        return await self._publish(subscription, claimed, post)

    async def _choice(self, subscription: Subscription) -> QuestionChoice:
        """How the channel's next question is chosen from its cycle (plain data the store applies)."""
        if subscription.packs and not self._w.bank.questions(subscription.packs):
            log.info("channel=%s: pack filter matches no bank pack", subscription.channel.key)
        eligible = (await self._pool()).eligible(subscription.packs, subscription.channel.space)
        return QuestionChoice(eligible, subscription.channel.key)

    async def _pool(self) -> QuestionPool:
        """The bank's question ids per pack and each space's community pack, for the store to
        apply a channel's pack filter."""
        community: dict[tuple[str, str], list[str]] = {}
        for platform, space_id, suggestion_id in await self._w.store.community_ids():
            community.setdefault((platform, space_id), []).append(
                community_question_id(suggestion_id)
            )
        spaces = tuple((space, tuple(ids)) for space, ids in community.items())
        return QuestionPool(self._w.bank.ids_by_pack, spaces)

    async def _question(self, question_id: str) -> Question:
        question = await self._w.question(question_id)
        if question is None:
            raise NotFoundError(f"Question '{question_id}' is no longer in the bank.")
        return question

    async def _publish(
        self, subscription: Subscription, claimed: Round, post: Delivery | None = None
    ) -> PostResult:
        """Send a claim's post delivery now, and say what happened. `post`: the delivery a fresh
        claim wrote; leased to us, it is sent as it is. Else (written pending: a recap goes
        first, or another process owns the channel) whatever of the channel is due, in order."""
        question = await self._question(claimed.question_id)
        sent = (
            await self._outbox.deliver(post, (subscription, claimed))
            if post is not None and post.status is DeliveryStatus.CLAIMED
            else await self._deliver(subscription, claimed, DeliveryKind.POST)
        )
        if sent is None:  # the worker holds it (leased): it goes out from there
            return PostResult(PostStatus.QUEUED, claimed, question, None, "it is being sent")
        if sent.outcome in (Outcome.DELIVERED, Outcome.FOUND):  # (the outbox logged it)
            return PostResult(PostStatus.POSTED, sent.round or claimed, question)
        if sent.outcome is Outcome.RETRYING:
            return PostResult(PostStatus.QUEUED, claimed, question, sent.failure, sent.detail or "")
        return PostResult(
            PostStatus.FAILED, claimed, question, sent.failure or PublishFailure.TRANSIENT,
            sent.detail or "the post could not be delivered",
        )  # fmt: skip

    async def _queued_post(self, subscription: Subscription, claimed: Round) -> PostResult:
        result = await self._publish(subscription, claimed)
        if result.status is not PostStatus.QUEUED or result.detail != "it is being sent":
            return result
        post = await self._w.store.round_delivery(claimed.id, DeliveryKind.POST)
        if post is not None and post.status is DeliveryStatus.PENDING:
            return PostResult(
                PostStatus.QUEUED, claimed, result.question, None,
                f"{post.error or 'a failed attempt'}; next attempt at {post.due_at:%H:%M:%S} UTC",
            )  # fmt: skip
        return result

    async def _deliver(
        self, subscription: Subscription, round: Round, kind: DeliveryKind
    ) -> Sent | None:
        """Send what is due in the channel now; the outcome of the round's delivery of `kind`."""
        due = await self._outbox.run_due(
            subscription_id=subscription.id, known=(subscription, round)
        )
        for sent in due:
            if sent.delivery.round_id == round.id and sent.delivery.kind is kind:
                return sent
        return None

    async def reveal_now(self, channel: ChannelRef) -> RevealResult:
        subscription = await self._subscriptions.require(channel, active_only=False)
        open_round = await self._subscriptions.open_round(subscription)
        if open_round is None:
            raise NotFoundError("There is no open round to reveal in this channel.")
        result = await self.reveal(open_round.id)
        assert result is not None
        return result

    async def reveal(self, round_id: int) -> RevealResult | None:
        """Reveal a round (and any older open round of its channel first, to keep streak order)."""
        target = await self._w.store.round(round_id)
        if target is None or target.status is not RoundStatus.POSTED:
            return None
        for older in await self._w.store.rounds_with_status(
            RoundStatus.POSTED, target.subscription_id
        ):
            if older.local_date < target.local_date:
                await self._reveal_one(older)
        return await self._reveal_one(target)

    async def _reveal_one(self, round: Round) -> RevealResult | None:
        """Close the round (streaks move on; the reveal delivery is written with it), then
        send the reveal now."""
        answerers = await self._w.store.reveal_round(round.id, self._w.clock.now())
        if answerers is None:
            return None
        revealed = await self._w.store.round(round.id)
        subscription = await self._w.store.subscription_by_id(round.subscription_id)
        assert revealed is not None and subscription is not None
        question = await self._question(round.question_id)
        log.info(
            "revealed channel=%s round=%s answers=%d",
            subscription.channel.key, round.id, len(answerers),
        )  # fmt: skip
        sent = await self._deliver(subscription, revealed, DeliveryKind.REVEAL)
        queued = None
        if sent is None:
            queued = "it is being sent"
        elif sent.outcome not in (Outcome.DELIVERED, Outcome.FOUND):
            queued = sent.detail or sent.outcome.value
        return RevealResult(revealed, question, tuple(answerers), queued)

    async def feedback(self, platform: str, round: Round, user_id: str) -> Feedback | None:
        """One opted-in answerer's private feedback on a revealed round (the outbox asks when
        it sends it): graded the first time and kept, so a second attempt sends the same."""
        store = self._w.store
        kept = await store.feedback_given(platform, user_id, "daily", round.id)
        if kept is not None:
            return kept.feedback
        question = await self._w.question(round.question_id)
        if self._grader is None or question is None or not question.key_points:
            return None
        text = await store.answer_text(round.id, user_id)
        if not text.strip():
            return None
        try:  # feedback is a bonus: a grader that fails costs the note, never the reveal
            feedback = await grade_within(self._grader, question.key_points, text, question.answer)
        except Exception as error:
            log.error("grading failed round=%s user=%s: %r", round.id, user_id, error)
            return None
        await store.save_feedback(
            FeedbackRecord(
                platform, user_id, "daily", round.id, question.id, feedback, self._w.clock.now()
            )
        )
        return feedback

    async def catch_up(self, keep_going: Callable[[], bool] = lambda: True) -> None:
        """At start-up: send what the outbox holds (interrupted posts and reveals, looked up
        first when in doubt), post what is due, reveal what is overdue.

        `keep_going` is asked before each step, so a shutdown can stop a long catch-up
        between two sends (never inside one).
        """
        while keep_going() and await self._outbox.run_due():
            pass
        now = self._w.clock.now()
        owned = self._w.owned  # a shard's process catches up its own spaces only
        for subscription in await self._w.store.subscriptions():
            if not owned.owns(subscription.channel):
                continue
            if not keep_going():
                return
            if rules.due_post_date(subscription.schedule, now, self._w.settings.catch_up_grace):
                await self.post_due(subscription.id)
        theirs = await self._subscriptions.not_owned()
        for open_round in await self._w.store.rounds_with_status(RoundStatus.POSTED):
            if not keep_going():
                return
            if open_round.reveal_at <= now and open_round.subscription_id not in theirs:
                await self.reveal(open_round.id)
