"""How a platform spells its commands and buttons, so one sentence can name them everywhere.

Each adapter builds one `Vocabulary` (Markdown fragments, e.g. "`/quiz`" or "**Show answer**").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class AnswerRoute(Enum):
    """Where a person answers the daily question on this platform."""

    THREAD = "thread"  # Slack: a reply in the post's thread
    THREAD_OR_BUTTON = "thread_or_button"  # Discord with the Message Content intent
    BUTTON = "button"  # Discord without it: only the Answer button's modal
    TERMINAL = "terminal"  # the console: a line typed without a command


@dataclass(frozen=True)
class Vocabulary:
    quiz: str  # "`/quiz`"
    quiz_pack: str  # "`/quiz PACK`"
    review: str
    leaderboard: str
    subscribe: str  # the command that (re)starts the daily question
    subscribe_example: str  # a whole example of it
    reveal_now: str
    feedback_off: str
    write_answer: str  # how a quiz answer is written: a button, or a command
    show_answer: str
    rate: str  # how a rating is given: "the buttons" or "`/rate again|hard|good|easy`"
    rate_feedback: str  # where the ratings are, seen from a feedback note
    private: bool  # replies are seen by their reader alone
    feedback_where: str  # where the private feedback note arrives
