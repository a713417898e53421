"""The store areas about people and their spaces: reviews and quizzes, space settings, history,
suggestions, streak repairs, missed questions, the weekly recap and the home view
(`bot.core.storage.Store` joins them with the rest).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal, Protocol

from bot.core.history import RoundAttendance, WeekCounts
from bot.core.records import (
    FeedbackRecord,
    MissedQuestion,
    QuizRecord,
    RoundTally,
    StreakRepair,
    SuggestionFields,
    SuggestionRecord,
    SuggestionStatus,
)


class LearningStore(Protocol):
    """Spaced repetition (review cards and their log), private quizzes, feedback settings."""

    async def review_cards(self, platform: str, user_id: str) -> dict[str, tuple[str, datetime]]:
        """Every card of a person: question id → (card JSON, due)."""
        ...

    async def save_review(
        self,
        *,
        platform: str,
        user_id: str,
        question_id: str,
        card: str,
        due: datetime,
        rating: str,
        source: Literal["quiz", "daily"],
        quiz_id: int | None,
        round_id: int | None,
        log: str,
        now: datetime,
    ) -> bool:
        """Store a rating and the card it produced; False when that quiz or round was rated before."""
        ...

    async def review_count(self, platform: str, user_id: str) -> int: ...

    async def quiz_rated(self, quiz_id: int) -> bool: ...

    async def set_daily_feedback(self, platform: str, user_id: str, enabled: bool) -> None: ...

    async def daily_feedback_users(self, platform: str) -> set[str]: ...

    async def quiz_history(self, platform: str, user_id: str) -> dict[str, datetime]:
        """When the user was last quizzed on each question."""
        ...

    async def add_quiz(
        self, platform: str, user_id: str, question_id: str, now: datetime
    ) -> QuizRecord: ...

    async def quiz(self, quiz_id: int) -> QuizRecord | None: ...

    async def latest_quiz(self, platform: str, user_id: str) -> QuizRecord | None: ...

    async def set_quiz_answer(self, quiz_id: int, text: str) -> None:
        """Keep the written answer of a quiz not revealed yet."""
        ...

    async def quiz_answer(self, quiz_id: int) -> str | None: ...

    async def mark_quiz_revealed(self, quiz_id: int, now: datetime) -> None:
        """The first reveal time stays."""
        ...


class SpaceStore(Protocol):
    """Per-space settings, stored as text; the declarations live in `bot.core.spaces`."""

    async def space_settings(self, platform: str, space_id: str) -> dict[str, str]:
        """The settings of a space that differ from their defaults."""
        ...

    async def set_space_setting(
        self, platform: str, space_id: str, key: str, value: str | None, by: str | None,
        now: datetime,
    ) -> None:  # fmt: skip
        """Store one setting's text; None removes it (the default applies again)."""
        ...

    async def channel_settings(
        self, platform: str, space_id: str, channel_id: str
    ) -> dict[str, str]:
        """The per-channel settings of a channel that differ from their defaults."""
        ...

    async def set_channel_setting(
        self, platform: str, space_id: str, channel_id: str, key: str, value: str | None,
        by: str | None, now: datetime,
    ) -> None:  # fmt: skip
        """Store one per-channel setting's text; None removes it."""
        ...


class HistoryStore(Protocol):
    """People and a channel's past: what the pictures draw, and names learned late."""

    async def weekly_answers(
        self, subscription_ids: Sequence[int], since: date
    ) -> list[WeekCounts]:
        """Per week (Monday first) with a round since `since`: rounds, answers, people."""
        ...

    async def rounds_of(
        self, subscription_id: int, user_id: str, since: date
    ) -> list[RoundAttendance]:
        """A channel's rounds dated `since` or later, oldest first, and whether `user_id`
        answered each on time."""
        ...

    async def user_name(self, platform: str, user_id: str) -> str | None:
        """The name a person was last seen with, if ever."""
        ...

    async def rename_user(self, platform: str, user_id: str, name: str) -> bool:
        """A person's display name learned after their answer was stored under a stand-in;
        the boards follow. False when the person is unknown or already has this name."""
        ...


