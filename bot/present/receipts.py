"""One policy for what a person is told about an answer, an edit or a delete."""

from __future__ import annotations

from bot.core.records import ChangeOutcome, MessageOutcome
from bot.core.results import AnswerResult
from bot.present.parts import Text, When, Who, text

NOT_A_ROUND = "This post is no longer an open round, so the answer was not recorded."
NO_QUESTION_YET = "No question has been posted here yet: {post} posts today's."
DUPLICATE = "Already recorded."
LATE = "This round is already revealed: kept as a late answer, no streak credit."
NOTHING_TO_EDIT = "You have no answer in the thread to edit: type a line to answer."
NOTHING_TO_DELETE = "You have no answer in the thread to delete."


def _owner(who: Who | None, *, capital: bool) -> Text:
    """'Your answer' / 'your answer', or 'Ann's answer' when someone else is at the keyboard."""
    if who is None:
        return text("Your answer" if capital else "your answer")
    return text(who, "'s answer")


def answer_receipt(result: AnswerResult, timezone: str, who: Who | None = None) -> Text:
    """What an answer in a round's thread (or its modal) is told; () when it was no answer."""
    if result.outcome is None or result.round is None:
        return ()
    if result.outcome is MessageOutcome.ANSWERED:
        reveal = When(result.round.reveal_at, timezone, "relative")
        return text(
            "✓ ", _owner(who, capital=True), " is in. It counts when the answer is revealed ",
            reveal, ".",
        )  # fmt: skip
    if result.outcome is MessageOutcome.ADDED:
        return text(
            "✓ Added to ", _owner(who, capital=False), " (one answer per person per round)."
        )
    if result.outcome is MessageOutcome.LATE:
        return text(LATE)
    return text(DUPLICATE)


def truncated(limit: int) -> str:
    return f"Your answer was over {limit:,} characters: the first {limit:,} were kept."


def with_truncation(receipt: Text, truncated_to: int | None) -> Text:
    if truncated_to is None:
        return receipt
    return text(receipt, " " if receipt else "", truncated(truncated_to))


def edited(who: Who | None = None) -> Text:
    return text("✓ ", _owner(who, capital=True), " is replaced.")


def deleted(outcome: ChangeOutcome, who: Who | None = None) -> Text:
    if outcome is ChangeOutcome.REMOVED:
        return text(
            "✓ ", _owner(who, capital=True), " is deleted: it no longer counts for this round."
        )
    return text(
        "✓ ", _owner(who, capital=True),
        " is deleted. The round was already revealed, so what it earned stays.",
    )  # fmt: skip
