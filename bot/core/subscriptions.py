"""Subscriptions: a channel's schedule, its state, and when its next round comes."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot.core import schedule as rules
from bot.core.errors import NotFoundError
from bot.core.models import ChannelRef, Round, RoundStatus, Subscription
from bot.core.quiz import Quizzes
from bot.core.records import DeliveryStatus
from bot.core.results import ChannelStatus
from bot.core.wiring import Wiring

log = logging.getLogger(__name__)


class Subscriptions:
    def __init__(self, wiring: Wiring, quizzes: Quizzes) -> None:
        self._w = wiring
        self._quizzes = quizzes

    async def subscribe(
        self,
        channel: ChannelRef,
        *,
        post_time: str,
        timezone: str | None = None,
        days: str | None = None,
        reveal_after: str | None = None,
        packs: str | None = None,
        by: str | None = None,
    ) -> Subscription:
        """Subscribe a channel (or change its schedule). Raises InputError on bad input."""
        w = self._w
        current = await w.store.subscription(channel)
        schedule = rules.Schedule(
            post_time=rules.parse_post_time(post_time),
            timezone=rules.parse_timezone(timezone)
            if timezone
            else (current.schedule.timezone if current else w.settings.default_timezone),
            days=rules.parse_days(days)
            if days
            else (current.schedule.days if current else rules.DEFAULT_DAYS),
            reveal_after=rules.parse_reveal_after(reveal_after)
            if reveal_after
            else (current.schedule.reveal_after if current else rules.DEFAULT_REVEAL_AFTER),
        )
        pack_filter = (
            self._quizzes.parse_packs(packs, community=True) if packs else (current.packs if current else None)
        )
        subscription = await w.store.save_subscription(
            channel, schedule, pack_filter, by, w.clock.now()
        )
        log.info("subscribed channel=%s schedule=%s", channel.key, schedule.describe())
        w.listener.subscription_changed(subscription)
        return subscription

    async def unsubscribe(self, channel: ChannelRef) -> bool:
        subscription = await self._w.store.subscription(channel)
        if subscription is None or not subscription.active:
            return False
        await self._w.store.set_subscription_state(
            subscription.id, active=False, problem=None, now=self._w.clock.now()
        )
        log.info("unsubscribed channel=%s", channel.key)
        self._w.listener.subscription_changed(await self.require(channel, active_only=False))
        return True

    async def not_owned(self) -> set[int]:
        """The subscriptions in spaces another process owns (none unless sharded)."""
        owned = self._w.owned
        if owned.whole:
            return set()
        everyone = await self._w.store.subscriptions(active_only=False)
        return {s.id for s in everyone if not owned.owns(s.channel)}

    async def get(self, channel: ChannelRef) -> Subscription | None:
        return await self._w.store.subscription(channel)

    async def require(self, channel: ChannelRef, *, active_only: bool = True) -> Subscription:
        subscription = await self._w.store.subscription(channel)
        if subscription is None or (active_only and not subscription.active):
            raise NotFoundError("This channel is not subscribed yet: subscribe it first.")
        return subscription

    async def status(self, channel: ChannelRef) -> ChannelStatus:
        subscription = await self._w.store.subscription(channel)
        if subscription is None:
            return ChannelStatus(None, None, None, None)
        open_round = await self.open_round(subscription)
        return ChannelStatus(
            subscription,
            open_round,
            await self._w.question(open_round.question_id) if open_round else None,
            await self.next_post(subscription) if subscription.active else None,
            tuple(await self._w.store.streak_repairs(subscription.id)),
            tuple(
                (d.kind.value, "parked" if d.status is DeliveryStatus.PARKED else "queued",
                 d.error)
                for d in await self._w.store.deliveries(
                    subscription.id,
                    [DeliveryStatus.PENDING, DeliveryStatus.CLAIMED, DeliveryStatus.PARKED],
                )
            ),
        )  # fmt: skip

    async def next_post(self, subscription: Subscription) -> datetime | None:
        """When the channel's next scheduled round will be posted."""
        now = self._w.clock.now()
        schedule = subscription.schedule
        today = rules.local_date(schedule, now)
        last_date, last_posted = await self._w.store.round_marks(subscription.id)
        for offset in range(9):  # a week, and a day held by a round from before a move west
            day = today + timedelta(days=offset)
            moment = rules.post_moment(schedule, day)
            if (
                rules.posts_on(schedule, day)
                and moment > now
                and rules.day_is_free(day, schedule.timezone, last_date, last_posted)
            ):
                return moment
        return None

    def today(self, subscription: Subscription) -> date:
        """The channel's local date now."""
        return rules.local_date(subscription.schedule, self._w.clock.now())

    async def day_is_free(self, subscription: Subscription, day: date) -> bool:
        """Whether no round holds `day` in the channel yet (one round per local day)."""
        marks = await self._w.store.round_marks(subscription.id)
        return rules.day_is_free(day, subscription.schedule.timezone, *marks)

    async def open_round(self, subscription: Subscription) -> Round | None:
        rounds = await self._w.store.rounds_with_status(RoundStatus.POSTED, subscription.id)
        return rounds[-1] if rounds else None

    async def thread_round(self, channel: ChannelRef) -> Round | None:
        """The round whose thread a plain reply goes to: the open one, else the latest
        revealed one (a late answer)."""
        subscription = await self._w.store.subscription(channel)
        if subscription is None:
            return None
        open_round = await self.open_round(subscription)
        if open_round is not None:
            return open_round
        latest = await self._w.store.latest_round(subscription.id)
        return latest if latest and latest.status is RoundStatus.REVEALED else None

    async def latest_revealed_round(self, channel: ChannelRef) -> Round | None:
        subscription = await self._w.store.subscription(channel)
        if subscription is None:
            return None
        revealed = await self._w.store.rounds_with_status(RoundStatus.REVEALED, subscription.id)
        return revealed[-1] if revealed else None

    async def timezone(self, channel: ChannelRef) -> str:
        """The channel's timezone, or the default for new subscriptions."""
        subscription = await self._w.store.subscription(channel)
        return subscription.schedule.timezone if subscription else self._w.settings.default_timezone
