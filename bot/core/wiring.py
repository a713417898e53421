"""What the engine's parts share: the store, the bank, the clock, the settings, and the
publishers and schedule listener the runtime plugs in (one object, built by `Engine`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.bank.models import Bank
from bot.clock import Clock
from bot.core.models import Round, Subscription
from bot.core.ports import Publisher, ScheduleListener, Store


@dataclass(frozen=True)
class EngineSettings:
    catch_up_grace: timedelta = timedelta(hours=2)
    default_timezone: str = "UTC"
    answer_limit: int = 4000  # characters kept of one message
    review_fuzz: bool = True  # FSRS interval fuzzing (off in tests, for exact due dates)


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

    def clip(self, text: str) -> tuple[str, bool]:
        """The part of a message that is kept, and whether it was cut."""
        limit = self.settings.answer_limit
        return (text[:limit], True) if len(text) > limit else (text, False)
