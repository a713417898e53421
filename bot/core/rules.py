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


def is_late(
    *, revealed: bool, reveal_at: float, sent_at: float, revealed_at: float | None = None
) -> bool:
    """An answer is late when it is written at or after reveal_at, or after its round was
    revealed: with `revealed_at` (when the reveal happened), only when written at or after it,
    so an answer written before the reveal but read after it (catch-up) still counts.

    Times are POSIX seconds (what a store keeps); late answers are kept but earn nothing.
    """
    if sent_at >= reveal_at:
        return True
    return revealed and (revealed_at is None or sent_at >= revealed_at)


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
        plan.lease if plan.owned.owns(subscription.channel) else None, plan.claimed_by,
    )  # fmt: skip
