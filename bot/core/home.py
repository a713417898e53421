"""A person's home view (the Slack App Home): their streak in every channel of the space they
answer in, their reviews, and the feedback on their last graded answer."""

from __future__ import annotations

from dataclasses import dataclass

from bot.bank.models import Question
from bot.core.models import StreakView, Subscription
from bot.core.records import FeedbackRecord
from bot.core.reviews import ReviewStats
from bot.core.wiring import Wiring


@dataclass(frozen=True)
class ChannelStreak:
    subscription: Subscription
    streak: StreakView


@dataclass(frozen=True)
class HomeView:
    streaks: tuple[ChannelStreak, ...]  # channels they answered in, longest streak first
    reviews: ReviewStats
    feedback: FeedbackRecord | None  # on their last graded answer (a quiz's or a daily round's)
    feedback_question: Question | None


class Homes:
    def __init__(self, wiring: Wiring) -> None:
        self._w = wiring

    async def streaks(self, platform: str, space_id: str, user_id: str) -> list[ChannelStreak]:
        store = self._w.store
        found = []
        for subscription in await store.subscriptions(active_only=False):
            if (subscription.channel.platform, subscription.channel.space_id) != (
                platform, space_id
            ):  # fmt: skip
                continue
            view = await store.streak(subscription.id, user_id)
            if view.answers or view.best:
                found.append(ChannelStreak(subscription, view))
        found.sort(key=lambda c: (-c.streak.current, -c.streak.answers))
        return found
