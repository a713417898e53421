"""The private quiz: one question for one person, answer on request, then a self-rating.

Order of questions: reviews that are due (most overdue first), then questions the person has
never had, easy before hard; when neither is left, the card due soonest comes back early.
"""

from __future__ import annotations

import logging
import random
from dataclasses import replace

from bot.bank.models import Bank, Question
from bot.clock import Clock
from bot.core.errors import InputError, NotAllowedError, NotFoundError
from bot.core.records import COMMUNITY_PACK, FeedbackRecord, QuizRecord
from bot.core.results import QuizCard
from bot.core.reviews import Rated, RatingName, Reviews, describe_wait
from bot.core.storage import Store
from bot.grading import grade_within
from bot.grading.base import Feedback, Grader

log = logging.getLogger(__name__)
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


class Quizzes:
    def __init__(
        self,
        store: Store,
        bank: Bank,
        clock: Clock,
        reviews: Reviews,
        rng: random.Random,
        grader: Grader | None = None,
    ) -> None:
        self.store = store
        self.bank = bank
        self.clock = clock
        self.reviews = reviews
        self._rng = rng
        self._grader = grader

    def parse_packs(self, text: str, *, community: bool = False) -> tuple[str, ...]:
        """Pack names; `community` also accepts the space's community pack (a channel filter)."""
        names = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
        known = (COMMUNITY_PACK,) if community else ()
        unknown = [n for n in names if self.bank.pack(n) is None and n not in known]
        if unknown or not names:
            raise InputError(
                f"Unknown pack '{unknown[0] if unknown else text}'. "
                f"Packs: {', '.join(self.bank.pack_names)}."
            )
        return names

    async def ask(
        self, platform: str, user_id: str, *, pack: str | None, avoid: str | None
    ) -> QuizCard:
        """A question for one person; `avoid` is the channel's open round, never handed out."""
        candidates = self.bank.questions(self.parse_packs(pack) if pack else None)
        candidates = [q for q in candidates if q.id != avoid] or candidates
        now = self.clock.now()
        state = await self.reviews.due_state(platform, user_id, {q.id for q in candidates})
        if state.due:
            count = len(state.due)
            intro: str | None = (
                f"{count} reviews due — here is the first."
                if count > 1
                else "1 review due — here it is."
            )
            return await self._hand_out(platform, user_id, self._get(state.due[0]), intro)
        fresh = [q for q in candidates if q.id not in state.known]
        wait = describe_wait(state.next_due - now) if state.next_due else None
        if fresh:
            asked = await self.store.quiz_history(platform, user_id)
            self._rng.shuffle(fresh)  # random among equals; the sort below is stable
            fresh.sort(key=lambda q: (q.id in asked, DIFFICULTY_ORDER[q.difficulty]))
            intro = f"Nothing due, next review {wait}; here is a new question." if wait else None
            return await self._hand_out(platform, user_id, fresh[0], intro)
        cards = await self.store.review_cards(platform, user_id)
        soonest = min((q for q in candidates if q.id in cards), key=lambda q: cards[q.id][1])
        intro = (
            f"Nothing new here and nothing due (next review {wait}); here is the one due soonest."
        )
        return await self._hand_out(platform, user_id, soonest, intro)

    async def hand_out(
        self, platform: str, user_id: str, question: Question, intro: str | None
    ) -> QuizCard:
        """Hand one chosen question out as a quiz (e.g. a missed one, `core.missed`)."""
        return await self._hand_out(platform, user_id, question, intro)

    async def _hand_out(
        self, platform: str, user_id: str, question: Question, intro: str | None
    ) -> QuizCard:
        record = await self.store.add_quiz(platform, user_id, question.id, self.clock.now())
        return QuizCard(record.id, question, self._pack_title(question), intro=intro)

    async def _record(self, platform: str, user_id: str, quiz_id: int | None) -> QuizRecord:
        record = (
            await self.store.quiz(quiz_id)
            if quiz_id is not None
            else await self.store.latest_quiz(platform, user_id)
        )
        if record is None:
            raise NotFoundError("No quiz yet: ask for one with /quiz.")
        if (record.platform, record.user_id) != (platform, user_id):
            raise NotAllowedError("That quiz belongs to someone else: ask for your own with /quiz.")
        return record

    async def card(self, platform: str, user_id: str, quiz_id: int) -> QuizCard:
        """One of the person's quizzes, as handed out (nothing changes)."""
        record = await self._record(platform, user_id, quiz_id)
        question = self._get(record.question_id)
        return QuizCard(record.id, question, self._pack_title(question))

    async def pending(self, platform: str, user_id: str) -> QuizRecord | None:
        """The person's latest quiz if its answer is not shown yet."""
        record = await self.store.latest_quiz(platform, user_id)
        return record if record is not None and record.revealed_at is None else None

    async def write_answer(
        self, platform: str, user_id: str, text: str, *, quiz_id: int | None, append: bool
    ) -> QuizCard:
        """Keep what someone wrote before revealing, for feedback at the reveal."""
        record = await self._record(platform, user_id, quiz_id)
        if record.revealed_at is not None:
            raise NotAllowedError(
                "That quiz's answer is already shown: ask for a new one with /quiz."
            )
        before = await self.store.quiz_answer(record.id) if append else None
        await self.store.set_quiz_answer(record.id, f"{before}\n{text}" if before else text)
        question = self._get(record.question_id)
        return QuizCard(record.id, question, self._pack_title(question))

    async def reveal(self, platform: str, user_id: str, quiz_id: int | None) -> QuizCard:
        record = await self._record(platform, user_id, quiz_id)
        await self.store.mark_quiz_revealed(record.id, self.clock.now())
        question = self._get(record.question_id)
        card = QuizCard(record.id, question, self._pack_title(question))
        written = await self.store.quiz_answer(record.id)
        if not written:
            return card
        feedback = await self._grade(question, written)
        if feedback is not None:  # the home view's "last feedback"
            await self.store.save_feedback(
                FeedbackRecord(
                    platform, user_id, "quiz", record.id, question.id, feedback, self.clock.now()
                )
            )
        return replace(card, written_answer=written, feedback=feedback)

    async def _grade(self, question: Question, written: str) -> Feedback | None:
        """Feedback on a written answer; a failing grader costs the feedback, never the answer."""
        if self._grader is None:
            return None
        try:
            return await grade_within(self._grader, question.key_points, written, question.answer)
        except Exception:
            log.exception("grading failed question=%s", question.id)
            return None

    async def rate(
        self, platform: str, user_id: str, rating: RatingName, quiz_id: int | None
    ) -> Rated:
        record = await self._record(platform, user_id, quiz_id)
        if record.revealed_at is None:
            raise NotAllowedError("Show the answer first (/answer), then rate yourself.")
        return await self.reviews.rate(
            platform, user_id, record.question_id, rating, quiz_id=record.id
        )

    def _get(self, question_id: str) -> Question:
        question = self.bank.get(question_id)
        if question is None:
            raise NotFoundError(f"Question '{question_id}' is no longer in the bank.")
        return question

    def _pack_title(self, question: Question) -> str:
        found = self.bank.pack(question.pack)
        return found.title if found else question.pack
