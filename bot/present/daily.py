"""The daily loop: the question's post, its reveal and the private feedback on an answer."""

from __future__ import annotations

from collections.abc import Sequence

from bot.bank.models import Question
from bot.core.ports import FeedbackPost, RevealPost, RoundPost
from bot.core.records import Answerer
from bot.grading.base import Feedback, KeyPointVerdict
from bot.present.cards import Button, Card, Field, Intent, Section
from bot.present.grammar import plural
from bot.present.parts import Plain, Text, When, Who, join, text
from bot.present.vocabulary import AnswerRoute, Vocabulary

QUOTE_LIMIT = 220  # characters of a quoted sentence; chat messages stay short

QUESTION_OF_THE_DAY = "Question of the day"
REFERENCE_ANSWER = "Reference answer"
KEY_POINTS = "Key points"
FURTHER_READING = "Further reading"
ANSWER_LABEL = "Answer"
NOBODY = "Nobody answered this time. The next question is a fresh start."
NO_REFERENCE_ANSWER = "_No reference answer — the thread is the answer._"
SHORTENED = "_(shortened to fit in one message)_"
_HOW_TO_ANSWER = {
    AnswerRoute.THREAD: "Answer in the thread.",
    AnswerRoute.THREAD_OR_BUTTON: "Answer in the thread below, or privately with the Answer button.",
    AnswerRoute.BUTTON: "Answer with the Answer button: your answer stays private until the reveal.",
    AnswerRoute.TERMINAL: "Answer in the thread: type your answer and press Enter.",
}


def first_line(markdown: str) -> str:
    """The first non-empty line of a question, without leading Markdown markers."""
    line = next((ln for ln in markdown.splitlines() if ln.strip()), markdown)
    return line.strip().strip("*_#> ").strip()


def tag(pack_title: str, question: Question) -> Text:
    return text("**", Plain(pack_title), "** · ", question.difficulty)


def how_to_answer(route: AnswerRoute) -> str:
    return _HOW_TO_ANSWER[route]


def revealed_at(moment: When) -> Text:
    return text("The reference answer is revealed ", moment, ".")


def round_card(post: RoundPost, route: AnswerRoute) -> Card:
    reveal = When(
        post.reveal_at, post.subscription.schedule.timezone if post.subscription else "UTC"
    )
    return Card(
        title=QUESTION_OF_THE_DAY,
        context=text(
            tag(post.pack_title, post.question),
            *((" · ", credit(post.suggested_by)) if post.suggested_by else ()),
        ),
        body=(Section(post.question.text),),
        fields=(
            Field("Pack", text(Plain(post.pack_title))),
            Field("Difficulty", text(post.question.difficulty.capitalize())),
            Field("Answer revealed", text(reveal)),
        ),
        footer=text(how_to_answer(route), " ", revealed_at(reveal)),
        buttons=(Button(Intent.ANSWER_ROUND, ANSWER_LABEL),)
        if route in (AnswerRoute.THREAD_OR_BUTTON, AnswerRoute.BUTTON)
        else (),
    )


def credit(author: str) -> Text:
    """A community question's credit on its post."""
    return text("suggested by ", Plain(author))


def reference(question: Question) -> tuple[Section, ...]:
    """The reference answer, its key points and further reading."""
    sections = [Section(question.answer or NO_REFERENCE_ANSWER)]
    if question.key_points and question.answer:
        points = tuple(text(Plain(point)) for point in question.key_points)
        sections.append(Section(heading=KEY_POINTS, bullets=points))
    if question.further_reading:
        links = tuple(text(Plain(url)) for url in question.further_reading)
        sections.append(Section(heading=FURTHER_READING, bullets=links))
    return tuple(sections)


