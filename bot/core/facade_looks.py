"""The engine's facade for what people look at: streak repairs, missed questions, home views."""

from __future__ import annotations

from bot.core.home import Homes, HomeView
from bot.core.learning import Learning
from bot.core.missed import MissedItem, MissedQuestions
from bot.core.models import ChannelRef
from bot.core.records import FeedbackRecord, StreakRepair
from bot.core.repair import Repairs
from bot.core.results import QuizCard
from bot.core.wiring import Wiring


class LooksFacade:
    """`Engine`'s queries about repairs, missed questions and a person's home view."""

    _w: Wiring
    repairs: Repairs
    missed: MissedQuestions
    homes: Homes
    learning: Learning

    # -- streak repair ------------------------------------------------------------------------

    async def repair_streaks(
        self, channel: ChannelRef, day: str, by: str | None = None
    ) -> tuple[StreakRepair, bool]:
        """Repair the channel's round of `day` (YYYY-MM-DD): it breaks nobody's streak.

        (the repair, whether it is new); InputError or NotFoundError when there is no such round.
        """
        return await self.repairs.repair(channel, day, by)

    # -- missed questions ---------------------------------------------------------------------

    async def quiz_missed(
        self, platform: str, user_id: str, *, channel: ChannelRef | None = None
    ) -> QuizCard:
        """A daily question they did not answer, or one they rated Again, before new ones."""
        return await self.missed.quiz(platform, user_id, channel)

    async def missed_questions(self, platform: str, user_id: str) -> list[MissedItem]:
        """Their missed questions with the bank's text, latest first (`/review export`)."""
        return await self.missed.items(platform, user_id)

    async def quiz_question(self, platform: str, user_id: str, question_id: str) -> QuizCard:
        """One given question as a private quiz (the weekly recap's "Quiz me" button)."""
        return await self.missed.quiz_question(platform, user_id, question_id)

    # -- a person's home view -----------------------------------------------------------------

    async def home(self, platform: str, space_id: str, user_id: str) -> HomeView:
        """Their streak per channel they answer in, reviews due, their last feedback."""
        feedback = await self._w.store.latest_feedback(platform, user_id)
        return HomeView(
            tuple(await self.homes.streaks(platform, space_id, user_id)),
            await self.learning.review_stats(platform, user_id),
            feedback,
            await self._w.question(feedback.question_id) if feedback else None,
        )

    async def last_feedback(self, platform: str, user_id: str) -> FeedbackRecord | None:
        """The feedback on their last graded answer (a quiz's or a daily round's), if any."""
        return await self._w.store.latest_feedback(platform, user_id)
