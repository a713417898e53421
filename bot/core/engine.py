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
from bot.core.facade_installs import InstallsFacade
from bot.core.facade_looks import LooksFacade
from bot.core.facade_team import TeamFacade
from bot.core.history import RoundAttendance, WeekCounts
from bot.core.home import Homes
from bot.core.installs import Installs
from bot.core.learning import Learning
from bot.core.missed import MissedQuestions
from bot.core.models import ChannelRef, Leaderboard, Round, RoundStatus, StreakView, Subscription
from bot.core.ownership import SpaceShards
from bot.core.ports import Publisher, ScheduleListener
from bot.core.quiz import Quizzes
from bot.core.records import QuizRecord
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
from bot.core.spaces import SettingView, Spaces, SpaceSetting
from bot.core.storage import Store
from bot.core.subscriptions import Subscriptions
from bot.core.suggestions import Suggestions
from bot.core.wiring import EngineSettings, Wiring
from bot.grading.base import Grader

__all__ = ["WINDOW_SPANS", "Engine", "EngineSettings"]
T = TypeVar("T")


class Engine(TeamFacade, LooksFacade, InstallsFacade):
    """The facade; the suggestion queries come from `TeamFacade`, repairs, missed questions and
    home views from `LooksFacade`, installations on many workspaces from `InstallsFacade`."""

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
        self.homes = Homes(self._w)
        self.installs = Installs(self._w, self.rounds.outbox)

    def add_publisher(self, platform: str, publisher: Publisher) -> None:
        self._w.publishers[platform] = publisher

    def set_schedule_listener(self, listener: ScheduleListener) -> None:
        self._w.listener = listener

    def serve_shards(self, shards: SpaceShards) -> None:
        """Schedule, post, reveal and deliver only in these shards' spaces of a platform."""
        self._w.owned = self._w.owned.with_shards(shards)

    def owns(self, channel: ChannelRef) -> bool:
        return self._w.owned.owns(channel)

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
        """The active subscriptions of the spaces this process owns (the post jobs)."""
        return [s for s in await self._w.store.subscriptions() if self.owns(s.channel)]

    async def open_rounds(self) -> list[Round]:
        """Every posted, not yet revealed round this process owns (the reveal jobs)."""
        theirs = await self.subscriptions.not_owned()
        rounds = await self._w.store.rounds_with_status(RoundStatus.POSTED)
        return [r for r in rounds if r.subscription_id not in theirs]

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

    async def handle_missed(self, messages: Sequence[IncomingMessage]) -> list[AnswerResult]:
        """Messages read back from threads' history after a restart or a reconnect (each with
        `written_at`): stored as live ones are, counted once, in time by when they were written."""
        return await self.answers.handle_missed(messages)

    async def rounds_to_read(self, platform: str, revealed_since: datetime) -> list[Round]:
        """The platform's rounds whose threads may hold answers the bot has not seen: the open
        ones, and those revealed at or after `revealed_since`; oldest post first."""
        rounds = await self._w.store.rounds_with_status(RoundStatus.POSTED)
        rounds += await self._w.store.rounds_revealed_since(revealed_since)
        channels = {s.id: s.channel for s in await self._w.store.subscriptions(active_only=False)}
        chosen = [
            r for r in rounds
            if r.thread_id is not None and r.subscription_id in channels
            and channels[r.subscription_id].platform == platform
            and self.owns(channels[r.subscription_id])  # a shard's threads: its process's
        ]  # fmt: skip
        return sorted(chosen, key=lambda r: (r.posted_at or r.reveal_at, r.id))

    async def space_of_round(self, round: Round) -> str:
        """The space (Slack workspace, Discord server) of a round's channel ("" if gone)."""
        subscription = await self._w.store.subscription_by_id(round.subscription_id)
        return subscription.channel.space_id if subscription is not None else ""

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
