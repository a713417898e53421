"""The weekly recap (opt-in per space: `/practice config weekly-recap on`): on a channel's first
scheduled day of the week, before that day's question, one message with last week's
participation, the longest current streaks and the question most people missed (with a button
to quiz it privately).

A small step of its own, run by `Rounds` just before a scheduled round is published
(`before_post`): it is sent at most once per channel and week (a state mark is written before
the send), and its failure never holds the question back. When the delivery outbox lands, the
recap becomes a delivery kind of its own: `build` is the payload, `due` the rule.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from bot.core.models import Round, Subscription
from bot.core.ports import RecapPost, RecapPublisher
from bot.core.spaces import WEEKLY_RECAP, Spaces
from bot.core.wiring import Wiring

log = logging.getLogger(__name__)
STREAKS_SHOWN = 3


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def first_scheduled_day(days: frozenset[int], day: date) -> bool:
    """Whether `day` is the first day of its week the schedule posts on (Monday = 0)."""
    return bool(days) and day.weekday() == min(days)


def sent_key(subscription: Subscription, week: date) -> str:
    return f"weekly-recap:{subscription.id}:{week.isoformat()}"


class Recaps:
    def __init__(self, wiring: Wiring, spaces: Spaces) -> None:
        self._w = wiring
        self._spaces = spaces

    async def due(self, subscription: Subscription, round: Round) -> bool:
        """A scheduled round on the first scheduled day of its week, in a space that opted in,
        with no recap sent for the week yet."""
        if round.kind != "scheduled":
            return False
        if not first_scheduled_day(subscription.schedule.days, round.local_date):
            return False
        if not await self._spaces.value(subscription.channel, WEEKLY_RECAP):
            return False
        return await self._w.store.get_state(sent_key(subscription, monday(round.local_date))) is None

    async def build(self, subscription: Subscription, day: date) -> RecapPost:
        """The recap of the week before `day`'s week."""
        start = monday(day) - timedelta(weeks=1)
        store = self._w.store
        tallies = await store.round_tallies(subscription.id, start, start + timedelta(weeks=1))
        weeks = await store.weekly_answers([subscription.id], start)
        week = next((w for w in weeks if w.week_start == start), None)
        people = week.people if week else 0
        revealed = [t for t in tallies if t.revealed and self._w.bank.get(t.question_id)]
        worst = min(revealed, key=lambda t: t.answers, default=None)
        most_missed = None
        if worst is not None and worst.answers < people:
            most_missed = self._w.bank.get(worst.question_id)
        board = await store.leaderboard(
            channel=subscription.channel, whole_space=False, window="all", since=None,
            ranked_by="streak", caller_id=None, size=STREAKS_SHOWN,
        )  # fmt: skip
        return RecapPost(
            subscription=subscription,
            week_start=start,
            rounds=len(tallies),
            answers=week.answers if week else 0,
            people=people,
            streaks=tuple(e for e in board.entries if e.current_streak > 0),
            most_missed=most_missed,
            missed_by=people - worst.answers if most_missed and worst else 0,
        )

    async def before_post(self, subscription: Subscription, round: Round) -> None:
        """The step: send the recap if it is due. Never raises."""
        try:
            if not await self.due(subscription, round):
                return
            publisher: object = self._w.publishers.get(subscription.channel.platform)
            if not isinstance(publisher, RecapPublisher):
                return
            recap = await self.build(subscription, round.local_date)
            if recap.rounds == 0:  # no round last week: nothing to sum up
                return
            await self._w.store.set_state(
                sent_key(subscription, monday(round.local_date)), "sent", self._w.clock.now()
            )  # at most once: marked before the send
            await publisher.post_recap(recap)
        except Exception:
            log.exception("weekly recap failed channel=%s", subscription.channel.key)
