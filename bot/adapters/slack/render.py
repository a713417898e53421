"""Block Kit messages: the daily question, the reveal, the quiz, leaderboards and replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.adapters.slack.mrkdwn import escape, from_markdown, split_sections, truncate
from bot.bank.models import Question
from bot.core.models import Leaderboard, LeaderboardEntry, StreakView
from bot.core.ports import RevealPost, RoundPost
from bot.core.results import ChannelStatus, QuizCard

Block = dict[str, Any]
SHOW_ANSWER = "practicebot_show_answer"  # the quiz card's button
MAX_BLOCKS = 50  # Slack refuses a message with more
HEADER_LIMIT = 150
FALLBACK_LIMIT = 300  # of the notification text; the blocks carry the whole message


@dataclass(frozen=True)
class Message:
    text: str  # notification and screen-reader fallback
    blocks: list[Block]


def _section(text: str, *, verbatim: bool = False) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if verbatim:  # no automatic parsing of names or links in text people wrote
        block["text"]["verbatim"] = True
    return block


def _sections(text: str, *, verbatim: bool = False) -> list[Block]:
    return [_section(piece, verbatim=verbatim) for piece in split_sections(text)]


def _header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(text, HEADER_LIMIT), "emoji": True},
    }


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, 3000)}]}


def _capped(blocks: list[Block]) -> list[Block]:
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [*blocks[: MAX_BLOCKS - 1], _context("_(shortened to fit in one Slack message)_")]


def first_line(question: Question) -> str:
    lines = [line for line in question.text.strip().splitlines() if line.strip()]
    return lines[0] if lines else question.id


def _fallback(label: str, question: Question) -> str:
    """The notification text: the message's first line, in mrkdwn like the rest."""
    return f"{label}: {from_markdown(truncate(first_line(question), FALLBACK_LIMIT))}"


def slack_date(moment: datetime, timezone: str) -> str:
    """A time every reader sees in their own timezone; the fallback names the channel's."""
    local = moment.astimezone(ZoneInfo(timezone))
    fallback = f"{local:%a %d %b %H:%M} ({timezone})"
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def _tag(question: Question, pack_title: str) -> str:
    return f"*{escape(pack_title)}* · {question.difficulty}"


# -- the daily loop -------------------------------------------------------------------------


def round_post(post: RoundPost) -> Message:
    question = post.question
    reveal = slack_date(post.reveal_at, post.subscription.schedule.timezone)
    blocks = [
        _header("Question of the day"),
        _context(_tag(question, post.pack_title)),
        *_sections(from_markdown(question.text)),
        _context(f":thread: *Answer in the thread.* The reference answer is revealed {reveal}."),
    ]
    label = f"Question of the day ({escape(post.pack_title)})"
    return Message(_fallback(label, question), _capped(blocks))


def _reference(question: Question) -> list[Block]:
    blocks = _sections(from_markdown(question.answer))
    if question.key_points:
        points = "\n".join(f"• {escape(point)}" for point in question.key_points)
        blocks += _sections(f"*Key points*\n{points}")
    if question.further_reading:
        links = " · ".join(f"<{escape(url)}>" for url in question.further_reading)
        blocks.append(_context(f"Further reading: {links}"))
    return blocks


def reveal(post: RevealPost) -> Message:
    question = post.question
    names = [escape(a.name) for a in post.answerers]
    who = (
        f"*Answered by {len(names)}:* {', '.join(names)}. Streaks are updated: see `/leaderboard`."
        if names
        else "*Nobody answered this time.* The next question is a fresh start."
    )
    blocks = [
        _header("Reference answer"),
        _context(f"_{from_markdown(truncate(first_line(question), 280))}_"),
        *_reference(question),
        {"type": "divider"},
        *_sections(who, verbatim=True),
    ]
    return Message(_fallback("Reference answer", question), _capped(blocks))


# -- the quiz -------------------------------------------------------------------------------


def quiz_card(card: QuizCard) -> Message:
    blocks = [
        _context(f"*Quiz, just for you* · {_tag(card.question, card.pack_title)}"),
        *_sections(from_markdown(card.question.text)),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": SHOW_ANSWER,
                    "text": {"type": "plain_text", "text": "Show answer"},
                    "value": str(card.quiz_id),
                    "style": "primary",
                }
            ],
        },
        _context("Think it through first. Only you can see this."),
    ]
    return Message(_fallback("Quiz", card.question), _capped(blocks))


def quiz_answer(card: QuizCard) -> Message:
    blocks = [
        _context(f"*Quiz* · {_tag(card.question, card.pack_title)}"),
        *_sections(from_markdown(card.question.text)),
        {"type": "divider"},
        *_reference(card.question),
        _context("Another one? `/quiz` or `/quiz PACK`."),
    ]
    return Message(_fallback("Quiz answer", card.question), _capped(blocks))


# -- replies to one person ------------------------------------------------------------------


def _entry(entry: LeaderboardEntry, ranked_by: str) -> str:
    name = escape(entry.name)
    if ranked_by == "streak":
        return (
            f"{entry.rank}. *{name}*: streak {entry.current_streak} "
            f"(best {entry.best_streak}), {entry.answers} answer{'s' if entry.answers != 1 else ''}"
        )
    return (
        f"{entry.rank}. *{name}*: {entry.answers} answer{'s' if entry.answers != 1 else ''} "
        f"(streak {entry.current_streak})"
    )


def leaderboard(board: Leaderboard) -> Message:
    if not board.entries:
        text = "Leaderboard: nobody has answered yet. Be the first!"
        return Message(text, [_section(text)])
    title = (
        "*Leaderboard* by current streak"
        if board.ranked_by == "streak"
        else f"*Leaderboard* by answers, {'all time' if board.window == 'all' else 'this ' + board.window}"
    )
    lines = [_entry(entry, board.ranked_by) for entry in board.entries]
    if board.caller is not None:
        lines += ["…", _entry(board.caller, board.ranked_by)]
    body = "\n".join(lines)
    return Message(
        "Leaderboard", [_section(title), *_sections(body, verbatim=True), _hint(board.window)]
    )


def _hint(window: str) -> Block:
    others = [w for w in ("week", "month", "all") if w != window]
    return _context(f"Also: `/leaderboard {others[0]}`, `/leaderboard {others[1]}`, `/streak`.")


def streak(view: StreakView) -> str:
    pending = (
        " Your answer to the open question counts when it is revealed."
        if view.answered_open_round
        else ""
    )
    answers = f"{view.answers} answer{'s' if view.answers != 1 else ''}"
    return f"Your streak here: {view.current} (best {view.best}), {answers} in all.{pending}"


def status(state: ChannelStatus) -> str:
    subscription = state.subscription
    if subscription is None:
        return "This channel is not subscribed. Try `/practice subscribe 09:30 Europe/Berlin`."
    schedule = subscription.schedule
    lines = [
        f"*Schedule:* {escape(schedule.describe())}"
        + ("" if subscription.active else " (*paused*: subscribe again to resume)")
    ]
    if subscription.problem:
        lines.append(f":warning: *Problem:* {escape(subscription.problem)}")
    if subscription.packs:
        lines.append(f"*Packs:* {escape(', '.join(subscription.packs))}")
    if state.open_round is not None and state.open_question is not None:
        lines.append(
            f"*Open question:* {from_markdown(truncate(first_line(state.open_question), 200))} "
            f"(revealed {slack_date(state.open_round.reveal_at, schedule.timezone)})"
        )
    if state.next_post is not None:
        lines.append(f"*Next question:* {slack_date(state.next_post, schedule.timezone)}")
    return "\n".join(lines)
