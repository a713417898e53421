"""Feedback on graded answers on PostgreSQL (`HomeStore`): `bot.store.feedback`'s statements."""

from __future__ import annotations

from bot.store.feedback import Feedbacks
from bot.store.postgres.base import PgBase


class PgFeedbacks(Feedbacks, PgBase):
    """One statement a call, the same text on both stores."""
