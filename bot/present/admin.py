"""Replies to the channel's admin commands (subscribe, pause, post and reveal now) and to each
person's feedback setting; notices to the admin who subscribed a channel."""

from __future__ import annotations

from datetime import datetime

from bot.core.models import Subscription
from bot.core.results import PostResult, PostStatus, RevealResult
from bot.present.boards import not_subscribed
from bot.present.daily import first_line
from bot.present.errors import shown_error
from bot.present.grammar import people
from bot.present.parts import Plain, Text, When, text
from bot.present.vocabulary import Vocabulary

KEPT = "Answers, streaks and the leaderboard stay."
RUN_IN_CHANNEL = "Run /practice in the channel that should get the questions."
NOTHING_SCHEDULED = "No next question is scheduled."


def first_post(moment: datetime | None, timezone: str) -> Text:
    if moment is None:
        return ()
    return text("The first question comes ", When(moment, timezone), ".")


def next_post(moment: datetime | None, timezone: str) -> Text:
    if moment is None:
        return text(NOTHING_SCHEDULED)
    return text("The next question comes ", When(moment, timezone), ".")


def subscribed(subscription: Subscription, first: datetime | None, channel: Text = ()) -> Text:
    """`channel`: the channel's mention, where the platform has one."""
    where = text(" ", channel) if channel else ()
    packs = (
        text(" Packs: ", Plain(", ".join(subscription.packs)), ".") if subscription.packs else ()
    )
    when = first_post(first, subscription.schedule.timezone)
    return text(
        "Subscribed", where, ": ", Plain(subscription.schedule.describe()), ".", packs,
        " " if when else "", when,
    )  # fmt: skip


def unsubscribed(done: bool, words: Vocabulary) -> str:
    if not done:
        return not_subscribed(words)
    return (
        f"Unsubscribed: no more daily questions here. {KEPT} {words.subscribe} starts them again."
    )


def paused(done: bool, words: Vocabulary) -> str:
    if not done:
        return f"The daily question is not running here: {words.subscribe} starts it."
    return f"Paused: no daily questions until {words.subscribe}. {KEPT}"


def not_paused(subscription: Subscription) -> Text:
    return text("The daily question is not paused: ", Plain(subscription.schedule.describe()), ".")


def resumed(subscription: Subscription, upcoming: datetime | None) -> Text:
    return text(
        "Resumed: ", Plain(subscription.schedule.describe()), ". ",
        next_post(upcoming, subscription.schedule.timezone),
    )  # fmt: skip


def post_reply(result: PostResult, words: Vocabulary, link: Text = ()) -> Text:
    at = text(": ", link) if link else ()
    if result.status is PostStatus.POSTED:
        return text(
            "Posted today's question", at, ". Answers go in its thread.",
        )  # fmt: skip
    if result.status is PostStatus.ALREADY:
        return text("Today's question is already posted", at, f"; {words.reveal_now} reveals it.")
    if result.status is PostStatus.FAILED:
        return text("Could not post: ", Plain(shown_error(result.detail)))
    if result.status is PostStatus.QUEUED:
        return text(
            "Today's question is queued, not posted yet: ",
            Plain(shown_error(result.detail).rstrip(".")),
            ". It is retried while the post is still useful.",
        )  # fmt: skip
    return text(not_subscribed(words))


def revealed(result: RevealResult, thread: Text = ()) -> Text:
    where = text(" in ", thread) if thread else ()
    answered = people(len(result.answerers))
    if result.queued is not None:
        return text(
            "The round is closed", f" ({answered} answered)",
            ", but its reveal is not delivered yet: ", Plain(result.queued),
            ". It stays queued until it goes out.",
        )  # fmt: skip
    return text(
        "Revealed", where, ": ", Plain(first_line(result.question.text)), f" ({answered} answered)."
    )


def problem_notice(channel: Text, detail: str, *, paused: bool) -> Text:
    """A direct message to whoever subscribed a channel the bot could not post in (once per
    new problem; the outbox's notice)."""
    shown = text("I could not post in ", channel, ". ", Plain(shown_error(detail)))
    if not paused:
        return shown
    return text(shown, " Its questions are paused until the channel is subscribed again.")


# -- each person's feedback setting ---------------------------------------------------------


def feedback_on(words: Vocabulary) -> str:
    return (
        "Feedback is on: after each reveal of a question you answered, you get a private note "
        f"{words.feedback_where} on which key points your answer covered and missed, with a "
        f"suggested rating. {words.feedback_off} stops it."
    )


FEEDBACK_OFF = "Feedback is off: no more private notes after reveals."


# -- a workspace that uninstalled the app (many workspaces) -----------------------------------

APP_UNINSTALLED = (
    "The app was uninstalled from this workspace, or its token was revoked: this channel is "
    "paused until someone installs the app again, which resumes it."
)
