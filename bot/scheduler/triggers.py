"""APScheduler triggers built from a subscription: the maths of when things happen."""

from __future__ import annotations

from datetime import datetime

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.core.models import Subscription
from bot.core.schedule import days_to_cron


def post_trigger(subscription: Subscription) -> CronTrigger:
    """Fires at the post time in the channel's own timezone, so 09:00 stays 09:00 across DST."""
    schedule = subscription.schedule
    return CronTrigger(
        day_of_week=days_to_cron(schedule.days),
        hour=schedule.post_time.hour,
        minute=schedule.post_time.minute,
        timezone=schedule.zone,
    )


def reveal_trigger(reveal_at: datetime) -> DateTrigger:
    return DateTrigger(run_date=reveal_at)


def post_job_id(subscription_id: int) -> str:
    return f"post:{subscription_id}"


def reveal_job_id(round_id: int) -> str:
    return f"reveal:{round_id}"
