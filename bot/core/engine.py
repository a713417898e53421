"""The engine: the one platform-neutral entry point adapters and the scheduler call.

A thin facade over the parts that hold the rules, one module each:

- `subscriptions`: a channel's schedule and state, and when its next round comes;
- `rounds`: posting (scheduled and by hand), revealing, catching up at start-up;
- `answers`: messages in a round's thread, edits and deletes;
- `boards`: leaderboards and streaks;
- `learning`: the private quiz, reviews and feedback;
- `spaces`: per-space (workspace, server, console) settings;
- `community`: members' suggestions, their review, and each space's community pack.

Adapters and the scheduler reach the store, the bank and the clock only through the queries
here. The engine gets the time only from its clock.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TypeVar

from bot.bank.models import Bank, Pack, Question
from bot.clock import Clock
from bot.core.answers import Answers
from bot.core.boards import WINDOW_SPANS, Boards
from bot.core.history import RoundAttendance, WeekCounts
from bot.core.home import Homes, HomeView
from bot.core.learning import Learning
from bot.core.missed import MissedItem, MissedQuestions
from bot.core.models import ChannelRef, Leaderboard, Round, RoundStatus, StreakView, Subscription
from bot.core.ports import Publisher, ScheduleListener, Store
from bot.core.quiz import Quizzes
from bot.core.recap import Recaps
from bot.core.records import (
    QuizRecord,
    StreakRepair,
    SuggestionFields,
    SuggestionRecord,
    SuggestionStatus,
)
from bot.core.repair import Repairs
from bot.core.results import (
    AnswerResult,
    ChangeResult,
    ChannelStatus,
    IncomingMessage,
    PostResult,
    QuizCard,
    RevealResult,
)
from bot.core.reviews import Rated, Reviews, ReviewStats
from bot.core.rounds import Rounds
from bot.core.spaces import REVIEW_CHANNEL, SettingView, Spaces, SpaceSetting
from bot.core.subscriptions import Subscriptions
from bot.core.suggestions import AuthorNotifier, Decision, Space, Suggestions
from bot.core.wiring import EngineSettings, Wiring
from bot.grading.base import Grader

__all__ = ["WINDOW_SPANS", "Engine", "EngineSettings"]
T = TypeVar("T")


class Engine:
    def __init__(
        self,
        store: Store,
        bank: Bank,
        clock: Clock,
        settings: EngineSettings | None = None,
        *,
        rng: random.Random | None = None,
        grader: Grader | None = None,
    ) -> None:
        self.settings = settings or EngineSettings()
        self._w = Wiring(store, bank, clock, self.settings)
        reviews = Reviews(store, clock, fuzz=self.settings.review_fuzz)
        quizzes = Quizzes(store, bank, clock, reviews, rng or random.Random(), grader)
        self.subscriptions = Subscriptions(self._w, quizzes)
        self.rounds = Rounds(self._w, self.subscriptions, grader, rng)
        self.answers = Answers(self._w)
        self.boards = Boards(self._w)
        self.learning = Learning(self._w, self.subscriptions, reviews, quizzes)
        self.spaces = Spaces(self._w)
        self.community = Suggestions(self._w, self.spaces)
        self.repairs = Repairs(self._w)
        self.missed = MissedQuestions(self._w, self.subscriptions, quizzes)
        self.recaps = Recaps(self._w, self.spaces)
        self.homes = Homes(self._w)
        self.rounds.before_post.append(self.recaps.before_post)

    def add_publisher(self, platform: str, publisher: Publisher) -> None:
        self._w.publishers[platform] = publisher

    def set_schedule_listener(self, listener: ScheduleListener) -> None:
        self._w.listener = listener

    # -- queries adapters and the scheduler need ------------------------------------------------

    def now(self) -> datetime:
        return self._w.clock.now()

    @property
    def default_timezone(self) -> str:
        return self.settings.default_timezone

    @property
    def answer_limit(self) -> int:
        """Characters kept of one message."""
        return self.settings.answer_limit

    @property
    def pack_names(self) -> Sequence[str]:
        return self._w.bank.pack_names

    @property
    def packs(self) -> Sequence[Pack]:
        return self._w.bank.packs

    @property
    def question_count(self) -> int:
        return len(self._w.bank)

    def question(self, question_id: str) -> Question | None:
        return self._w.bank.get(question_id)

    async def subscription(self, channel: ChannelRef) -> Subscription | None:
        return await self.subscriptions.get(channel)

    async def active_subscriptions(self) -> list[Subscription]:
        return await self._w.store.subscriptions()

    async def open_rounds(self) -> list[Round]:
        """Every posted, not yet revealed round (the scheduler's reveal jobs)."""
        return await self._w.store.rounds_with_status(RoundStatus.POSTED)

    async def thread_round(self, channel: ChannelRef) -> Round | None:
        return await self.subscriptions.thread_round(channel)

    async def latest_revealed_round(self, channel: ChannelRef) -> Round | None:
        return await self.subscriptions.latest_revealed_round(channel)

    async def channel_timezone(self, channel: ChannelRef) -> str:
        return await self.subscriptions.timezone(channel)

    def today(self, subscription: Subscription) -> date:
        return self.subscriptions.today(subscription)

    async def day_is_free(self, subscription: Subscription, day: date) -> bool:
        return await self.subscriptions.day_is_free(subscription, day)

    async def thread_messages(self, round_id: int, user_id: str) -> list[str]:
        return await self.answers.thread_messages(round_id, user_id)

    async def recall(self, key: str) -> str | None:
        """A value the bot keeps for itself across restarts (e.g. a command hash)."""
        return await self._w.store.get_state(key)

    async def remember(self, key: str, value: str) -> None:
        await self._w.store.set_state(key, value, self._w.clock.now())

    # -- subscriptions ------------------------------------------------------------------------

    async def subscribe(
        self,
        channel: ChannelRef,
        *,
        post_time: str,
        timezone: str | None = None,
        days: str | None = None,
        reveal_after: str | None = None,
        packs: str | None = None,
        by: str | None = None,
    ) -> Subscription:
        """Subscribe a channel (or change its schedule). Raises InputError on bad input."""
        subscription = await self.subscriptions.subscribe(
            channel, post_time=post_time, timezone=timezone, days=days,
            reveal_after=reveal_after, packs=packs, by=by,
        )  # fmt: skip
        await self.rounds.outbox.resume(subscription.id)  # what was parked goes again
        return subscription

    async def unsubscribe(self, channel: ChannelRef) -> bool:
        return await self.subscriptions.unsubscribe(channel)

    async def status(self, channel: ChannelRef) -> ChannelStatus:
        return await self.subscriptions.status(channel)

    async def next_post(self, subscription: Subscription) -> datetime | None:
        return await self.subscriptions.next_post(subscription)

    async def open_round(self, subscription: Subscription) -> Round | None:
        return await self.subscriptions.open_round(subscription)

    # -- rounds -------------------------------------------------------------------------------

    async def post_now(self, channel: ChannelRef) -> PostResult:
        return await self.community.after_post(await self.rounds.post_now(channel))

    async def post_due(self, subscription_id: int) -> PostResult:
        return await self.community.after_post(await self.rounds.post_due(subscription_id))

    async def reveal_now(self, channel: ChannelRef) -> RevealResult:
        return await self.rounds.reveal_now(channel)

    async def reveal(self, round_id: int) -> RevealResult | None:
        return await self.rounds.reveal(round_id)

    async def deliver_due(self) -> int:
        """The delivery worker's step: send what the outbox holds that is due (retries, and
        deliveries in doubt after a crash); how many were tried."""
        return len(await self.rounds.outbox.run_due())

    async def catch_up(self, keep_going: Callable[[], bool] = lambda: True) -> None:
        await self.rounds.catch_up(keep_going)

    # -- answers ------------------------------------------------------------------------------

    async def handle_message(self, message: IncomingMessage) -> AnswerResult:
        return await self.answers.handle_message(message)

    async def handle_edit(
        self, platform: str, message_id: str, text: str, event_id: str | None = None
    ) -> ChangeResult:
        return await self.answers.handle_edit(platform, message_id, text, event_id)

    async def handle_delete(
        self, platform: str, message_id: str, event_id: str | None = None
    ) -> ChangeResult:
        return await self.answers.handle_delete(platform, message_id, event_id)

    # -- boards -------------------------------------------------------------------------------

    async def leaderboard(
        self,
        channel: ChannelRef,
        *,
        window: str | None = None,
        whole_space: bool = False,
        caller_id: str | None = None,
    ) -> Leaderboard:
        return await self.boards.leaderboard(
            channel, window=window, whole_space=whole_space, caller_id=caller_id
        )

    async def weekly_answers(
        self, channel: ChannelRef, since: date, *, whole_space: bool = False
    ) -> list[WeekCounts]:
        """The channel's (or its whole space's) answers per week since `since`."""
        subscriptions = await self._w.store.subscriptions(active_only=False)
        ids = [
            s.id
            for s in subscriptions
            if (s.channel == channel)
            or (
                whole_space
                and (s.channel.platform, s.channel.space_id) == (channel.platform, channel.space_id)
            )
        ]
        return await self._w.store.weekly_answers(ids, since)

    async def rounds_of(
        self, channel: ChannelRef, user_id: str, since: date
    ) -> list[RoundAttendance]:
        """The channel's rounds since `since`, with whether `user_id` answered each."""
        subscription = await self.subscriptions.get(channel)
        if subscription is None:
            return []
        return await self._w.store.rounds_of(subscription.id, user_id, since)

    async def user_name(self, platform: str, user_id: str) -> str | None:
        return await self._w.store.user_name(platform, user_id)

    async def rename_user(self, platform: str, user_id: str, name: str) -> bool:
        """A display name that arrived after the answer was stored (the boards follow)."""
        return await self._w.store.rename_user(platform, user_id, name)

    async def keep_leaderboards(self) -> None:
        await self.boards.keep_leaderboards()

    async def streak(self, channel: ChannelRef, user_id: str) -> StreakView:
        return await self.boards.streak(channel, user_id)

    # -- learning -----------------------------------------------------------------------------

    async def quiz(
        self,
        platform: str,
        user_id: str,
        *,
        pack: str | None = None,
        channel: ChannelRef | None = None,
    ) -> QuizCard:
        return await self.learning.quiz(platform, user_id, pack=pack, channel=channel)

    async def quiz_card(self, platform: str, user_id: str, quiz_id: int) -> QuizCard:
        """One of someone's quizzes as a card (e.g. to answer or rate it from a button)."""
        return await self.learning.quizzes.card(platform, user_id, quiz_id)

    async def answer_quiz(
        self,
        platform: str,
        user_id: str,
        text: str,
        *,
        quiz_id: int | None = None,
        append: bool = False,
    ) -> QuizCard:
        return await self.learning.answer_quiz(
            platform, user_id, text, quiz_id=quiz_id, append=append
        )

    async def pending_quiz(self, platform: str, user_id: str) -> QuizRecord | None:
        return await self.learning.pending_quiz(platform, user_id)

    async def reveal_quiz(
        self, platform: str, user_id: str, quiz_id: int | None = None
    ) -> QuizCard:
        return await self.learning.reveal_quiz(platform, user_id, quiz_id)

    async def rate_quiz(
        self, platform: str, user_id: str, rating: str, quiz_id: int | None = None
    ) -> Rated:
        return await self.learning.rate_quiz(platform, user_id, rating, quiz_id)

    async def rate_round(self, platform: str, user_id: str, round_id: int, rating: str) -> Rated:
        return await self.learning.rate_round(platform, user_id, round_id, rating)

    async def rate_latest(
        self, platform: str, user_id: str, rating: str, channel: ChannelRef
    ) -> Rated | None:
        return await self.learning.rate_latest(platform, user_id, rating, channel)

    async def review_stats(self, platform: str, user_id: str) -> ReviewStats:
        return await self.learning.review_stats(platform, user_id)

    async def set_daily_feedback(self, platform: str, user_id: str, enabled: bool) -> None:
        await self.learning.set_daily_feedback(platform, user_id, enabled)

    # -- per-space settings -------------------------------------------------------------------

    async def space_value(self, channel: ChannelRef, setting: SpaceSetting[T]) -> T:
        """A declared setting's value in the channel's space (typed)."""
        return await self.spaces.value(channel, setting)

    async def space_settings(self, channel: ChannelRef) -> list[SettingView]:
        """Every declared setting of the channel's space, for `/practice config`."""
        return await self.spaces.views(channel)

    async def space_setting(self, channel: ChannelRef, key: str) -> SettingView:
        return await self.spaces.view(channel, key)

    async def set_space_setting(
        self, channel: ChannelRef, key: str, value: str, by: str | None = None
    ) -> SettingView:
        """Set one setting (`default` resets it); InputError and nothing stored when bad."""
        return await self.spaces.set(channel, key, value, by)

    # -- questions from the team --------------------------------------------------------------

    def add_author_notifier(self, platform: str, notifier: AuthorNotifier) -> None:
        """How authors on `platform` are told, privately, what became of their suggestions."""
        self.community.notifiers[platform] = notifier

    async def suggest(
        self, channel: ChannelRef, author_id: str, author_name: str, fields: SuggestionFields
    ) -> SuggestionRecord:
        """A member's suggestion, pending; InputError/NotAllowedError and nothing stored when
        it is bad, a near-duplicate or over the limit."""
        return await self.community.suggest(channel, author_id, author_name, fields)

    async def suggestion(self, space: Space, suggestion_id: int) -> SuggestionRecord:
        return await self.community.get(space, suggestion_id)

    async def suggestions(
        self, space: Space | None = None, status: SuggestionStatus | None = None
    ) -> list[SuggestionRecord]:
        return await self.community.listing(space, status)

    async def approve_suggestion(
        self, space: Space, suggestion_id: int, by: str, by_name: str
    ) -> Decision:
        return await self.community.approve(space, suggestion_id, by, by_name)

    async def reject_suggestion(
        self, space: Space, suggestion_id: int, by: str, by_name: str, reason: str | None = None
    ) -> Decision:
        return await self.community.reject(space, suggestion_id, by, by_name, reason)

    async def edit_suggestion(
        self, space: Space, suggestion_id: int, fields: SuggestionFields
    ) -> Decision:
        return await self.community.edit(space, suggestion_id, fields)

    async def set_suggestion_review_ref(self, suggestion_id: int, ref: str) -> None:
        await self.community.set_review_ref(suggestion_id, ref)

    async def community_pack(self, space: Space) -> Pack:
        return await self.community.community_pack(space)

    async def import_community(
        self, space: Space, pack: Pack, by: str
    ) -> list[SuggestionRecord]:
        return await self.community.import_pack(space, pack, by)

    async def review_channel(self, channel: ChannelRef) -> str | None:
        """Where the space reviews suggestions (`/practice config review-channel`)."""
        return await self.spaces.value(channel, REVIEW_CHANNEL)
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
        """Their streak per channel they answer in, reviews due, their last rating."""
        latest = await self._w.store.latest_rating(platform, user_id)
        return HomeView(
            tuple(await self.homes.streaks(platform, space_id, user_id)),
            await self.learning.review_stats(platform, user_id),
            latest,
            self._w.bank.get(latest.question_id) if latest else None,
        )
