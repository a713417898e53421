"""The private quiz, its answer, ratings and the review schedule."""

from __future__ import annotations

from datetime import datetime

from bot.core.results import QuizCard
from bot.core.reviews import Rated, ReviewStats, describe_wait
from bot.present.cards import Button, Card, Field, Intent, Section
from bot.present.daily import feedback_section, rating_buttons, reference, tag
from bot.present.grammar import plural
from bot.present.parts import Plain, Text, When, text
from bot.present.vocabulary import Vocabulary

QUIZ_TITLE = "Quiz, just for you"
QUIZ_ANSWER_TITLE = "Quiz"
YOUR_ANSWER = "Your answer"
WRITE_LABEL = "Write an answer"
REWRITE_LABEL = "Rewrite my answer"
SHOW_LABEL = "Show answer"
ANSWER_PLACEHOLDER = "As you would say it in an interview"
ROUND_ANSWER_PLACEHOLDER = "Kept private until the reveal; only who answered is shown then."
EMPTY_ANSWER = "Your answer was empty, so nothing was saved."
NOT_SAVED = "Sorry, your answer could not be saved. Please try again."
OUT_OF_DATE = "That button is out of date."


def quiz_out_of_date(words: Vocabulary) -> str:
    return f"That button is out of date: ask for a new quiz with {words.quiz}."


NO_REVIEWS_YET = (
    "No reviews yet. After {quiz} shows you an answer, rate yourself: the question joins your "
    "review schedule. Daily questions you answered can be rated on their reveal."
)


def quiz_card(card: QuizCard, words: Vocabulary, *, saved: bool = False) -> Card:
    """The question, with "Write an answer" and "Show answer"; `saved` once an answer is kept."""
    only_you = " Only you can see this." if words.private else ""
    footer = (
        quiz_card_saved_note(words)
        if saved
        else f"Think it through, or write your answer ({words.write_answer}) to see which key "
        f"points it covers; then {words.show_answer}.{only_you}"
    )
    return Card(
        title=QUIZ_TITLE,
        context=tag(card.pack_title, card.question),
        body=(Section(card.question.text),),
        fields=(
            _field_pack(card),
            Field("Difficulty", text(card.question.difficulty.capitalize())),
        ),
        footer=text(footer),
        buttons=(
            Button(Intent.WRITE_ANSWER, REWRITE_LABEL if saved else WRITE_LABEL),
            Button(Intent.SHOW_ANSWER, SHOW_LABEL, primary=True),
        ),
    )


def quiz_card_saved_note(words: Vocabulary) -> str:
    return (
        f"✅ Your answer is saved. {words.show_answer} tells you which key points it covered; "
        "writing again replaces it."
    )


def _field_pack(card: QuizCard) -> Field:
    return Field("Pack", text(Plain(card.pack_title)))


def after_you_save(words: Vocabulary) -> str:
    return f"After you save, {words.show_answer} on the card compares it with the key points."


def rating_prompt(card: QuizCard, words: Vocabulary) -> Text:
    prompt = "**How did you do?** Your rating decides when this question comes back."
    if not words.rate.startswith("the "):  # a command to type, not buttons to press
        prompt += f" Rate with {words.rate}."
    if card.feedback is not None:
        prompt += f" Suggested: **{card.feedback.suggested_rating}**."
    return text(prompt)


def next_hint(words: Vocabulary) -> str:
    return f"Another one? {words.quiz} or {words.quiz_pack}. Your schedule: {words.review}."


def quiz_answer_card(card: QuizCard, words: Vocabulary, rated: Text = ()) -> Card:
    """The question, the reference answer, what the person wrote and its feedback, then the
    rating buttons; once rated, `rated` takes the buttons' place."""
    body = [Section(card.question.text), *reference(card.question)]
    if card.written_answer:
        body.append(Section(heading=YOUR_ANSWER, quoted=card.written_answer))
    if card.feedback is not None:
        body.append(feedback_section(card.feedback))
    suggested = card.feedback.suggested_rating if card.feedback is not None else None
    return Card(
        title=QUIZ_ANSWER_TITLE,
        context=tag(card.pack_title, card.question),
        body=tuple(body),
        prompt=rated or rating_prompt(card, words),
        buttons=() if rated else rating_buttons(suggested),
        after=text(next_hint(words)),
    )


def rated_quiz(rated: Rated, now: datetime, timezone: str | None = None) -> Text:
    """What a rated quiz answer says; with `timezone`, the date it comes back too."""
    wait = f"Rated {rated.rating}: it comes back {describe_wait(rated.due - now)}"
    if timezone is None:
        return text(wait, ".")
    return text(wait, " (", When(rated.due, timezone), ").")


def rated_round(rated: Rated, now: datetime, words: Vocabulary) -> Text:
    return text(
        f"Rated {rated.rating}: this question comes back in your {words.quiz} "
        f"{describe_wait(rated.due - now)}."
    )


def no_reviews(words: Vocabulary) -> str:
    return NO_REVIEWS_YET.format(quiz=words.quiz)


def review_card(stats: ReviewStats, words: Vocabulary) -> Card | None:
    """The person's review schedule; None before their first rating (see no_reviews)."""
    if stats.cards == 0:
        return None
    retention = f"{stats.retention:.0%}" if stats.retention is not None else "unknown"
    return Card(
        title="Your reviews",
        fields=(
            Field("Due now", text(str(stats.due_now))),
            Field("Due this week", text(f"{stats.due_this_week} more")),
            Field(
                "Reviews done",
                text(f"{stats.reviews_done} over {plural(stats.cards, 'question')}"),
            ),
            Field("Estimated retention", text(retention)),
        ),
        footer=text(
            f"{words.quiz} serves what is due first." if stats.due_now else "Nothing due now."
        ),
    )
