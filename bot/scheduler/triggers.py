"""APScheduler triggers built from a subscription: the maths of when things happen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.core.models import Subscription
from bot.core.schedule import days_to_cron


class _SharedCronTrigger(CronTrigger):  # type: ignore[misc]  # apscheduler has no type hints
    """A cron trigger that remembers its last answer.

    When thousands of channels post at the same minute, APScheduler asks each of their jobs'
    triggers for the next fire time, twice per job, with the same arguments: a cron computation
    of about 0.1 ms each. Channels with the same schedule share one trigger (see
    `post_trigger`), so one computation serves them all.
    """

    def __init__(self, **fields: Any) -> None:
        super().__init__(**fields)
        self._last: tuple[datetime | None, datetime, datetime | None] | None = None

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        last = self._last
        if last is not None and last[0] == previous_fire_time and last[1] == now:
            return last[2]
        answer: datetime | None = super().get_next_fire_time(previous_fire_time, now)
        self._last = (previous_fire_time, now, answer)
        return answer


_TriggerKey = tuple[str, int, int, str]


class PostTriggers:
    """The post triggers of one scheduler: channels with the same schedule share one.

    A cron trigger is a few KB, and there may be thousands of channels.
    """

    def __init__(self) -> None:
        self._shared: dict[_TriggerKey, _SharedCronTrigger] = {}

    def get(self, subscription: Subscription) -> CronTrigger:
        schedule = subscription.schedule
        key = (
            days_to_cron(schedule.days),
            schedule.post_time.hour,
            schedule.post_time.minute,
            schedule.timezone,
        )
        trigger = self._shared.get(key)
        if trigger is None:
            trigger = self._shared[key] = _SharedCronTrigger(
                day_of_week=key[0], hour=key[1], minute=key[2], timezone=schedule.zone
            )
        return trigger


def post_trigger(subscription: Subscription) -> CronTrigger:
    """Fires at the post time in the channel's own timezone, so 09:00 stays 09:00 across DST."""
    return PostTriggers().get(subscription)


def reveal_trigger(reveal_at: datetime) -> DateTrigger:
    return DateTrigger(run_date=reveal_at)


def post_job_id(subscription_id: int) -> str:
    return f"post:{subscription_id}"


def reveal_job_id(round_id: int) -> str:
    return f"reveal:{round_id}"
