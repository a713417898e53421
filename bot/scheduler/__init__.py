"""Timed jobs: daily posts and reveals, rebuilt from the database at start-up."""

from bot.scheduler.base import Scheduler
from bot.scheduler.manual import ManualScheduler
from bot.scheduler.runner import RealTimeScheduler

__all__ = ["ManualScheduler", "RealTimeScheduler", "Scheduler"]
