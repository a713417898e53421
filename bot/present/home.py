"""A person's home view (the Slack App Home)."""

from __future__ import annotations

from bot.bank.models import Question
from bot.core.home import HomeView
from bot.core.records import FeedbackRecord
from bot.present.daily import feedback_summary, first_line, verdicts
from bot.present.grammar import plural
from bot.present.parts import Native, Plain, Text, When, text

HOME_TITLE = "Your practice"
QUIZ_ME = "Quiz me"
NO_CHANNELS = "No streak yet: answer a daily question in a channel's thread to start one."
NO_FEEDBACK = (
    "No feedback yet: write an answer before a quiz's reveal (or turn on feedback for daily "
    "questions), and what it covered shows here."
)
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


def feedback_lines(
    record: FeedbackRecord | None, question: Question | None, timezone: str
) -> tuple[Text, ...]:
    """The feedback on their last graded answer, as they got it: which key points it covered,
    missed or contradicted (the home view, and `/review` where the platform has no home)."""
    if record is None:
        return (text(NO_FEEDBACK),)
    about = Plain(first_line(question.text)) if question else Plain(record.question_id)
    heading = text(
        "**Your last feedback:** ", about, " — ", When(record.graded_at, timezone), ". ",
        feedback_summary(record.feedback),
    )  # fmt: skip
    return (heading, *verdicts(record.feedback))
