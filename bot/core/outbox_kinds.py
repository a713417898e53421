"""The outbox's deliveries beyond posts and reveals: the weekly recap, the admin's notice, and
each opted-in answerer's private feedback. What each needs when it is sent, and when one is of
no use any more (dropped, with the reason).

- recap: a message in the channel, keyed like a post (exactly once where posts are); built
  when sent from the week its delivery names; dropped once its day is over.
- notice: the channel's problem, for whoever subscribed it (a direct message); dropped when the
  problem was fixed before it went out, or nobody is known to tell.
- feedback: graded when first sent and kept (`HomeStore.save_feedback`), so a retry sends the
  same notes; it waits for its round's reveal to be delivered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from bot.core import schedule
from bot.core.models import Round, Subscription
from bot.core.ports import (
    FeedbackPost,
    FeedbackPublisher,
    NoticePost,
    NoticePublisher,
    PostedRef,
    Publisher,
    RecapPublisher,
)
from bot.core.recap import Recaps
from bot.core.records import Delivery, DeliveryKind, DeliveryStatus
from bot.core.wiring import Wiring
from bot.grading.base import Feedback

# One person's feedback on a revealed daily round (graded once, then kept); None: none to give.
FeedbackSource = Callable[[str, Round, str], Awaitable[Feedback | None]]

# Messages in the channel: their success clears the channel's problem, and their permanent
# refusal is the channel's problem. Notices and feedback go to one person.
CHANNEL_KINDS = frozenset({DeliveryKind.POST, DeliveryKind.REVEAL, DeliveryKind.RECAP})
REVEAL_WAIT = timedelta(seconds=30)  # feedback asks again this much later


class Dropped(Exception):
    """Nothing to send any more; str() says why."""


class NotYet(Exception):
    """Due again after `wait` (feedback before its reveal is out)."""

    def __init__(self, reason: str, wait: timedelta) -> None:
        super().__init__(reason)
        self.wait = wait


class OtherKinds:
    def __init__(self, wiring: Wiring, feedback: FeedbackSource) -> None:
        self._w = wiring
        self._recaps = Recaps(wiring)
        self._feedback = feedback

    def stale(self, delivery: Delivery, subscription: Subscription, round: Round | None) -> str:
        """Why a delivery of these kinds is of no use any more ('' while it is)."""
        now = self._w.clock.now()
        if delivery.kind is DeliveryKind.RECAP and round is not None:
            if round.local_date < schedule.local_date(subscription.schedule, now):
                return "the day of its question is over"
            if delivery.not_after is not None and now > delivery.not_after:
                return "past its question's grace"
        if delivery.kind is DeliveryKind.NOTICE:
            if subscription.problem != delivery.body:
                return "the problem was fixed (or changed) before the admin was told"
            if not subscription.subscribed_by:
                return "nobody is known to have subscribed the channel"
        return ""

    async def send(
        self,
        publisher: Publisher,
        delivery: Delivery,
        subscription: Subscription,
        round: Round | None,
    ) -> PostedRef:
        """Send it; Dropped when there is nothing to send, NotYet when it must wait."""
        platform = subscription.channel.platform
        if delivery.kind is DeliveryKind.RECAP:
            if not isinstance(publisher, RecapPublisher):
                raise Dropped(f"{platform} sends no weekly recap")
            recap = await self._recaps.build(
                subscription, date.fromisoformat(delivery.body), delivery.id
            )
            if recap.rounds == 0:  # the week's rounds went away since the claim
                raise Dropped("no round last week")
            return await publisher.post_recap(recap)
        if delivery.kind is DeliveryKind.NOTICE:
            if not isinstance(publisher, NoticePublisher):
                raise Dropped(f"{platform} sends no notices")
            return await publisher.send_notice(
                NoticePost(
                    subscription, subscription.subscribed_by or "", delivery.body,
                    paused=not subscription.active, delivery_id=delivery.id,
                )
            )  # fmt: skip
        if delivery.kind is DeliveryKind.FEEDBACK and round is not None:
            return await self._send_feedback(publisher, delivery, subscription, round)
        raise Dropped(f"nothing to send for a {delivery.kind.value} delivery")

    async def _send_feedback(
        self, publisher: Publisher, delivery: Delivery, subscription: Subscription, round: Round
    ) -> PostedRef:
        platform = subscription.channel.platform
        if not isinstance(publisher, FeedbackPublisher):
            raise Dropped(f"{platform} sends no private feedback")
        reveal = await self._w.store.round_delivery(round.id, DeliveryKind.REVEAL)
        if reveal is None or reveal.status is not DeliveryStatus.DELIVERED:
            raise NotYet("waiting for the reveal to go out", REVEAL_WAIT)
        question = await self._w.question(round.question_id)
        user_id = delivery.body
        feedback = await self._feedback(platform, round, user_id)
        if question is None or feedback is None:
            raise Dropped("nothing to grade")
        name = await self._w.store.user_name(platform, user_id) or user_id
        return await publisher.send_feedback(
            FeedbackPost(subscription, round, question, user_id, name, feedback, delivery.id)
        )
