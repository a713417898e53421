"""What the engine's parts share: the store, the bank, the clock, the settings, and the
publishers and schedule listener the runtime plugs in (one object, built by `Engine`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.bank.models import Bank, Question
from bot.clock import Clock
from bot.core.community import question_of
from bot.core.models import Round, Subscription
from bot.core.ownership import EVERYTHING, Ownership
from bot.core.ports import Publisher, ScheduleListener
from bot.core.records import SuggestionStatus, community_suggestion_id
from bot.core.storage import Store

DELIVERY_LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class EngineSettings:
    catch_up_grace: timedelta = timedelta(hours=2)
    default_timezone: str = "UTC"
    answer_limit: int = 4000  # characters kept of one message
    review_fuzz: bool = True  # FSRS interval fuzzing (off in tests, for exact due dates)
    # How long a claimed delivery is held before it counts as in doubt: longer than any one
    # send (slack_sdk and discord.py time out); a fast clock stretches it (simulated time).
    delivery_lease: timedelta = DELIVERY_LEASE
    process_name: str = ""  # this process, in the delivery claims it makes (several processes)


class NoSchedule:
    """The listener until a scheduler starts: changes need no jobs."""

    def subscription_changed(self, subscription: Subscription) -> None:
        pass

    def round_posted(self, round: Round) -> None:
        pass


@dataclass
class Wiring:
    store: Store
    bank: Bank
    clock: Clock
    settings: EngineSettings
    publishers: dict[str, Publisher] = field(default_factory=dict)
    listener: ScheduleListener = field(default_factory=NoSchedule)
    owned: Ownership = EVERYTHING  # the spaces this process schedules and delivers in

    def clip(self, text: str) -> tuple[str, bool]:
        """The part of a message that is kept, and whether it was cut."""
        limit = self.settings.answer_limit
        return (text[:limit], True) if len(text) > limit else (text, False)

    async def question(self, question_id: str) -> Question | None:
        """A bank question, or an approved community question."""
        question = self.bank.get(question_id)
        suggestion_id = community_suggestion_id(question_id)
        if question is not None or suggestion_id is None:
            return question
        record = await self.store.suggestion(suggestion_id)
        if record is None or record.status is not SuggestionStatus.APPROVED:
            return None
        return question_of(record)