def answered_by(answerers: Sequence[Answerer], shown: int | None = None) -> Text:
    """Who answered; `shown`: name only the first so many, then "…and 212 more" (a platform
    whose message cannot hold every name)."""
    if not answerers:
        return text(NOBODY)
    named = answerers if shown is None else answerers[: max(shown, 0)]
    names = join(", ", [text(Who(a.user_id, a.name)) for a in named])
    rest = len(answerers) - len(named)
    more = text(", " if named else "", f"…and {rest} more") if rest else ()
    return text(f"**Answered by {len(answerers)}:** ", names, more)


def streaks_updated(words: Vocabulary) -> str:
    return f"Streaks are updated: see {words.leaderboard}."


def rate_the_round(words: Vocabulary) -> str:
    private = " Only you see your rating." if words.private else ""
    return (
        f"**Answered? Rate yourself** with {words.rate}: the question comes back in your "
        f"{words.quiz} when it is due.{private}"
    )


def rating_buttons(suggested: str | None = None) -> tuple[Button, ...]:
    from bot.core.reviews import RATINGS

    return tuple(
        Button(Intent.RATE, rating.capitalize(), rating, primary=rating == suggested)
        for rating in RATINGS
    )


def reveal_card(post: RevealPost, words: Vocabulary) -> Card:
    question = post.question
    return Card(
        title=REFERENCE_ANSWER,
        context=text("_", Plain(first_line(question.text)), "_"),
        body=reference(question),
        footer=answered_by(post.answerers),
        prompt=text(rate_the_round(words)) if post.answerers else (),
        buttons=rating_buttons() if post.answerers else (),
    )


# -- feedback on a written answer -----------------------------------------------------------


def coverage(feedback: Feedback) -> str:
    total = len(feedback.verdicts)
    return f"Your answer covered {len(feedback.covered)} of {plural(total, 'key point')}."


def verdicts(feedback: Feedback) -> tuple[Text, ...]:
    """One line per key point: ✅ covered; ❌ missed (with the reference sentence that makes
    it) or contradicted (with what the answer said)."""
    lines = [text("✅ ", Plain(point)) for point in feedback.covered]
    lines += [text("❌ ", Plain(gap(v))) for v in feedback.verdicts if not v.covered]
    return tuple(lines)


def gap(verdict: KeyPointVerdict) -> str:
    """A missed or contradicted point, with the sentence that makes it or the one that denies it."""
    if verdict.contradicted:
        wrote = f" You wrote: “{_clip(verdict.evidence)}”" if verdict.evidence else ""
        return f"Your answer says the opposite of: {verdict.point}{wrote}"
    if verdict.reference:
        return f"Missed: {verdict.point} The reference answer: “{_clip(verdict.reference)}”"
    return f"Missed: {verdict.point}"


def _clip(said: str) -> str:
    said = " ".join(said.split())
    return said if len(said) <= QUOTE_LIMIT else said[: QUOTE_LIMIT - 1].rstrip() + "…"


def feedback_section(feedback: Feedback) -> Section:
    return Section(heading=coverage(feedback), lines=verdicts(feedback))


def suggested_rating(feedback: Feedback) -> Text:
    return text(f"Suggested rating: **{feedback.suggested_rating}**.")


def daily_feedback_card(post: FeedbackPost, feedback: Feedback, words: Vocabulary) -> Card:
    """What one opted-in person is told, privately, about their answer to a revealed round."""
    return Card(
        title="Your answer to: " + first_line(post.question.text),
        context=text(
            "**Just for you:** your answer to _", Plain(first_line(post.question.text)), "_"
        ),
        body=(feedback_section(feedback),),
        fields=(Field("Suggested rating", text(feedback.suggested_rating.capitalize())),),
        footer=text(
            suggested_rating(feedback),
            f" Rate yourself with {words.rate_feedback}. {words.feedback_off} stops these notes.",
        ),
        buttons=rating_buttons(feedback.suggested_rating),
    )


def feedback_summary(feedback: Feedback) -> str:
    """The one-line notification for a feedback note."""
    return f"{coverage(feedback)} Suggested rating: {feedback.suggested_rating}."
