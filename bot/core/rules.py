"""The rules a store applies or mirrors, as plain functions over plain data.

A store may run them as they are (inside its transaction) or mirror them in its own query
language for speed; then a property test checks the two agree (tests/contract/). The streak
rule is in `bot.core.streaks`.
"""

from __future__ import annotations

from bot.core import schedule
from bot.core.models import Subscription
from bot.core.records import CycleState, DueClaim, DuePlan, QuestionChoice
from bot.core.selection import Pick, next_question


def is_late(*, revealed: bool, reveal_at: float, sent_at: float) -> bool:
    """An answer is late when its round is revealed, or when it comes at or after reveal_at.

    Times are POSIX seconds (what a store keeps); late answers are kept but earn nothing.
    """
    return revealed or sent_at >= reveal_at


def next_pick(choice: QuestionChoice, state: CycleState) -> Pick:
    """The channel's next question and cycle, from where it is in its cycle (`selection`)."""
    return next_question(
        choice.eligible, choice.channel_key, state.cycle, state.used, state.last_question
    )


def due_claim(subscription: Subscription, plan: DuePlan) -> DueClaim | None:
    """What a scheduled post claims for a subscription now; None when nothing is due."""
    if not subscription.active:
        return None
    day = schedule.due_post_date(subscription.schedule, plan.now, plan.catch_up_grace)
    if day is None:
        return None
    return DueClaim(
        day, "scheduled", plan.now, plan.now + subscription.schedule.reveal_after,
        QuestionChoice(
            plan.pool.eligible(subscription.packs, subscription.channel.space),
            subscription.channel.key,
        ),
        subscription.schedule.timezone,
        schedule.post_moment(subscription.schedule, day) + plan.catch_up_grace,
        plan.lease,
    )  # fmt: skip
