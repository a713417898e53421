"""Spaced repetition with FSRS: self-ratings schedule when a question comes back to a person.

Cards are kept per person and question (py-fsrs `Card` as JSON, datetimes in UTC). A rating
comes from a /quiz after its answer was shown, or from a daily round a person answered, once
the round is revealed. Each quiz and each round is rated at most once per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, cast

from fsrs import Card, Rating, Scheduler

from bot.clock import Clock
from bot.core.errors import InputError, NotAllowedError, NotFoundError
from bot.core.storage import Store

RatingName = Literal["again", "hard", "good", "easy"]
RATINGS: dict[str, Rating] = {
    "again": Rating.Again,
    "hard": Rating.Hard,
    "good": Rating.Good,
    "easy": Rating.Easy,
}


def parse_rating(text: str) -> RatingName:
    name = text.strip().lower()
    if name not in RATINGS:
        raise InputError(f"Rate with again, hard, good or easy (got '{text}').")
    return cast(RatingName, name)


@dataclass(frozen=True)
class Rated:
    question_id: str
    rating: RatingName
    due: datetime  # when the question comes back


@dataclass(frozen=True)
class ReviewStats:
    cards: int
    due_now: int
    due_this_week: int  # due within the next seven days, not counting those due now
    reviews_done: int
    retention: float | None  # FSRS retrievability averaged over the cards; None without cards


@dataclass(frozen=True)
class DueState:
    due: list[str]  # question ids due now, most overdue first
    next_due: datetime | None  # the earliest due time among cards not due yet
    known: set[str]  # question ids that have a card


class Reviews:
    def __init__(self, store: Store, clock: Clock, *, fuzz: bool = True) -> None:
        self.store = store
        self.clock = clock
        # Fuzzing spreads reviews a little so cards learned together do not all return together.
        self._scheduler = Scheduler(enable_fuzzing=fuzz)

    async def due_state(
        self, platform: str, user_id: str, among: set[str] | None = None
    ) -> DueState:
        now = self.clock.now()
        cards = await self.store.review_cards(platform, user_id)
        relevant = {q: due for q, (_, due) in cards.items() if among is None or q in among}
        due = sorted((q for q, when in relevant.items() if when <= now), key=lambda q: relevant[q])
        later = [when for when in relevant.values() if when > now]
        return DueState(due, min(later) if later else None, set(cards))

    async def rate(
        self,
        platform: str,
        user_id: str,
        question_id: str,
        rating: RatingName,
        *,
        quiz_id: int | None = None,
        round_id: int | None = None,
    ) -> Rated:
        now = self.clock.now()
        cards = await self.store.review_cards(platform, user_id)
        card = Card.from_json(cards[question_id][0]) if question_id in cards else Card()
        card, log = self._scheduler.review_card(card, RATINGS[rating], now)
        saved = await self.store.save_review(
            platform=platform, user_id=user_id, question_id=question_id, card=card.to_json(),
            due=card.due, rating=rating, source="quiz" if quiz_id is not None else "daily",
            quiz_id=quiz_id, round_id=round_id, log=log.to_json(), now=now,
        )  # fmt: skip
        if not saved:
            raise NotAllowedError("You have already rated this one.")
        return Rated(question_id, rating, card.due)

    async def rate_round(
        self, platform: str, user_id: str, round_id: int, rating: RatingName
    ) -> Rated:
        """A self-rating on a revealed daily round, for those who answered it."""
        round = await self.store.round(round_id)
        if round is None or round.revealed_at is None:
            raise NotFoundError("That round is not revealed yet: rate it after the reveal.")
        if not await self.store.answered(round_id, user_id):
            raise NotAllowedError("Only people who answered this round can rate it; try /quiz.")
        return await self.rate(platform, user_id, round.question_id, rating, round_id=round_id)

    async def stats(self, platform: str, user_id: str) -> ReviewStats:
        now = self.clock.now()
        cards = await self.store.review_cards(platform, user_id)
        week = now + timedelta(days=7)
        retrievability = [
            self._scheduler.get_card_retrievability(Card.from_json(card), now)
            for card, _ in cards.values()
        ]
        return ReviewStats(
            cards=len(cards),
            due_now=sum(due <= now for _, due in cards.values()),
            due_this_week=sum(now < due <= week for _, due in cards.values()),
            reviews_done=await self.store.review_count(platform, user_id),
            retention=sum(retrievability) / len(retrievability) if retrievability else None,
        )


def describe_wait(delta: timedelta) -> str:
    """'in 3 days', 'in 5 hours', 'in 10 minutes' — for 'next review in …'."""
    seconds = max(delta.total_seconds(), 0)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = round(seconds / size)
            return f"in {count} {unit}{'s' if count != 1 else ''}"
    return "in under a minute"
