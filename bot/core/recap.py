"""The weekly recap (opt-in per channel: `/practice config weekly-recap on`, run in the
channel): on a channel's first scheduled day of the week, before that day's question, one
message with last week's participation, the longest current streaks and the question most
people missed (with a button to quiz it privately).

A delivery of the outbox (`DeliveryKind.RECAP`): the claim of the week's first scheduled round
writes it in its own transaction when `recap_week` says one is due and last week had rounds
(one per channel and week, a unique key); its body is the Monday of the week it sums up. The
worker sends it before that channel's post and builds it then (`Recaps.build`), from that
stored week: the counts of a past week do not change, and the streaks shown are the current
ones, as a recap "before the question" means. Its failure never holds the question back.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.models import Round, Subscription
from bot.core.ports import RecapPost
from bot.core.wiring import Wiring

STREAKS_SHOWN = 3


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def first_scheduled_day(days: frozenset[int], day: date) -> bool:
    """Whether `day` is the first day of its week the schedule posts on (Monday = 0)."""
    return bool(days) and day.weekday() == min(days)


def recap_week(subscription: Subscription, round: Round) -> date | None:
    """The week a freshly claimed round's recap would sum up (the Monday before the round's
    week), or None when it brings none: not a scheduled round, or not the first scheduled day
    of its week. The store then asks whether the channel opted in, and whether that week had
    rounds (the cheap test first: a busy minute claims thousands of rounds)."""
    if round.kind != "scheduled" or not first_scheduled_day(
        subscription.schedule.days, round.local_date
    ):
        return None
    return monday(round.local_date) - timedelta(weeks=1)


class Recaps:
    def __init__(self, wiring: Wiring) -> None:
        self._w = wiring

    async def build(
        self, subscription: Subscription, start: date, delivery_id: int | None = None
    ) -> RecapPost:
        """The recap of the week beginning on Monday `start`."""
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
            delivery_id=delivery_id,
        )
