"""Timed jobs (APScheduler): daily posts and reveals, rebuilt from the database at start-up."""

from bot.scheduler.runner import ManualScheduler, RealTimeScheduler

__all__ = ["ManualScheduler", "RealTimeScheduler"]
