"""Plain-text rendering for the terminal: readable in a pipe, no colour codes."""

from __future__ import annotations

import re
import textwrap
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.bank.models import Question
from bot.core.models import Leaderboard, StreakView, Subscription
from bot.core.results import ChannelStatus, QuizCard
from bot.core.reviews import Rated, ReviewStats, describe_wait
from bot.grading.base import Feedback
from bot.grading.wording import gap
from bot.store import Answerer

WIDTH = 78
RULE = "─" * WIDTH


def plain(markdown: str) -> str:
    """Markdown as terminal text: drop emphasis markers, keep bullets and code."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", markdown)
    text = re.sub(r"(?<!\w)\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    return "\n".join(_wrap(line) for line in text.splitlines())


def _wrap(line: str) -> str:
    if not line.strip():
        return ""
    bullet = re.match(r"^(\s*(?:[-*•]|\d+\.)\s+)", line)
    indent = " " * len(bullet.group(1)) if bullet else ""
    return textwrap.fill(line, WIDTH, subsequent_indent=indent, break_on_hyphens=False)


def local_time(moment: datetime, timezone: str, *, with_day: bool = True) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime("%a %d %b %H:%M" if with_day else "%H:%M")


def question_header(question: Question, pack_title: str) -> str:
    return f"[{pack_title} · {question.difficulty}]"


def round_post(question: Question, pack_title: str, reveal_at: datetime, timezone: str) -> str:
    return "\n".join([
        RULE,
        f"Question of the day  {question_header(question, pack_title)}",
        "",
        plain(question.text),
        "",
        f"Answer in the thread: type your answer and press Enter. "
        f"The reference answer is revealed {local_time(reveal_at, timezone)} ({timezone}).",
        RULE,
    ])  # fmt: skip


def reference(question: Question) -> list[str]:
    lines = ["Reference answer:", "", plain(question.answer), "", "Key points:"]
    lines += [_wrap(f"  • {point}") for point in question.key_points]
    lines += ["", "Further reading: " + "  ".join(question.further_reading)]
    return lines


def reveal(question: Question, answerers: tuple[Answerer, ...]) -> str:
    who = ", ".join(a.name for a in answerers) if answerers else "nobody this time"
    return "\n".join([
        RULE,
        f"Reveal: {plain(question.text).splitlines()[0]}",
        "",
        *reference(question),
        "",
        f"Answered by {len(answerers)}: {who}",
        RULE,
    ])  # fmt: skip


def quiz_card(card: QuizCard) -> str:
    return "\n".join([
        *([card.intro, ""] if card.intro else []),
        f"Quiz (just for you)  {question_header(card.question, card.pack_title)}",
        "",
        plain(card.question.text),
        "",
        "Write your answer if you like (plain lines), then /answer shows the reference answer.",
    ])  # fmt: skip


def quiz_answer(card: QuizCard) -> str:
    rate_hint = "How did you do? /rate again|hard|good|easy schedules it to come back."
    if card.feedback is not None:
        rate_hint = (
            f"Suggested rating: {card.feedback.suggested_rating} "
            f"(/rate {card.feedback.suggested_rating}, or pick another)."
        )
    return "\n".join([
        f"Quiz: {plain(card.question.text).splitlines()[0]}",
        "",
        *reference(card.question),
        *(["", feedback(card.feedback)] if card.feedback is not None else []),
        "",
        rate_hint,
    ])  # fmt: skip


def feedback(result: Feedback) -> str:
    lines = [f"Your answer covered {len(result.covered)} of {len(result.verdicts)} key points."]
    lines += [_wrap(f"  ✓ {point}") for point in result.covered]
    lines += [_wrap(f"  ✗ {gap(v)}") for v in result.verdicts if not v.covered]
    return "\n".join(lines)


def rated(result: Rated, now: datetime, timezone: str) -> str:
    return (
        f"Rated {result.rating}: it comes back {describe_wait(result.due - now)} "
        f"({local_time(result.due, timezone)})."
    )


def review_stats(stats: ReviewStats) -> str:
    if not stats.cards:
        return "No reviews yet: /quiz, /answer, then /rate to start your review schedule."
    retention = f"{stats.retention:.0%}" if stats.retention is not None else "n/a"
    return (
        f"Reviews: {stats.due_now} due now, {stats.due_this_week} more this week, "
        f"{stats.reviews_done} done over {stats.cards} questions; estimated retention {retention}."
    )


def leaderboard(board: Leaderboard) -> str:
    if not board.entries:
        return "Leaderboard: nobody has answered yet. Be the first!"
    title = (
        "Leaderboard by current streak"
        if board.ranked_by == "streak"
        else f"Leaderboard by answers ({'all time' if board.window == 'all' else 'this ' + board.window})"
    )
    lines = [title, f"  {'#':>3}  {'name':<20} {'streak':>6} {'best':>5} {'answers':>8}"]
    rows = list(board.entries) + ([board.caller] if board.caller else [])
    for i, entry in enumerate(rows):
        if board.caller and i == len(board.entries):
            lines.append("  ...")
        lines.append(
            f"  {entry.rank:>3}  {entry.name[:20]:<20} {entry.current_streak:>6} "
            f"{entry.best_streak:>5} {entry.answers:>8}"
        )
    return "\n".join(lines)


def streak(name: str, view: StreakView) -> str:
    pending = (
        " Your answer to the open round counts at the reveal." if view.answered_open_round else ""
    )
    return (
        f"{name}: current streak {view.current}, best {view.best}, "
        f"{view.answers} answer{'s' if view.answers != 1 else ''} in all.{pending}"
    )


def status(state: ChannelStatus) -> str:
    subscription: Subscription | None = state.subscription
    if subscription is None:
        return "This channel is not subscribed. Try /subscribe 09:00 Europe/Berlin"
    lines = [
        f"Schedule: {subscription.schedule.describe()}"
        + ("" if subscription.active else " (paused)")
    ]
    if subscription.packs:
        lines.append(f"Packs: {', '.join(subscription.packs)}")
    if state.open_round and state.open_question:
        lines.append(
            f"Open round: {plain(state.open_question.text).splitlines()[0]} "
            f"(revealed {local_time(state.open_round.reveal_at, subscription.schedule.timezone)})"
        )
    if state.next_post:
        lines.append(
            f"Next question: {local_time(state.next_post, subscription.schedule.timezone)}"
        )
    return "\n".join(lines)


HELP = """\
Type a line to answer the open round (several lines from one person count once).
Commands:
  /quiz [pack]          a private question for you; /answer shows its reference answer
  /answer               the reference answer of your latest /quiz
  /rate again|hard|good|easy
                        rate yourself after /answer (or after a reveal you answered)
  /review               your spaced-repetition schedule
  /feedback on|off      private feedback on your daily answers after each reveal
  /leaderboard [week|month|all]
                        streak leaderboard, or answers in a window
  /streak               your streak
  /status               schedule, open round and next question
  /packs                the question packs
  /subscribe HH:MM [TZ] [days]
                        post time, e.g. /subscribe 09:30 Europe/Berlin mon-fri
  /post                 post today's round now (it replaces today's scheduled one)
  /reveal               reveal the open round now
  /user NAME            type as someone else, to try a team
  /advance 1d|3h|20m    move time forward (only with --clock manual)
  /help, /quit"""
