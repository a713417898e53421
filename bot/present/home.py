"""A person's home view (the Slack App Home)."""

from __future__ import annotations

from bot.core.home import HomeView
from bot.present.daily import first_line
from bot.present.grammar import plural
from bot.present.parts import Native, Plain, Text, When, text

HOME_TITLE = "Your practice"
QUIZ_ME = "Quiz me"
NO_CHANNELS = "No streak yet: answer a daily question in a channel's thread to start one."
NO_RATING = "No rating yet: after a quiz's answer, rate yourself, and it shows here."
CALENDAR_TITLE = "Your last 26 weeks"
QUIZ_SENT = "Here is your quiz, just for you."


def streak_lines(home: HomeView, mention: dict[int, str]) -> tuple[Text, ...]:
    """`mention`: each subscription's channel as the platform writes it."""
    if not home.streaks:
        return (text(NO_CHANNELS),)
    return tuple(
        text(
            Native(mention[c.subscription.id]),
            f": streak {c.streak.current} (best {c.streak.best}), "
            f"{plural(c.streak.answers, 'answer')}",
        )
        for c in home.streaks
    )


def reviews_line(home: HomeView) -> Text:
    stats = home.reviews
    due = plural(stats.due_now, "review")
    return text(f"**Reviews:** {due} due now, {stats.due_this_week} more this week.")


def latest_line(home: HomeView, timezone: str) -> Text:
    latest = home.latest
    if latest is None:
        return text(NO_RATING)
    about = Plain(first_line(home.latest_question.text)) if home.latest_question else Plain(
        latest.question_id
    )
    return text("**Your last rating:** ", about, f" — {latest.rating.capitalize()}, ",
                When(latest.at, timezone))  # fmt: skip


