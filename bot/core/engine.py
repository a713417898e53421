"""The engine: the one platform-neutral entry point adapters and the scheduler call.

It owns the rules of the daily loop (subscribe, post, answer, reveal) and the private quiz,
keeps state in the store, asks publishers (adapters) to post, and tells the scheduler what
changed. It gets the time only from its clock.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from bot.bank.models import Bank, Question
from bot.clock import Clock
from bot.core import schedule as rules
from bot.core.errors import InputError, NotFoundError, PublishError, PublishFailure
from bot.core.models import (
    ChannelRef,
    Leaderboard,
    Round,
    RoundStatus,
    StreakView,
    Subscription,
    Window,
)
from bot.core.ports import PostedRef, Publisher, RevealPost, RoundPost, ScheduleListener, Store
from bot.core.quiz import Quizzes
from bot.core.records import (
    Answerer,
    DueClaim,
    DuePlan,
    MessageOutcome,
    QuestionChoice,
    QuestionPool,
    QuizRecord,
)
from bot.core.results import (
    AnswerResult,
    ChangeResult,
    ChannelStatus,
    IncomingMessage,
    PostResult,
    PostStatus,
    QuizCard,
    RevealResult,
)
from bot.core.reviews import Rated, Reviews, ReviewStats, parse_rating
from bot.grading.base import Feedback, Grader

log = logging.getLogger(__name__)

WINDOW_SPANS: Mapping[Window, timedelta | None] = {
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "all": None,
}


@dataclass(frozen=True)
class EngineSettings:
    catch_up_grace: timedelta = timedelta(hours=2)
    default_timezone: str = "UTC"
    answer_limit: int = 4000  # characters kept of one message
    review_fuzz: bool = True  # FSRS interval fuzzing (off in tests, for exact due dates)


class _NoSchedule:
    def subscription_changed(self, subscription: Subscription) -> None:
        pass

    def round_posted(self, round: Round) -> None:
        pass


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
        self.store = store
        self.bank = bank
        self.clock = clock
        self.settings = settings or EngineSettings()
        self._publishers: dict[str, Publisher] = {}
        self._listener: ScheduleListener = _NoSchedule()
        self.reviews = Reviews(store, clock, fuzz=self.settings.review_fuzz)
        self.quizzes = Quizzes(store, bank, clock, self.reviews, rng or random.Random(), grader)
        self._grader = grader

    def add_publisher(self, platform: str, publisher: Publisher) -> None:
        self._publishers[platform] = publisher

    def set_schedule_listener(self, listener: ScheduleListener) -> None:
        self._listener = listener

    # -- subscriptions ----------------------------------------------------------------------

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
        current = await self.store.subscription(channel)
        schedule = rules.Schedule(
            post_time=rules.parse_post_time(post_time),
            timezone=rules.parse_timezone(timezone)
            if timezone
            else (current.schedule.timezone if current else self.settings.default_timezone),
            days=rules.parse_days(days)
            if days
            else (current.schedule.days if current else rules.DEFAULT_DAYS),
            reveal_after=rules.parse_reveal_after(reveal_after)
            if reveal_after
            else (current.schedule.reveal_after if current else rules.DEFAULT_REVEAL_AFTER),
        )
        pack_filter = self._parse_packs(packs) if packs else (current.packs if current else None)
        subscription = await self.store.save_subscription(
            channel, schedule, pack_filter, by, self.clock.now()
        )
        log.info("subscribed channel=%s schedule=%s", channel.key, schedule.describe())
        self._listener.subscription_changed(subscription)
        return subscription

    def _parse_packs(self, text: str) -> tuple[str, ...]:
        return self.quizzes.parse_packs(text)

    async def unsubscribe(self, channel: ChannelRef) -> bool:
        subscription = await self.store.subscription(channel)
        if subscription is None or not subscription.active:
            return False
        await self.store.set_subscription_state(
            subscription.id, active=False, problem=None, now=self.clock.now()
        )
        log.info("unsubscribed channel=%s", channel.key)
        self._listener.subscription_changed(
            await self._require_subscription(channel, active_only=False)
        )
        return True

    async def _require_subscription(
        self, channel: ChannelRef, *, active_only: bool = True
    ) -> Subscription:
        subscription = await self.store.subscription(channel)
        if subscription is None or (active_only and not subscription.active):
            raise NotFoundError("This channel is not subscribed yet: subscribe it first.")
        return subscription

    async def status(self, channel: ChannelRef) -> ChannelStatus:
        subscription = await self.store.subscription(channel)
        if subscription is None:
            return ChannelStatus(None, None, None, None)
        open_round = await self.open_round(subscription)
        return ChannelStatus(
            subscription,
            open_round,
            self.bank.get(open_round.question_id) if open_round else None,
            await self.next_post(subscription) if subscription.active else None,
        )

    async def next_post(self, subscription: Subscription) -> datetime | None:
        """When the channel's next scheduled round will be posted."""
        now = self.clock.now()
        schedule = subscription.schedule
        today = rules.local_date(schedule, now)
        last_date, last_posted = await self.store.round_marks(subscription.id)
        for offset in range(9):  # a week, and a day held by a round from before a move west
            day = today + timedelta(days=offset)
            moment = rules.post_moment(schedule, day)
            if (
                rules.posts_on(schedule, day)
                and moment > now
                and rules.day_is_free(day, schedule.timezone, last_date, last_posted)
            ):
                return moment
        return None

    async def open_round(self, subscription: Subscription) -> Round | None:
        rounds = await self.store.rounds_with_status(RoundStatus.POSTED, subscription.id)
        return rounds[-1] if rounds else None

    # -- posting ----------------------------------------------------------------------------

    async def post_now(self, channel: ChannelRef) -> PostResult:
        """Post today's round by hand. It takes the day's place: the scheduled post is skipped."""
        subscription = await self._require_subscription(channel)
        today = rules.local_date(subscription.schedule, self.clock.now())
        return await self._post(subscription, today, "manual")

    async def post_due(self, subscription_id: int) -> PostResult:
        """The scheduled job: post today's round if it is due and not yet posted."""
        now = self.clock.now()

        plan = DuePlan(now, self.settings.catch_up_grace, self._pool())

        # Reading the subscription, deciding, and claiming: one transaction, one trip (at a
        # busy minute thousands of these run at once).
        subscription, claimed, fresh = await self.store.claim_due_round(subscription_id, plan)
        if subscription is None or not subscription.active:
            return PostResult(PostStatus.NOT_SUBSCRIBED)
        if claimed is None:
            log.info("skipped post channel=%s: outside its post window", subscription.channel.key)
            return PostResult(PostStatus.ALREADY)
        if not fresh:
            return PostResult(PostStatus.ALREADY, claimed, self.bank.get(claimed.question_id))
        return await self._publish(subscription, claimed)

    async def _post(
        self, subscription: Subscription, day: date, kind: Literal["scheduled", "manual"]
    ) -> PostResult:
        now = self.clock.now()
        # Whether the date is free, the cycle, and the claim: one transaction, one trip.
        due = DueClaim(
            day, kind, now, now + subscription.schedule.reveal_after,
            self._choice(subscription), subscription.schedule.timezone,
        )  # fmt: skip
        claimed, fresh = await self.store.claim_next_round(subscription.id, due)
        if not fresh:
            return PostResult(PostStatus.ALREADY, claimed, self.bank.get(claimed.question_id))
        return await self._publish(subscription, claimed)

    def _choice(self, subscription: Subscription) -> QuestionChoice:
        """How the channel's next question is chosen from its cycle (plain data the store applies)."""
        eligible = tuple(q.id for q in self._eligible(subscription))
        return QuestionChoice(eligible, subscription.channel.key)

    def _pool(self) -> QuestionPool:
        """The bank's question ids per pack, for the store to apply a channel's pack filter."""
        return QuestionPool(self.bank.ids_by_pack)

    def _eligible(self, subscription: Subscription) -> list[Question]:
        questions = self.bank.questions(subscription.packs)
        if not questions:  # the filter names packs the bank no longer has
            log.warning(
                "channel=%s: pack filter matches nothing; using all packs", subscription.channel.key
            )
            questions = self.bank.questions()
        return questions

    def _question(self, question_id: str) -> Question:
        question = self.bank.get(question_id)
        if question is None:
            raise NotFoundError(f"Question '{question_id}' is no longer in the bank.")
        return question

    async def _publish(self, subscription: Subscription, claimed: Round) -> PostResult:
        """Post a claimed round on its platform and record where it went."""
        publisher = self._publishers.get(subscription.channel.platform)
        question = self._question(claimed.question_id)
        if publisher is None:
            await self.store.release_claim(claimed.id)
            detail = f"no adapter is running for platform '{subscription.channel.platform}'"
            log.warning(
                "post failed channel=%s round=%s: %s", subscription.channel.key, claimed.id, detail
            )
            return PostResult(
                PostStatus.FAILED, claimed, question, PublishFailure.TRANSIENT, detail
            )
        pack = self.bank.pack(question.pack)
        reveal_at = self.clock.now() + subscription.schedule.reveal_after
        post = RoundPost(
            subscription, claimed, question, pack.title if pack else question.pack, reveal_at
        )
        try:
            ref: PostedRef = await publisher.post_round(post)
        except PublishError as error:
            await self.store.release_claim(claimed.id)
            await self._record_failure(subscription, error)
            return PostResult(PostStatus.FAILED, claimed, question, error.failure, error.detail)
        except Exception as error:
            await self.store.release_claim(claimed.id)
            log.exception("post failed channel=%s round=%s", subscription.channel.key, claimed.id)
            return PostResult(
                PostStatus.FAILED, claimed, question, PublishFailure.TRANSIENT, str(error)
            )
        posted = await self.store.mark_posted(
            claimed.id, ref.message_id, ref.thread_id, self.clock.now(), reveal_at
        )
        if subscription.problem:
            await self.store.set_subscription_state(
                subscription.id, active=True, problem=None, now=self.clock.now()
            )
        log.info(
            "posted channel=%s round=%s question=%s kind=%s",
            subscription.channel.key, posted.id, posted.question_id, posted.kind,
        )  # fmt: skip
        self._listener.round_posted(posted)
        return PostResult(PostStatus.POSTED, posted, question)

    async def _record_failure(self, subscription: Subscription, error: PublishError) -> None:
        gone = error.failure is PublishFailure.CHANNEL_GONE
        await self.store.set_subscription_state(
            subscription.id, active=not gone, problem=error.detail, now=self.clock.now()
        )
        log.warning(
            "post failed channel=%s failure=%s%s: %s",
            subscription.channel.key, error.failure.value,
            " (subscription paused)" if gone else "", error.detail,
        )  # fmt: skip
        if gone:
            self._listener.subscription_changed(
                await self._require_subscription(subscription.channel, active_only=False)
            )

    # -- revealing --------------------------------------------------------------------------

    async def reveal_now(self, channel: ChannelRef) -> RevealResult:
        subscription = await self._require_subscription(channel, active_only=False)
        open_round = await self.open_round(subscription)
        if open_round is None:
            raise NotFoundError("There is no open round to reveal in this channel.")
        result = await self.reveal(open_round.id)
        assert result is not None
        return result

    async def reveal(self, round_id: int) -> RevealResult | None:
        """Reveal a round (and any older open round of its channel first, to keep streak order)."""
        target = await self.store.round(round_id)
        if target is None or target.status is not RoundStatus.POSTED:
            return None
        for older in await self.store.rounds_with_status(
            RoundStatus.POSTED, target.subscription_id
        ):
            if older.local_date < target.local_date:
                await self._reveal_one(older)
        return await self._reveal_one(target)

    async def _reveal_one(self, round: Round) -> RevealResult | None:
        answerers = await self.store.reveal_round(round.id, self.clock.now())
        if answerers is None:
            return None
        revealed = await self.store.round(round.id)
        subscription = await self.store.subscription_by_id(round.subscription_id)
        assert revealed is not None and subscription is not None
        question = self._question(round.question_id)
        log.info(
            "revealed channel=%s round=%s answers=%d",
            subscription.channel.key, round.id, len(answerers),
        )  # fmt: skip
        feedback = await self._daily_feedback(
            subscription.channel.platform, round.id, question, answerers
        )
        publisher = self._publishers.get(subscription.channel.platform)
        if publisher is not None:
            try:
                await publisher.post_reveal(
                    RevealPost(subscription, revealed, question, tuple(answerers), feedback)
                )
            except Exception:
                log.exception(
                    "reveal post failed channel=%s round=%s", subscription.channel.key, round.id
                )
        return RevealResult(revealed, question, tuple(answerers))

    async def _daily_feedback(
        self, platform: str, round_id: int, question: Question, answerers: list[Answerer]
    ) -> dict[str, Feedback]:
        """Graded answers of those who asked for private feedback on daily rounds."""
        if self._grader is None or not answerers:
            return {}
        wanted = await self.store.daily_feedback_users(platform)
        feedback = {}
        for answerer in answerers:
            if answerer.user_id in wanted:
                text = await self.store.answer_text(round_id, answerer.user_id)
                if not text.strip():
                    continue
                try:
                    feedback[answerer.user_id] = await self._grader.grade(question.key_points, text)
                except Exception:  # feedback is a bonus: the reveal goes out regardless
                    log.exception("grading failed round=%s user=%s", round_id, answerer.user_id)
        return feedback

    async def catch_up(self, keep_going: Callable[[], bool] = lambda: True) -> None:
        """At start-up: finish interrupted posts, post what is due, reveal what is overdue.

        `keep_going` is asked before each post or reveal, so a shutdown can stop a long catch-up
        between two posts (never inside one).
        """
        now = self.clock.now()
        for claimed in await self.store.rounds_with_status(RoundStatus.CLAIMED):
            if not keep_going():
                return
            subscription = await self.store.subscription_by_id(claimed.subscription_id)
            assert subscription is not None
            if subscription.active and claimed.local_date == rules.local_date(
                subscription.schedule, now
            ):
                log.info(
                    "retrying interrupted post channel=%s round=%s",
                    subscription.channel.key,
                    claimed.id,
                )
                await self._publish(subscription, claimed)
            else:
                await self.store.release_claim(claimed.id)
        for subscription in await self.store.subscriptions():
            if not keep_going():
                return
            if rules.due_post_date(subscription.schedule, now, self.settings.catch_up_grace):
                await self.post_due(subscription.id)
        for open_round in await self.store.rounds_with_status(RoundStatus.POSTED):
            if not keep_going():
                return
            if open_round.reveal_at <= now:
                await self.reveal(open_round.id)

    # -- answers ----------------------------------------------------------------------------

    def _clip(self, text: str) -> tuple[str, bool]:
        limit = self.settings.answer_limit
        return (text[:limit], True) if len(text) > limit else (text, False)

    async def handle_message(self, message: IncomingMessage) -> AnswerResult:
        """A message in some thread: an answer if it is in a round's thread and not a bot's."""
        if message.is_bot:
            return AnswerResult(None)
        text, truncated = self._clip(message.text)
        # The round's lookup and the record are one unit of work: one trip to the database.
        round, outcome = await self.store.record_thread_message(
            platform=message.platform,
            thread_id=message.thread_id,
            message_id=message.message_id,
            event_id=message.event_id,
            user_id=message.user_id,
            user_name=message.user_name,
            text=text,
            truncated=truncated,
            now=self.clock.now(),
        )
        if round is None or outcome is None:  # not a round's thread, or not posted yet
            return AnswerResult(None)
        return AnswerResult(outcome, round, truncated and outcome is not MessageOutcome.DUPLICATE)

    async def handle_edit(
        self, platform: str, message_id: str, text: str, event_id: str | None = None
    ) -> ChangeResult:
        clipped, truncated = self._clip(text)
        outcome = await self.store.edit_message(
            platform=platform, message_id=message_id, event_id=event_id,
            text=clipped, truncated=truncated, now=self.clock.now(),
        )  # fmt: skip
        return ChangeResult(outcome, truncated)

    async def handle_delete(
        self, platform: str, message_id: str, event_id: str | None = None
    ) -> ChangeResult:
        outcome = await self.store.delete_message(
            platform=platform, message_id=message_id, event_id=event_id, now=self.clock.now()
        )
        return ChangeResult(outcome)

    # -- leaderboards and streaks -----------------------------------------------------------

    async def leaderboard(
        self,
        channel: ChannelRef,
        *,
        window: str | None = None,
        whole_space: bool = False,
        caller_id: str | None = None,
    ) -> Leaderboard:
        """By current streak by default; by answers in a window when one is given."""
        if window is not None and window not in WINDOW_SPANS:
            raise InputError(f"Window must be week, month or all (got '{window}').")
        chosen: Window = window if window is not None else "all"  # type: ignore[assignment]
        span = WINDOW_SPANS[chosen]
        return await self.store.leaderboard(
            channel=channel,
            whole_space=whole_space,
            window=chosen,
            since=self.clock.now() - span if span else None,
            ranked_by="streak" if window is None else "answers",
            caller_id=caller_id,
        )

    async def keep_leaderboards(self) -> None:
        """Upkeep of the leaderboards' counts; the real-time scheduler runs it every minute.

        Boards are exact without it, but each read then has more to set right in memory.
        """
        now = self.clock.now()
        await self.store.keep_standings(
            {window: now - span for window, span in WINDOW_SPANS.items() if span is not None}
        )

    async def streak(self, channel: ChannelRef, user_id: str) -> StreakView:
        subscription = await self.store.subscription(channel)
        if subscription is None:
            return StreakView(0, 0, 0, False)
        return await self.store.streak(subscription.id, user_id)

    # -- quiz and reviews -------------------------------------------------------------------

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
            subscription = await self.store.subscription(channel)
            open_round = await self.open_round(subscription) if subscription else None
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
        clipped, _ = self._clip(text)
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

    async def review_stats(self, platform: str, user_id: str) -> ReviewStats:
        return await self.reviews.stats(platform, user_id)

    async def set_daily_feedback(self, platform: str, user_id: str, enabled: bool) -> None:
        await self.store.set_daily_feedback(platform, user_id, enabled)