class SuggestionStore(Protocol):
    """Members' question suggestions; the approved ones of a space are its community pack."""

    async def add_suggestion(
        self, platform: str, space_id: str, channel_id: str | None, author_id: str,
        author_name: str, fields: SuggestionFields, now: datetime, *,
        pending_limit: int | None = None,
        status: SuggestionStatus = SuggestionStatus.PENDING,
    ) -> SuggestionRecord | None:  # fmt: skip
        """Store a suggestion; None (nothing stored) when the author already has
        `pending_limit` pending ones in the space. The check and the insert: one transaction."""
        ...

    async def suggestion(self, suggestion_id: int) -> SuggestionRecord | None: ...

    async def suggestions(
        self,
        platform: str | None = None,
        space_id: str | None = None,
        status: SuggestionStatus | None = None,
    ) -> list[SuggestionRecord]:
        """In id order; None selects every value."""
        ...

    async def decide_suggestion(
        self, suggestion_id: int, status: SuggestionStatus, by: str, by_name: str,
        reason: str | None, now: datetime,
    ) -> tuple[SuggestionRecord | None, bool]:  # fmt: skip
        """Approve or reject a pending suggestion: (the record after, True); when it was
        decided before: (the record as it is, False); (None, False) when there is none."""
        ...

    async def edit_suggestion(
        self, suggestion_id: int, fields: SuggestionFields
    ) -> SuggestionRecord | None:
        """Replace a pending suggestion's fields; None when it is not pending."""
        ...

    async def set_suggestion_review_ref(self, suggestion_id: int, ref: str) -> None:
        """Where its queue message is (a platform's reference)."""
        ...

    async def mark_suggestion_posted(self, suggestion_id: int, now: datetime) -> bool:
        """True the first time an approved suggestion goes out as a round."""
        ...

    async def community_ids(self) -> list[tuple[str, str, int]]:
        """(platform, space id, suggestion id) of every approved suggestion, in id order."""
        ...


class RepairStore(Protocol):
    """Streak repairs: a repaired round breaks nobody's streak (`streaks.apply_reveal`)."""

    async def repair_round(
        self, subscription_id: int, local_date: date, by: str | None, now: datetime
    ) -> tuple[StreakRepair, bool] | None:
        """Repair the channel's round of that date and set its streaks as `streaks.recompute`
        says: the repair and whether it is new (a second repair keeps the first record), or
        None when the channel had no round that day."""
        ...

    async def streak_repairs(self, subscription_id: int) -> list[StreakRepair]:
        """The channel's repaired rounds, latest date first."""
        ...


class MissedStore(Protocol):
    """What someone should see again (`/quiz missed`, `/review export`)."""

    async def missed_questions(self, platform: str, user_id: str) -> list[MissedQuestion]:
        """Revealed daily rounds of the channels they answer in that they did not answer (until
        they rate that question above Again after the reveal), and questions whose latest
        rating is Again: latest first, each question once."""
        ...


class RecapStore(Protocol):
    """What the weekly recap reads."""

    async def round_tallies(
        self, subscription_id: int, since: date, until: date
    ) -> list[RoundTally]:
        """The channel's rounds dated in [since, until), oldest first, with their on-time
        answer counts."""
        ...


class HomeStore(Protocol):
    """What a person's home view (the Slack App Home) reads, and the feedback it shows."""

    async def save_feedback(self, record: FeedbackRecord) -> None:
        """Keep the feedback on one graded answer (a second save of the same quiz or round
        for that person replaces the first)."""
        ...

    async def feedback_given(
        self, platform: str, user_id: str, source: Literal["quiz", "daily"], ref_id: int
    ) -> FeedbackRecord | None: ...

    async def latest_feedback(self, platform: str, user_id: str) -> FeedbackRecord | None:
        """The feedback on their last graded answer, if any."""
        ...
