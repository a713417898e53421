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
from bot.present import boards, daily, quiz, repair
from bot.present.help import CONSOLE_HELP
from bot.present.parts import Text, When, Who
from bot.present.parts import show as present_show
from bot.present.vocabulary import Vocabulary

WIDTH = 78
RULE = "─" * WIDTH


class ConsoleStyle:
    """Neutral Markdown as plain terminal text; times in the channel's local time."""

    def markdown(self, text: str) -> str:
        return words(text)

    def plain(self, text: str) -> str:
        return text

    def when(self, when: When) -> str:
        return local_time(when.at, when.timezone)

    def who(self, who: Who) -> str:
        return who.name


STYLE = ConsoleStyle()
WORDS = Vocabulary(
    quiz="`/quiz`",
    quiz_pack="`/quiz PACK`",
    review="`/review`",
    leaderboard="`/leaderboard`",
    subscribe="`/resume`",
    subscribe_example="`/subscribe 09:00 Europe/Berlin`",
    reveal_now="`/reveal`",
    feedback_off="`/feedback off`",
    write_answer="`/quiz-answer TEXT`",
    show_answer="`/answer`",
    rate="`/rate again|hard|good|easy`",
    rate_feedback="`/rate again|hard|good|easy`",
    private=False,
    feedback_where="here",
)


def words(markdown: str) -> str:
    """The bot's own wording without its markers: **bold**, _italic_ and `code` as plain."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", markdown)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"\1", text)
    return re.sub(r"`([^`]+)`", r"\1", text)


def show(value: Text | str) -> str:
    return present_show(STYLE, value)


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
    if not question.answer:
        lines = ["Reference answer:", "", show(daily.NO_REFERENCE_ANSWER)]
        return lines + [f"  • {link}" for link in question.further_reading]
    lines = ["Reference answer:", "", plain(question.answer), "", "Key points:"]
    lines += [_wrap(f"  • {point}") for point in question.key_points]
    if question.further_reading:
        lines += ["", "Further reading:"]
        lines += [fill(f"  • {link}", indent="    ") for link in question.further_reading]
    return lines


def answered_by(answerers: tuple[Answerer, ...]) -> str:
    return fill(show(daily.answered_by(answerers)))


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
    lines = [fill(f"{lead}{daily.coverage(result)}", indent="  ")]
    lines += [_wrap(f"  {show(line)}") for line in daily.verdicts(result)]
    return "\n".join(lines)


def rated(result: Rated, now: datetime, timezone: str) -> str:
    return (
        f"Rated {result.rating}: it comes back {describe_wait(result.due - now)} "
        f"({local_time(result.due, timezone)})."
    )


def review_stats(stats: ReviewStats) -> str:
    if not stats.cards:
        return fill(show(quiz.no_reviews(WORDS)))
    retention = f"{stats.retention:.0%}" if stats.retention is not None else "n/a"
    return fill(
        f"Reviews: {stats.due_now} due now, {stats.due_this_week} more this week, "
        f"{plural(stats.reviews_done, 'review')} done over {plural(stats.cards, 'question')}; "
        f"estimated retention {retention}."
    )


def leaderboard(board: Leaderboard) -> str:
    view = boards.board(board)
    title = show(view.title)
    if not board.entries:
        return f"{title}: {view.empty}"
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


def streak(view: StreakView, who: Who | None = None) -> str:
    """The reader's own streak, or `who`'s (the command line asks about anyone)."""
    return show(boards.streak(view, who))


def status(state: ChannelStatus, now: datetime) -> str:
    subscription: Subscription | None = state.subscription
    if subscription is None:
        return show(boards.not_subscribed(WORDS))
    lines = [
        f"Schedule: {subscription.schedule.describe()}"
        + ("" if subscription.active else show(f" (paused: {WORDS.subscribe} starts it again)"))
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
    repairs = repair.status_line(state.repairs, subscription.schedule.timezone)
    if repairs:
        lines.append(show(repairs))
    return "\n".join(lines)


HELP = CONSOLE_HELP
