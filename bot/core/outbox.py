"""The delivery worker: sends what the outbox holds, exactly once on the platform where it can.

Every delivery was written with the state change that caused it (`ports.DeliveryStore`). The
worker claims due deliveries under a lease (a fresh post's claim takes the lease itself, and
its claimer sends it at once with `deliver`), sends each through its platform's publisher with
the delivery's key (Slack message metadata, a Discord nonce), and records the result:

- sent: `mark_delivered` (a post's round becomes posted in that same transaction, and comes
  back with it);
- in doubt (claimed before, its lease expired: the process died mid-send): first looked up on
  the platform (`ports.DeliveryFinder`, one call), marked delivered when found;
- 429: due again after Retry-After; 5xx, timeouts, resets: exponential backoff with jitter
  (clock and rng injected); a post is given up (its claim released) once past its grace;
- a permanent refusal (not in the channel, missing permission, channel gone): parked, the
  channel's problem recorded (a channel gone is paused) once with a notice for its admin,
  shown in `/practice status`; `resume` (on subscribe or post-now) makes it pending again.

A channel's deliveries claimed together go kind after kind, recap before post, reveal before
feedback (`SEND_ORDER`); channels, and the deliveries of one kind, go side by side. The recap,
notice and feedback kinds are in `outbox_kinds`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.bank.models import Question
from bot.core import schedule
from bot.core.community import COMMUNITY_TITLE
from bot.core.errors import PublishError, PublishFailure
from bot.core.models import Round, RoundStatus, Subscription
from bot.core.outbox_kinds import CHANNEL_KINDS, Dropped, FeedbackSource, NotYet, OtherKinds
from bot.core.ports import DeliveryFinder, PostedRef, Publisher, RevealPost, RoundPost
from bot.core.records import COMMUNITY_PACK, Delivery, DeliveryKind, DeliveryStatus
from bot.core.wiring import DELIVERY_LEASE, Wiring

log = logging.getLogger(__name__)

LEASE = DELIVERY_LEASE  # the default lease (EngineSettings.delivery_lease)
BACKOFF_FIRST_S = 2.0
BACKOFF_MOST_S = 600.0
NO_ADAPTER_RETRY_S = 30.0
MIN_RETRY_AFTER_S = 1.0  # a Retry-After of 0 still waits a moment (no busy loop)
PERMANENT = (PublishFailure.NOT_IN_CHANNEL, PublishFailure.FORBIDDEN, PublishFailure.CHANNEL_GONE)
SEND_ORDER = (
    DeliveryKind.RECAP, DeliveryKind.POST, DeliveryKind.REVEAL, DeliveryKind.FEEDBACK,
    DeliveryKind.NOTICE,
)  # fmt: skip


class Outcome(StrEnum):
    DELIVERED = "delivered"
    FOUND = "found"  # in doubt, and found on the platform: not sent again
    RETRYING = "retrying"  # due again later
    PARKED = "parked"  # refused for good: waits for the admin
    EXPIRED = "expired"  # a post past its grace: its claim was released
    GONE = "gone"  # nothing to send (its round or channel went away)
    DROPPED = "dropped"  # of no use any more (`outbox_kinds`)


@dataclass(frozen=True)
class Sent:
    delivery: Delivery
    outcome: Outcome
    detail: str | None = None
    failure: PublishFailure | None = None
    retry_at: datetime | None = None
    round: Round | None = None


def backoff(attempts: int, rng: random.Random) -> timedelta:
    """Exponential backoff with full jitter over the upper half: attempt n waits up to 2^(n-1)
    times the first step, capped."""
    ceiling = min(BACKOFF_MOST_S, BACKOFF_FIRST_S * 2 ** max(0, attempts - 1))
    return timedelta(seconds=ceiling * rng.uniform(0.5, 1.0))


class Outbox:
    def __init__(self, wiring: Wiring, rng: random.Random, feedback: FeedbackSource) -> None:
        self._w = wiring
        self._rng = rng
        self._kinds = OtherKinds(wiring, feedback)

    async def run_due(
        self,
        limit: int = 256,
        subscription_id: int | None = None,
        known: tuple[Subscription, Round] | None = None,
    ) -> list[Sent]:
        """Claim what is due (of one channel, or all) and send it, all at once. `known`: a
        channel and round the caller has just read (saves reading them again)."""
        now = self._w.clock.now()
        claimed = await self._w.store.claim_deliveries(
            now, self._w.settings.delivery_lease, limit, subscription_id, self._w.owned,
            claimed_by=self._w.settings.process_name or None,
        )  # fmt: skip
        if not claimed:
            return []
        channels: dict[int, list[Delivery]] = {}
        for delivery in claimed:
            channels.setdefault(delivery.subscription_id, []).append(delivery)

        async def in_order(deliveries: list[Delivery]) -> list[Sent]:
            # Kind after kind; the deliveries of one kind (a reveal's feedback notes, each
            # graded within its deadline) side by side.
            sent: list[Sent] = []
            for kind in SEND_ORDER:
                same = [d for d in deliveries if d.kind is kind]
                sent += await asyncio.gather(*(self.deliver(d, known) for d in same))
            return sent

        done = await asyncio.gather(*(in_order(c) for c in channels.values()))
        return [sent for channel in done for sent in channel]

    async def resume(self, subscription_id: int) -> int:
        """A channel's parked deliveries due again (the admin fixed what was wrong)."""
        resumed = await self._w.store.resume_deliveries(subscription_id, self._w.clock.now())
        if resumed:
            log.info("resumed %d parked deliveries subscription=%s", resumed, subscription_id)
        return resumed

    async def deliver(
        self, delivery: Delivery, known: tuple[Subscription, Round] | None = None
    ) -> Sent:
        """Send one claimed delivery and record what happened."""
        store = self._w.store
        subscription: Subscription | None
        round: Round | None
        if known is not None and known[1].id == delivery.round_id:
            subscription, round = known
        else:
            subscription = await store.subscription_by_id(delivery.subscription_id)
            round = await store.round(delivery.round_id) if delivery.round_id is not None else None
        if subscription is None or (delivery.round_id is not None and round is None):
            return Sent(delivery, Outcome.GONE)
        now = self._w.clock.now()
        if self._expired(delivery, subscription, round, now):
            return await self._expire(delivery, subscription, round)
        stale = self._kinds.stale(delivery, subscription, round)
        if stale:
            return await self._drop(delivery, subscription, stale)
        publisher = self._w.publishers.get(subscription.channel.platform)
        if publisher is None:
            detail = f"no adapter is running for platform '{subscription.channel.platform}'"
            return await self._retry(
                delivery, subscription, round, timedelta(seconds=NO_ADAPTER_RETRY_S), detail
            )
        try:
            ref = await self._find(publisher, delivery, subscription, round)
            found = ref is not None
            if ref is None:
                ref = await self._send(publisher, delivery, subscription, round)
        except Dropped as reason:
            return await self._drop(delivery, subscription, str(reason))
        except NotYet as waiting:
            return await self._retry(delivery, subscription, round, waiting.wait, str(waiting))
        except PublishError as error:
            return await self._failed(delivery, subscription, round, error)
        except Exception as error:
            log.exception("delivery %s failed channel=%s", delivery.id, subscription.channel.key)
            return await self._retry(
                delivery, subscription, round, backoff(delivery.attempts, self._rng), repr(error)
            )
        marked = await store.mark_delivered(
            delivery.id, ref.message_id, ref.thread_id, self._w.clock.now()
        )
        if marked is None:
            return Sent(delivery, Outcome.GONE)
        done, posted_round = marked  # a post's round comes back posted: no second read
        posted = posted_round if delivery.kind is DeliveryKind.POST else round
        if subscription.problem and delivery.kind in CHANNEL_KINDS:
            await store.set_subscription_state(
                subscription.id, active=True, problem=None, now=self._w.clock.now()
            )
        again = " (found after a crash: not sent again)" if found else ""
        if delivery.kind is DeliveryKind.POST and posted is not None:  # one line a post
            log.info(
                "posted channel=%s round=%s question=%s kind=%s delivery=%s%s",
                subscription.channel.key, posted.id, posted.question_id, posted.kind,
                delivery.id, again,
            )  # fmt: skip
        else:
            log.info(
                "delivered %s channel=%s delivery=%s round=%s%s",
                delivery.kind.value, subscription.channel.key, delivery.id, delivery.round_id,
                again,
            )  # fmt: skip
        if delivery.kind is DeliveryKind.POST and posted is not None:
            self._w.listener.round_posted(posted)
        return Sent(done, Outcome.FOUND if found else Outcome.DELIVERED, round=posted)

    def _expired(
        self, delivery: Delivery, subscription: Subscription, round: Round | None, now: datetime
    ) -> bool:
        """A post past its grace, or for a past local day, or for a paused channel."""
        if delivery.kind is not DeliveryKind.POST or round is None:
            return False
        if round.status is not RoundStatus.CLAIMED:
            return False
        if not subscription.active:
            return True
        if round.local_date < schedule.local_date(subscription.schedule, now):
            return True
        return delivery.not_after is not None and now > delivery.not_after

    async def _expire(
        self, delivery: Delivery, subscription: Subscription, round: Round | None
    ) -> Sent:
        if round is not None:
            await self._w.store.release_claim(round.id)  # removes the delivery with it
        log.warning(
            "post given up channel=%s round=%s: past its grace (last error: %s)",
            subscription.channel.key, delivery.round_id, delivery.error,
        )  # fmt: skip
        return Sent(delivery, Outcome.EXPIRED, delivery.error)

    async def _find(
        self,
        publisher: Publisher,
        delivery: Delivery,
        subscription: Subscription,
        round: Round | None,
    ) -> PostedRef | None:
        if not delivery.in_doubt or not isinstance(publisher, DeliveryFinder):
            return None
        if delivery.kind not in CHANNEL_KINDS:  # a direct or ephemeral message: not looked up
            return None
        since = delivery.first_claimed_at or delivery.due_at
        thread = round.thread_id if delivery.kind is DeliveryKind.REVEAL and round else None
        return await publisher.find_delivery(subscription, delivery.id, thread, since)

    async def _send(
        self,
        publisher: Publisher,
        delivery: Delivery,
        subscription: Subscription,
        round: Round | None,
    ) -> PostedRef:
        if delivery.kind not in (DeliveryKind.POST, DeliveryKind.REVEAL) or round is None:
            return await self._kinds.send(publisher, delivery, subscription, round)
        question = await self._w.question(round.question_id)  # the bank's or the community's
        if question is None:
            raise PublishError(
                PublishFailure.CHANNEL_GONE, f"Question '{round.question_id}' left the bank."
            )
        if delivery.kind is DeliveryKind.POST:
            reveal_at = round.reveal_at + max(timedelta(0), self._w.clock.now() - delivery.due_at)
            return await publisher.post_round(
                RoundPost(
                    subscription, round, question, self._pack_title(question), reveal_at,
                    suggested_by=question.suggested_by, delivery_id=delivery.id,
                )
            )  # fmt: skip
        answerers = tuple(await self._w.store.round_answerers(round.id))
        await publisher.post_reveal(
            RevealPost(subscription, round, question, answerers, delivery_id=delivery.id)
        )
        return PostedRef(message_id=round.message_id or "", thread_id=round.thread_id or "")

    def _pack_title(self, question: Question) -> str:
        pack = self._w.bank.pack(question.pack)
        if pack is not None:
            return pack.title
        return COMMUNITY_TITLE if question.pack == COMMUNITY_PACK else question.pack

    async def _failed(
        self,
        delivery: Delivery,
        subscription: Subscription,
        round: Round | None,
        error: PublishError,
    ) -> Sent:
        if error.failure in PERMANENT and delivery.kind in CHANNEL_KINDS:
            return await self._park(delivery, subscription, error)
        if error.failure in PERMANENT:  # to one person: the delivery waits, not the channel
            await self._w.store.park_delivery(delivery.id, error.detail, self._w.clock.now())
            log.warning(
                "delivery %s (%s) parked channel=%s failure=%s: %s",
                delivery.id, delivery.kind.value, subscription.channel.key,
                error.failure.value, error.detail,
            )  # fmt: skip
            return Sent(delivery, Outcome.PARKED, error.detail, error.failure)
        wait = (
            timedelta(seconds=max(MIN_RETRY_AFTER_S, error.retry_after))
            if error.retry_after is not None
            else backoff(delivery.attempts, self._rng)
        )
        return await self._retry(delivery, subscription, round, wait, error.detail, error.failure)

    async def _retry(
        self,
        delivery: Delivery,
        subscription: Subscription,
        round: Round | None,
        wait: timedelta,
        detail: str,
        failure: PublishFailure = PublishFailure.TRANSIENT,
    ) -> Sent:
        now = self._w.clock.now()
        due = now + wait
        if delivery.kind is DeliveryKind.POST and delivery.not_after and due > delivery.not_after:
            expired = Delivery(**{**delivery.__dict__, "error": detail})
            return await self._expire(expired, subscription, round)
        await self._w.store.retry_delivery(delivery.id, due, detail, now)
        log.warning(
            "delivery %s (%s) channel=%s failed, again in %.0fs: %s",
            delivery.id, delivery.kind.value, subscription.channel.key, wait.total_seconds(),
            detail,
        )  # fmt: skip
        return Sent(delivery, Outcome.RETRYING, detail, failure, due)

    async def _park(
        self, delivery: Delivery, subscription: Subscription, error: PublishError
    ) -> Sent:
        now = self._w.clock.now()
        first = await self._w.store.park_delivery(delivery.id, error.detail, now)
        gone = error.failure is PublishFailure.CHANNEL_GONE
        # The problem, and the admin's notice of it: once per new problem (one transaction).
        told = first and await self._w.store.report_problem(
            subscription.id, error.detail, pause=gone, now=now
        )
        if told and gone:
            changed = await self._w.store.subscription_by_id(subscription.id)
            if changed is not None:
                self._w.listener.subscription_changed(changed)
        log.warning(
            "delivery %s (%s) parked channel=%s failure=%s%s: %s",
            delivery.id, delivery.kind.value, subscription.channel.key, error.failure.value,
            " (subscription paused)" if gone else "", error.detail,
        )  # fmt: skip
        return Sent(delivery, Outcome.PARKED, error.detail, error.failure)

    async def _drop(self, delivery: Delivery, subscription: Subscription, reason: str) -> Sent:
        await self._w.store.drop_delivery(delivery.id, reason, self._w.clock.now())
        log.info(
            "delivery %s (%s) dropped channel=%s: %s",
            delivery.id, delivery.kind.value, subscription.channel.key, reason,
        )  # fmt: skip
        return Sent(delivery, Outcome.DROPPED, reason)

    async def parked(self, subscription_id: int) -> list[Delivery]:
        return await self._w.store.deliveries(subscription_id, [DeliveryStatus.PARKED])

    async def queued(self, subscription_id: int) -> list[Delivery]:
        return await self._w.store.deliveries(
            subscription_id, [DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]
        )
