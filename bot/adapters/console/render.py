"""Plain-text rendering for the terminal: readable in a pipe, no colour codes."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.bank.models import Question
from bot.core.models import Leaderboard, StreakView, Subscription
from bot.core.records import Answerer
from bot.core.results import ChannelStatus, QuizCard
from bot.core.reviews import Rated, ReviewStats, describe_wait
from bot.grading.base import Feedback

WIDTH = 78
RULE = "─" * WIDTH


def plain(markdown: str) -> str:
    """Markdown as terminal text: drop emphasis markers, keep bullets and code."""
    return "\n".join(_wrap(line) for line in plain_lines(markdown))


def _wrap(line: str) -> str:
    if not line.strip():
        return ""
    bullet = re.match(r"^(\s*(?:[-*•]|\d+\.)\s+)", line)
    indent = " " * len(bullet.group(1)) if bullet else ""
    return fill(line, indent=indent)


def fill(text: str, *, indent: str = "") -> str:
    """One paragraph wrapped to the terminal's width (URLs and words are never cut)."""
    return textwrap.fill(
        text, WIDTH, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False
    )


def heading(label: str, markdown: str, tail: str = "") -> str:
    """`label`, a question's first paragraph, whole, and `tail`, wrapped: never cut
    mid-sentence."""
    paragraph: list[str] = []
    for line in plain_lines(markdown):
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return fill(f"{label}{' '.join(paragraph)}{tail}", indent="  ")


def plain_lines(markdown: str) -> list[str]:
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", markdown)
    return re.sub(r"(?<!\w)\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text).splitlines()


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


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
        fill(
            "Answer in the thread: type your answer and press Enter. The reference answer is "
            f"revealed {local_time(reveal_at, timezone)} ({timezone})."
        ),
        RULE,
    ])  # fmt: skip


def reference(question: Question) -> list[str]:
    lines = ["Reference answer:", "", plain(question.answer), "", "Key points:"]
    lines += [_wrap(f"  • {point}") for point in question.key_points]
    if question.further_reading:
        lines += ["", "Further reading:"]
        lines += [fill(f"  • {link}", indent="    ") for link in question.further_reading]
    return lines


def answered_by(answerers: tuple[Answerer, ...]) -> str:
    if not answerers:
        return "Nobody answered this time."
    return fill(f"Answered by {len(answerers)}: {', '.join(a.name for a in answerers)}")


def reveal(question: Question, answerers: tuple[Answerer, ...]) -> str:
    return "\n".join([
        RULE,
        heading("Reveal: ", question.text),
        "",
        *reference(question),
        "",
        answered_by(answerers),
        RULE,
    ])  # fmt: skip


def quiz_card(card: QuizCard) -> str:
    return "\n".join([
        *([card.intro, ""] if card.intro else []),
        f"Quiz (just for you)  {question_header(card.question, card.pack_title)}",
        "",
        plain(card.question.text),
        "",
        fill(
            "Write your answer if you like with /quiz-answer TEXT (again to add a line), then "
            "/answer shows the reference answer. Lines typed without a command still go to "
            "the daily question's thread."
        ),
    ])  # fmt: skip


def quiz_answer(card: QuizCard) -> str:
    rate_hint = "How did you do? /rate again|hard|good|easy schedules it to come back."
    if card.feedback is not None:
        rate_hint = (
            f"Suggested rating: {card.feedback.suggested_rating} "
            f"(/rate {card.feedback.suggested_rating}, or pick another)."
        )
    return "\n".join([
        heading("Quiz: ", card.question.text),
        "",
        *reference(card.question),
        *(["", feedback(card.feedback)] if card.feedback is not None else []),
        "",
        rate_hint,
    ])  # fmt: skip


def feedback(result: Feedback, lead: str = "") -> str:
    covered = f"{len(result.covered)} of {plural(len(result.verdicts), 'key point')}"
    lines = [fill(f"{lead}Your answer covered {covered}.", indent="  ")]
    lines += [_wrap(f"  ✓ {point}") for point in result.covered]
    lines += [_wrap(f"  ✗ missed: {point}") for point in result.missed]
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
    return fill(
        f"Reviews: {stats.due_now} due now, {stats.due_this_week} more this week, "
        f"{plural(stats.reviews_done, 'review')} done over {plural(stats.cards, 'question')}; "
        f"estimated retention {retention}."
    )


