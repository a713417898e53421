"""Learning: the private quiz, spaced-repetition reviews and feedback on written answers."""

from __future__ import annotations

from bot.core.models import ChannelRef
from bot.core.quiz import Quizzes
from bot.core.records import QuizRecord
from bot.core.results import QuizCard
from bot.core.reviews import Rated, Reviews, ReviewStats, parse_rating
from bot.core.subscriptions import Subscriptions
from bot.core.wiring import Wiring


class Learning:
    def __init__(
        self,
        wiring: Wiring,
        subscriptions: Subscriptions,
        reviews: Reviews,
        quizzes: Quizzes,
    ) -> None:
        self._w = wiring
        self._subscriptions = subscriptions
        self.reviews = reviews
        self.quizzes = quizzes

    async def quiz(
        self,
        platform: str,
        user_id: str,
        *,
        pack: str | None = None,
        channel: ChannelRef | None = None,
    ) -> QuizCard:
        """A question for one person, privately: due reviews first, then new questions, easy
        before hard; never the channel's open round."""
        avoid = None
        if channel is not None:
            subscription = await self._subscriptions.get(channel)
            open_round = (
                await self._subscriptions.open_round(subscription) if subscription else None
            )
            avoid = open_round.question_id if open_round else None
        return await self.quizzes.ask(platform, user_id, pack=pack, avoid=avoid)

    async def answer_quiz(
        self,
        platform: str,
        user_id: str,
        text: str,
        *,
        quiz_id: int | None = None,
        append: bool = False,
    ) -> QuizCard:
        """Keep what someone writes before revealing their quiz (for feedback)."""
        clipped, _ = self._w.clip(text)
        return await self.quizzes.write_answer(
            platform, user_id, clipped, quiz_id=quiz_id, append=append
        )

    async def pending_quiz(self, platform: str, user_id: str) -> QuizRecord | None:
        return await self.quizzes.pending(platform, user_id)

    async def reveal_quiz(
        self, platform: str, user_id: str, quiz_id: int | None = None
    ) -> QuizCard:
        """The reference answer of a quiz (the caller's latest one when no id is given)."""
        return await self.quizzes.reveal(platform, user_id, quiz_id)

    async def rate_quiz(
        self, platform: str, user_id: str, rating: str, quiz_id: int | None = None
    ) -> Rated:
        return await self.quizzes.rate(platform, user_id, parse_rating(rating), quiz_id)

    async def rate_round(self, platform: str, user_id: str, round_id: int, rating: str) -> Rated:
        return await self.reviews.rate_round(platform, user_id, round_id, parse_rating(rating))

    async def rate_latest(
        self, platform: str, user_id: str, rating: str, channel: ChannelRef
    ) -> Rated | None:
        """Rate what the person saw last: their latest quiz if it is revealed and not rated
        yet, else the channel's latest revealed round. None when there is nothing to rate."""
        latest = await self._w.store.latest_quiz(platform, user_id)
        if latest and latest.revealed_at and not await self._w.store.quiz_rated(latest.id):
            return await self.rate_quiz(platform, user_id, rating, latest.id)
        round = await self._subscriptions.latest_revealed_round(channel)
        if round is None:
            return None
        return await self.rate_round(platform, user_id, round.id, rating)

    async def review_stats(self, platform: str, user_id: str) -> ReviewStats:
        return await self.reviews.stats(platform, user_id)

    async def set_daily_feedback(self, platform: str, user_id: str, enabled: bool) -> None:
        await self._w.store.set_daily_feedback(platform, user_id, enabled)
