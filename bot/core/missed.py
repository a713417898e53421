"""Missed questions come back: daily rounds someone did not answer, and questions they rated
Again, served by `/quiz missed` before new ones, and exported with `/review export`."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.bank.models import Question
from bot.core.errors import NotFoundError
from bot.core.models import ChannelRef
from bot.core.quiz import Quizzes
from bot.core.records import MissedQuestion
from bot.core.results import QuizCard
from bot.core.subscriptions import Subscriptions
from bot.core.wiring import Wiring

NOTHING_MISSED = "Nothing missed: no unanswered daily question, no question rated Again."


@dataclass(frozen=True)
class MissedItem:
    missed: MissedQuestion
    question: Question


def missed_intro(count: int, first: MissedQuestion) -> str:
    why = "a daily question you did not answer" if first.reason == "missed" else "rated Again"
    if count == 1:
        return f"1 missed question ({why}) — here it is."
    return f"{count} missed questions — here is the latest ({why})."


class MissedQuestions:
    def __init__(self, wiring: Wiring, subscriptions: Subscriptions, quizzes: Quizzes) -> None:
        self._w = wiring
        self._subscriptions = subscriptions
        self._quizzes = quizzes

    async def items(self, platform: str, user_id: str) -> list[MissedItem]:
        """Their missed questions still in the bank, latest first."""
        found = await self._w.store.missed_questions(platform, user_id)
        items = []
        for missed in found:
            question = self._w.bank.get(missed.question_id)
            if question is not None:
                items.append(MissedItem(missed, question))
        return items

    async def quiz(self, platform: str, user_id: str, channel: ChannelRef | None) -> QuizCard:
        """A missed question as a quiz (those not quizzed since they were missed first); when
        nothing is missed, the usual quiz, saying so."""
        avoid = None
        if channel is not None:
            subscription = await self._subscriptions.get(channel)
            open_round = (
                await self._subscriptions.open_round(subscription) if subscription else None
            )
            avoid = open_round.question_id if open_round else None
        items = [i for i in await self.items(platform, user_id) if i.question.id != avoid]
        if not items:
            card = await self._quizzes.ask(platform, user_id, pack=None, avoid=avoid)
            intro = NOTHING_MISSED + (f" {card.intro}" if card.intro else "")
            return replace(card, intro=intro)
        asked = await self._w.store.quiz_history(platform, user_id)

        def quizzed_since(item: MissedItem) -> bool:
            last = asked.get(item.question.id)
            return last is not None and last >= item.missed.at

        chosen = sorted(items, key=quizzed_since)[0]  # stable: latest first among equals
        intro = missed_intro(len(items), chosen.missed)
        return await self._quizzes.hand_out(platform, user_id, chosen.question, intro)

    async def quiz_question(self, platform: str, user_id: str, question_id: str) -> QuizCard:
        question = self._w.bank.get(question_id)
        if question is None:
            raise NotFoundError(f"Question '{question_id}' is no longer in the bank.")
        return await self._quizzes.hand_out(platform, user_id, question, None)
