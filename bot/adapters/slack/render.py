"""Block Kit messages: the daily question, the reveal, the quiz, leaderboards and replies."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.adapters.slack.mrkdwn import escape, from_markdown, split_sections, truncate
from bot.bank.models import Question
from bot.core.models import Leaderboard, LeaderboardEntry, StreakView
from bot.core.ports import RevealPost, RoundPost
from bot.core.results import ChannelStatus, QuizCard
from bot.core.reviews import RATINGS, Rated, ReviewStats, describe_wait
from bot.grading.base import Feedback
from bot.grading.wording import gap

Block = dict[str, Any]
SHOW_ANSWER = "practicebot_show_answer"  # the quiz card's button
WRITE_ANSWER = "practicebot_write_answer"  # the quiz card's button that opens ANSWER_MODAL
ANSWER_MODAL = "practicebot_quiz_answer"  # callback_id of the modal that takes a written answer
ANSWER_BLOCK, ANSWER_INPUT = "answer", "text"  # where the modal's text arrives in its state
# Rating buttons: the action id is the prefix plus the rating; the value is the quiz or round id.
RATE_QUIZ = "practicebot_rate_quiz_"
RATE_ROUND = "practicebot_rate_round_"
RATE_QUIZ_ACTIONS = re.compile(f"^{RATE_QUIZ}({'|'.join(RATINGS)})$")
RATE_ROUND_ACTIONS = re.compile(f"^{RATE_ROUND}({'|'.join(RATINGS)})$")
MAX_BLOCKS = 50  # Slack refuses a message with more
MODAL_TEXT_LIMIT = 3000  # Slack's most for a plain-text input
WRITTEN_SHOWN = 1500  # characters of a written answer quoted back beside the reference
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


def _capped(blocks: list[Block], *, keep: list[Block] | None = None) -> list[Block]:
    """At most MAX_BLOCKS blocks; `keep` (buttons, say) always stays whole, at the end."""
    kept = keep or []
    room = MAX_BLOCKS - len(kept)
    if len(blocks) > room:
        blocks = [*blocks[: room - 1], _context("_(shortened to fit in one Slack message)_")]
    return [*blocks, *kept]


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
    # Those who answered rate themselves here, so the question joins their /quiz reviews.
    rating = (
        [
            _context(
                "*Answered? Rate yourself:* the question comes back in your `/quiz` "
                "when it is due. Only you see your rating."
            ),
            _rating_buttons(RATE_ROUND, post.round.id),
        ]
        if post.answerers
        else []
    )
    return Message(_fallback("Reference answer", question), _capped(blocks, keep=rating))


def daily_feedback(post: RevealPost, feedback: Feedback) -> Message:
    """What one opted-in person is told, privately, about their answer to a revealed round."""
    blocks = [
        _context(
            f"*Just for you:* your answer to "
            f"_{from_markdown(truncate(first_line(post.question), 200))}_"
        ),
        *_feedback(feedback),
        _context(
            f"Suggested rating: *{feedback.suggested_rating}*. Rate yourself with the buttons "
            "on the reveal. `/practice feedback off` stops these notes."
        ),
    ]
    text = f"{_coverage(feedback)} Suggested rating: {feedback.suggested_rating}."
    return Message(text, _capped(blocks))


# -- ratings and feedback -----------------------------------------------------------------


def _rating_buttons(prefix: str, target: int, suggested: str | None = None) -> Block:
    """Again / Hard / Good / Easy; the suggested one (if any) stands out."""
    buttons: list[Block] = []
    for rating in RATINGS:
        button: Block = {
            "type": "button",
            "action_id": f"{prefix}{rating}",
            "text": {"type": "plain_text", "text": rating.capitalize()},
            "value": str(target),
        }
        if rating == suggested:
            button["style"] = "primary"
        buttons.append(button)
    return {"type": "actions", "elements": buttons}


def rating_of(action_id: str) -> str:
    """The rating a rating button stands for."""
    return action_id.rpartition("_")[2]


def _coverage(feedback: Feedback) -> str:
    total = len(feedback.verdicts)
    return f"Your answer covered {len(feedback.covered)} of {total} key point{'s' if total != 1 else ''}."


def _feedback(feedback: Feedback) -> list[Block]:
    lines = [f"*{_coverage(feedback)}*"]
    lines += [f":white_check_mark: {escape(point)}" for point in feedback.covered]
    lines += [f":x: {escape(gap(v))}" for v in feedback.verdicts if not v.covered]
    return _sections("\n".join(lines))


def rated_line(rated: Rated, now: datetime) -> str:
    return f"Rated {rated.rating}: it comes back {describe_wait(rated.due - now)}."


def round_rated(rated: Rated, now: datetime) -> str:
    return (
        f"Rated {rated.rating}: this question comes back in your `/quiz` "
        f"{describe_wait(rated.due - now)}."
    )


def review_stats(stats: ReviewStats) -> str:
    if stats.cards == 0:
        return (
            "No reviews yet. After `/quiz` shows you an answer, rate yourself: the question "
            "joins your review schedule. Daily questions you answered can be rated on their reveal."
        )
    retention = f"{stats.retention:.0%}" if stats.retention is not None else "unknown"
    lines = [
        "*Your reviews*",
        f"• Due now: *{stats.due_now}*",
        f"• Due this week: *{stats.due_this_week}* more",
        f"• Reviews done: *{stats.reviews_done}* "
        f"over {stats.cards} question{'s' if stats.cards != 1 else ''}",
        f"• Estimated retention: *{retention}*",
    ]
    if stats.due_now:
        lines.append("`/quiz` serves what is due first.")
    return "\n".join(lines)


# -- the quiz -------------------------------------------------------------------------------


def quiz_card(card: QuizCard, *, saved: bool = False) -> Message:
    """The question, with "Write an answer" and "Show answer"; `saved` once an answer is kept."""
    blocks = [
        _context(f"*Quiz, just for you* · {_tag(card.question, card.pack_title)}"),
        *([_context(escape(card.intro))] if card.intro and not saved else []),
        *_sections(from_markdown(card.question.text)),
    ]
    buttons = {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": WRITE_ANSWER,
                "text": {
                    "type": "plain_text",
                    "text": "Rewrite my answer" if saved else "Write an answer",
                },
                # The question id lets the answer box show the question it answers.
                "value": f"{card.quiz_id}:{card.question.id}",
            },
            {
                "type": "button",
                "action_id": SHOW_ANSWER,
                "text": {"type": "plain_text", "text": "Show answer"},
                "value": str(card.quiz_id),
                "style": "primary",
            },
        ],
    }
    note = (
        ":memo: Your answer is saved. *Show answer* tells you which key points it covered; "
        "rewriting replaces it."
        if saved
        else "Think it through, or write your answer to see which key points it covers. "
        "Only you can see this."
    )
    return Message(
        _fallback("Quiz", card.question), _capped(blocks, keep=[buttons, _context(note)])
    )


def answer_modal(quiz_id: int, question: Question | None, card_url: str | None) -> Block:
    """The modal where someone writes their quiz answer before revealing it.

    Its metadata carries the quiz and the card's response_url, so that the submission can
    update the card the person is looking at.
    """
    asked = _sections(from_markdown(question.text))[:20] if question is not None else []
    return {
        "type": "modal",
        "callback_id": ANSWER_MODAL,
        "title": {"type": "plain_text", "text": "Your answer"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"quiz": quiz_id, "card": card_url}),
        "blocks": [
            *asked,
            {
                "type": "input",
                "block_id": ANSWER_BLOCK,
                "label": {"type": "plain_text", "text": "Your answer"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": ANSWER_INPUT,
                    "multiline": True,
                    "max_length": MODAL_TEXT_LIMIT,
                    "placeholder": {
                        "type": "plain_text",
                        "text": "As you would say it in an interview",
                    },
                },
            },
            _context("After you save, *Show answer* on the card compares it with the key points."),
        ],
    }


def quiz_answer(card: QuizCard, rated: str | None = None) -> Message:
    """The reference answer and feedback on a written answer, then the rating buttons; once
    rated, `rated` (see rated_line) takes the buttons' place."""
    blocks = [
        _context(f"*Quiz* · {_tag(card.question, card.pack_title)}"),
        *_sections(from_markdown(card.question.text)),
        {"type": "divider"},
        *_reference(card.question),
    ]
    # What they wrote, the feedback and the buttons stay whole if a long answer is shortened.
    kept: list[Block] = []
    if card.written_answer:
        written = escape(truncate(card.written_answer, WRITTEN_SHOWN))
        quoted = "\n".join(f"&gt; {line}" for line in written.splitlines())
        kept += [{"type": "divider"}, *_sections(f"*Your answer*\n{quoted}", verbatim=True)]
    if card.feedback is not None:
        kept += _feedback(card.feedback)
    if rated is not None:
        kept += [_section(f"*{rated}*"), _next_hint()]
        return Message(rated, _capped(blocks, keep=kept))
    suggested = card.feedback.suggested_rating if card.feedback is not None else None
    prompt = "*How did you do?* Your rating decides when this question comes back."
    if suggested is not None:
        prompt += f" Suggested: *{suggested}*."
    kept += [_context(prompt), _rating_buttons(RATE_QUIZ, card.quiz_id, suggested), _next_hint()]
    return Message(_fallback("Quiz answer", card.question), _capped(blocks, keep=kept))


def _next_hint() -> Block:
    return _context("Another one? `/quiz` or `/quiz PACK`. Your schedule: `/review`.")


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