def leaderboard(board: Leaderboard) -> str:
    if not board.entries:
        return "Leaderboard: nobody has answered yet. Be the first!"
    title = (
        "Leaderboard by current streak"
        if board.ranked_by == "streak"
        else f"Leaderboard by answers ({'all time' if board.window == 'all' else 'this ' + board.window})"
    )
    lines = [
        title,
        f"  {'#':>3}  {'name':<{NAME_COLUMNS}} {'streak':>6} {'best':>5} {'answers':>8}",
    ]
    rows = list(board.entries) + ([board.caller] if board.caller else [])
    for i, entry in enumerate(rows):
        if board.caller and i == len(board.entries):
            lines.append("  ...")
        lines.append(
            f"  {entry.rank:>3}  {fit(entry.name, NAME_COLUMNS)} {entry.current_streak:>6} "
            f"{entry.best_streak:>5} {entry.answers:>8}"
        )
    return "\n".join(lines)


NAME_COLUMNS = 20


def columns(text: str) -> int:
    """How many terminal columns text takes: wide (East Asian, emoji) characters take two,
    combining marks, joiners and variation selectors none. The standard library's
    `unicodedata` is enough for names on a leaderboard; `wcwidth` would add a dependency for
    the few sequences (flags, skin tones) it gets right and this does not."""
    total, previous, joined = 0, 0, False
    for char in text:
        if char == "\ufe0f":  # emoji presentation: a narrow symbol drawn wide
            total += 1 if previous == 1 else 0
            previous = 2
            continue
        if char == "\u200d":  # a joiner: the next character joins the same picture
            joined = True
            continue
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        previous = 0 if joined else width
        total += previous
        joined = False
    return total


def fit(text: str, width: int) -> str:
    """Text in exactly `width` columns: padded, or cut with an ellipsis."""
    if columns(text) > width:
        while text and columns(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - columns(text))


def streak(name: str, view: StreakView) -> str:
    pending = (
        " Your answer to the open round counts at the reveal." if view.answered_open_round else ""
    )
    return (
        f"{name}: current streak {view.current}, best {view.best}, "
        f"{view.answers} answer{'s' if view.answers != 1 else ''} in all.{pending}"
    )


def status(state: ChannelStatus, now: datetime) -> str:
    subscription: Subscription | None = state.subscription
    if subscription is None:
        return "This channel is not subscribed. Try /subscribe 09:00 Europe/Berlin"
    lines = [
        f"Schedule: {subscription.schedule.describe()}"
        + ("" if subscription.active else " (paused: /resume starts it again)")
    ]
    if subscription.packs:
        lines.append(f"Packs: {', '.join(subscription.packs)}")
    if state.open_round and state.open_question:
        reveal_at = local_time(state.open_round.reveal_at, subscription.schedule.timezone)
        when = (
            f"reveals {reveal_at}"
            if state.open_round.reveal_at > now
            else f"reveal due {reveal_at}"
        )
        lines.append(heading("Open round: ", state.open_question.text, f" ({when})"))
    if state.next_post:
        lines.append(
            f"Next question: {local_time(state.next_post, subscription.schedule.timezone)}"
        )
    return "\n".join(lines)


HELP = """\
A line you type is a reply in the daily question's thread: your answer (several lines from
one person count once; after the reveal a line is kept as a late answer, for no streak).
The daily question:
  /edit TEXT            replace your answer in the thread with TEXT
  /delete               delete your answer (before the reveal it no longer counts)
  /status               schedule, open round and next question
  /post                 post today's round now (it takes the place of today's scheduled one)
  /reveal               reveal the open round now
  /leaderboard [week|month|all]
                        streak leaderboard, or answers in a window
  /streak               your streak
Just for you:
  /quiz [pack]          a private question (due reviews first)
  /quiz-answer TEXT     your answer to it, for feedback on the key points (again: adds)
  /answer               the reference answer of your latest /quiz
  /rate again|hard|good|easy
                        rate yourself after /answer (or after a reveal you answered)
  /review               your spaced-repetition schedule
  /feedback on|off      private feedback on your daily answers after each reveal
The channel:
  /subscribe HH:MM [TZ] [days] [packs=ml,llm] [reveal=8h]
                        e.g. /subscribe 09:30 Europe/Berlin mon-fri reveal=6h
  /pause, /resume       stop the daily question, and start it again (/unsubscribe = /pause)
  /packs                the question packs
The console:
  /user NAME            type as someone else, to try a team
  /advance 1d|3h|20m    move time forward, at most 31d at a time (only with --clock manual)
  /help, /quit (or Ctrl-D)"""
