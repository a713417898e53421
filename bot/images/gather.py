"""The pictures' data, read from the engine and the store's history (read-only)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.engine import Engine
from bot.core.errors import NotFoundError
from bot.core.models import ChannelRef, Subscription
from bot.images.calendar import CalendarData, RoundDay, first_day
from bot.images.card import CardData, WeekActivity

CHART_WEEKS = 12


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def _subscription(engine: Engine, channel: ChannelRef) -> Subscription:
    subscription = await engine.subscription(channel)
    if subscription is None:
        raise NotFoundError(f"The channel {channel.key} is not subscribed.")
    return subscription


def _today(engine: Engine, subscription: Subscription) -> date:
    return engine.today(subscription)


async def card_data(
    engine: Engine,
    channel: ChannelRef,
    *,
    window: str | None = None,
    whole_space: bool = False,
    caller_id: str | None = None,
    weeks: int = CHART_WEEKS,
) -> CardData:
    """The board as `Engine.leaderboard` reads it, and the last `weeks` weeks' answers."""
    subscription = await _subscription(engine, channel)
    board = await engine.leaderboard(
        channel, window=window, whole_space=whole_space, caller_id=caller_id
    )
    title = f"{channel.platform}:{channel.space_id}" if whole_space else f"#{channel.channel_id}"
    start = _monday(_today(engine, subscription)) - timedelta(weeks=weeks - 1)
    weekly = await engine.weekly_answers(channel, start, whole_space=whole_space)
    counted = {w.week_start: w for w in weekly}
    activity = []
    for n in range(weeks):
        monday = start + timedelta(weeks=n)
        week = counted.get(monday)
        activity.append(
            WeekActivity(monday, week.rounds, week.answers, week.people)
            if week
            else WeekActivity(monday, 0, 0, 0)
        )
    return CardData(board, tuple(activity), caller_id, title)


async def calendar_data(
    engine: Engine, channel: ChannelRef, user_id: str, name: str | None = None
) -> CalendarData:
    """One person's last 26 weeks in a channel, with their streaks there."""
    subscription = await _subscription(engine, channel)
    today = _today(engine, subscription)
    rounds = await engine.rounds_of(channel, user_id, first_day(today))
    view = await engine.streak(channel, user_id)
    if name is None:
        name = await engine.user_name(channel.platform, user_id) or user_id
    return CalendarData(
        name=name,
        title=f"#{channel.channel_id}",
        today=today,
        rounds=tuple(
            RoundDay(r.local_date, r.revealed, r.answered) for r in rounds if r.local_date <= today
        ),
        current_streak=view.current,
        best_streak=view.best,
    )
