"""Block Kit messages: the daily question, the reveal, the quiz, leaderboards and replies."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.adapters.slack.blocks import (
    BLOCKS_TEXT_LIMIT,
    MODAL_TEXT_LIMIT,
    Block,
    Message,
    blocks_text_length,
    capped,
    context_block,
    header_block,
    section_block,
    section_blocks,
)
from bot.adapters.slack.blocks import MAX_BLOCKS as MAX_BLOCKS  # re-exported: tests check it
from bot.adapters.slack.mrkdwn import escape, from_markdown, truncate
from bot.bank.models import Question
from bot.core.models import Leaderboard, StreakView
from bot.core.ports import FeedbackPost, RevealPost, RoundPost
from bot.core.results import ChannelStatus, QuizCard
from bot.core.reviews import RATINGS, Rated, ReviewStats
from bot.grading.base import Feedback
from bot.present import boards, daily, quiz
from bot.present.boards import BoardRow
from bot.present.cards import Button, Intent, Section
from bot.present.parts import Text, When, Who
from bot.present.parts import show as present_show
from bot.present.vocabulary import AnswerRoute, Vocabulary

SHOW_ANSWER = "practicebot_show_answer"  # the quiz card's button
WRITE_ANSWER = "practicebot_write_answer"  # the quiz card's button that opens ANSWER_MODAL
ANSWER_MODAL = "practicebot_quiz_answer"  # callback_id of the modal that takes a written answer
ANSWER_BLOCK, ANSWER_INPUT = "answer", "text"  # where the modal's text arrives in its state
# Rating buttons: the action id is the prefix plus the rating; the value is the quiz or round id.
RATE_QUIZ = "practicebot_rate_quiz_"
RATE_ROUND = "practicebot_rate_round_"
RATE_QUIZ_ACTIONS = re.compile(f"^{RATE_QUIZ}({'|'.join(RATINGS)})$")
RATE_ROUND_ACTIONS = re.compile(f"^{RATE_ROUND}({'|'.join(RATINGS)})$")
WRITTEN_SHOWN = 1500  # characters of a written answer quoted back beside the reference
FEW_NAMES = 20  # answerers a reveal names even when its reference answer must be shortened
FALLBACK_LIMIT = 300  # of the notification text; the blocks carry the whole message


class SlackStyle:
    """Neutral Markdown as mrkdwn; times as <!date^…>; people by their stored name."""

    def markdown(self, text: str) -> str:
        return from_markdown(text)

    def plain(self, text: str) -> str:
        return escape(text)

    def when(self, when: When) -> str:
        return slack_date(when.at, when.timezone)

    def who(self, who: Who) -> str:
        return escape(who.name)


STYLE = SlackStyle()
WORDS = Vocabulary(
    quiz="`/quiz`",
    quiz_pack="`/quiz PACK`",
    review="`/review`",
    leaderboard="`/leaderboard`",
    subscribe="`/practice subscribe`",
    subscribe_example="`/practice subscribe 09:30 Europe/Berlin`",
    reveal_now="`/practice reveal-now`",
    feedback_off="`/practice feedback off`",
    write_answer="**Write an answer**",
    show_answer="**Show answer**",
    rate="the buttons",
    rate_feedback="the buttons on the reveal",
    private=True,
    feedback_where="in the question's thread",
)


def show(value: Text | str) -> str:
    return present_show(STYLE, value)


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


def _body(sections: tuple[Section, ...], *, verbatim: bool = False) -> list[Block]:
    """A card's sections: Markdown, then a heading with its bullets or lines."""
    blocks: list[Block] = []
    for section in sections:
        if section.quoted is not None:
            written = escape(truncate(section.quoted, WRITTEN_SHOWN))
            quoted = "\n".join(f"&gt; {line}" for line in written.splitlines())
            blocks += [
                {"type": "divider"},
                *section_blocks(f"*{section.heading}*\n{quoted}", verbatim=True),
            ]
            continue
        if section.markdown:
            blocks += section_blocks(from_markdown(section.markdown), verbatim=verbatim)
        if section.heading == daily.FURTHER_READING:
            links = " · ".join(f"<{show(link)}>" for link in section.bullets)
            blocks.append(context_block(f"{section.heading}: {links}"))
            continue
        lines = [f"• {show(b)}" for b in section.bullets] + [
            _emoji(show(ln)) for ln in section.lines
        ]
        if section.heading is not None:
            lines.insert(0, f"*{from_markdown(section.heading)}*")
        if lines:
            blocks += section_blocks("\n".join(lines))
    return blocks


def _emoji(line: str) -> str:
    return line.replace("✅", ":white_check_mark:", 1).replace("❌", ":x:", 1)


# -- the daily loop -------------------------------------------------------------------------


def round_post(post: RoundPost) -> Message:
    card = daily.round_card(post, AnswerRoute.THREAD)
    how, *rest = card.footer
    blocks = [
        header_block(card.title),
        context_block(show(card.context)),
        *_body(card.body),
        context_block(f":thread: *{show(str(how))}* {show(tuple(rest)).strip()}"),
    ]
    label = f"{card.title} ({escape(post.pack_title)})"
    return Message(_fallback(label, post.question), capped(blocks))


def reveal(post: RevealPost) -> Message:
    """The reference answer and who answered, within Slack's limits: when the names do not all
    fit, the first ones are named and the rest counted ("…and 212 more")."""
    card = daily.reveal_card(post, WORDS)
    top = [header_block(card.title), context_block(show(card.context)), *_body(card.body)]
    # Those who answered rate themselves here, so the question joins their /quiz reviews.
    rating = (
        [context_block(show(card.prompt)), _rating_buttons(RATE_ROUND, post.round.id, card.buttons)]
        if card.buttons
        else []
    )

    def answered(shown: int | None) -> list[Block]:
        who = show(daily.answered_by(post.answerers, shown))
        if post.answerers:
            who += ". " + show(daily.streaks_updated(WORDS))
        return [{"type": "divider"}, *section_blocks(who, verbatim=True)]

    def fits(shown: int | None) -> bool:
        blocks = [*top, *answered(shown), *rating]
        return len(blocks) <= MAX_BLOCKS and blocks_text_length(blocks) <= BLOCKS_TEXT_LIMIT

    shown: int | None = None
    if not fits(None):
        # The most names that fit beside the whole answer; at least a few, the answer giving
        # way (see capped) if it alone is that long.
        low, high = 0, len(post.answerers)
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if fits(middle) else (low, middle - 1)
        shown = max(low, min(len(post.answerers), FEW_NAMES))
    blocks = capped(top, keep=[*answered(shown), *rating])
    return Message(_fallback(card.title, post.question), blocks)


def daily_feedback(post: FeedbackPost, feedback: Feedback) -> Message:
    """What one opted-in person is told, privately, about their answer to a revealed round."""
    card = daily.daily_feedback_card(post, feedback, WORDS)
    blocks = [
        context_block(show(card.context)),
        *_body(card.body),
        context_block(show(card.footer)),
    ]
    return Message(daily.feedback_summary(feedback), capped(blocks))


# -- ratings and feedback -----------------------------------------------------------------


def _rating_buttons(prefix: str, target: int, buttons: tuple[Button, ...]) -> Block:
    """Again / Hard / Good / Easy; the suggested one (if any) stands out."""
    elements: list[Block] = []
    for button in buttons:
        element: Block = {
            "type": "button",
            "action_id": f"{prefix}{button.rating}",
            "text": {"type": "plain_text", "text": button.label},
            "value": str(target),
        }
        if button.primary:
            element["style"] = "primary"
        elements.append(element)
    return {"type": "actions", "elements": elements}


def rating_of(action_id: str) -> str:
    """The rating a rating button stands for."""
    return action_id.rpartition("_")[2]


def rated_line(rated: Rated, now: datetime) -> str:
    return show(quiz.rated_quiz(rated, now))


def round_rated(rated: Rated, now: datetime) -> str:
    return show(quiz.rated_round(rated, now, WORDS))


def review_stats(stats: ReviewStats) -> str:
    card = quiz.review_card(stats, WORDS)
    if card is None:
        return show(quiz.no_reviews(WORDS))
    # The figure leads each line, in bold.
    lines = [f"*{card.title}*"]
    for field in card.fields:
        figure, _, rest = show(field.value).partition(" ")
        lines.append(f"• {field.name}: *{figure}*" + (f" {rest}" if rest else ""))
    if stats.due_now:
        lines.append(show(card.footer))
    return "\n".join(lines)


# -- the quiz -------------------------------------------------------------------------------


def quiz_card(card: QuizCard, *, saved: bool = False) -> Message:
    """The question, with "Write an answer" and "Show answer"; `saved` once an answer is kept."""
    view = quiz.quiz_card(card, WORDS, saved=saved)
    blocks = [
        context_block(f"*{view.title}* · {show(view.context)}"),
        *([context_block(escape(card.intro))] if card.intro and not saved else []),
        *_body(view.body),
    ]
    values = {
        # The question id lets the answer box show the question it answers.
        Intent.WRITE_ANSWER: (WRITE_ANSWER, f"{card.quiz_id}:{card.question.id}"),
        Intent.SHOW_ANSWER: (SHOW_ANSWER, str(card.quiz_id)),
    }
    elements: list[Block] = []
    for button in view.buttons:
        action_id, value = values[button.intent]
        element: Block = {
            "type": "button",
            "action_id": action_id,
            "text": {"type": "plain_text", "text": button.label},
            "value": value,
        }
        if button.primary:
            element["style"] = "primary"
        elements.append(element)
    buttons = {"type": "actions", "elements": elements}
    return Message(
        _fallback(view.title, card.question),
        capped(blocks, keep=[buttons, context_block(show(view.footer))]),
    )


def answer_modal(quiz_id: int, question: Question | None, card_url: str | None) -> Block:
    """The modal where someone writes their quiz answer before revealing it.

    Its metadata carries the quiz and the card's response_url, so that the submission can
    update the card the person is looking at.
    """
    asked = section_blocks(from_markdown(question.text))[:20] if question is not None else []
    return {
        "type": "modal",
        "callback_id": ANSWER_MODAL,
        "title": {"type": "plain_text", "text": quiz.YOUR_ANSWER},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"quiz": quiz_id, "card": card_url}),
        "blocks": [
            *asked,
            {
                "type": "input",
                "block_id": ANSWER_BLOCK,
                "label": {"type": "plain_text", "text": quiz.YOUR_ANSWER},
                "element": {
                    "type": "plain_text_input",
                    "action_id": ANSWER_INPUT,
                    "multiline": True,
                    "max_length": MODAL_TEXT_LIMIT,
                    "placeholder": {
                        "type": "plain_text",
                        "text": quiz.ANSWER_PLACEHOLDER,
                    },
                },
            },
            context_block(show(quiz.after_you_save(WORDS))),
        ],
    }


def quiz_answer(card: QuizCard, rated: str | None = None) -> Message:
    """The reference answer and feedback on a written answer, then the rating buttons; once
    rated, `rated` (see rated_line) takes the buttons' place."""
    view = quiz.quiz_answer_card(card, WORDS, (rated,) if rated is not None else ())
    written = [s for s in view.body if s.quoted is not None or s.lines]
    blocks = [
        context_block(f"*{view.title}* · {show(view.context)}"),
        *_body(view.body[:1]),
        {"type": "divider"},
        *_body(tuple(s for s in view.body[1:] if s not in written)),
    ]
    # What they wrote, the feedback and the buttons stay whole if a long answer is shortened.
    kept: list[Block] = _body(tuple(written))
    if rated is not None:
        kept += [section_block(f"*{rated}*"), context_block(show(view.after))]
        return Message(rated, capped(blocks, keep=kept))
    kept += [
        context_block(show(view.prompt)),
        _rating_buttons(RATE_QUIZ, card.quiz_id, view.buttons),
        context_block(show(view.after)),
    ]
    return Message(_fallback("Quiz answer", card.question), capped(blocks, keep=kept))


# -- replies to one person ------------------------------------------------------------------


def _entry(row: BoardRow, ranked_by: str) -> str:
    name = show((row.who,))
    if ranked_by == "streak":
        return f"{row.rank}. *{name}*: streak {row.streak} (best {row.best}), {row.answers}"
    return f"{row.rank}. *{name}*: {row.answers} (streak {row.streak})"


def leaderboard(board: Leaderboard) -> Message:
    view = boards.board(board)
    title = show(view.title)
    if not view.rows:
        text = f"{title}: {view.empty}"
        return Message(text, [section_block(text)])
    lines = [_entry(row, view.ranked_by) for row in view.rows]
    if view.caller is not None:
        lines += ["…", _entry(view.caller, view.ranked_by)]
    body = "\n".join(lines)
    hint = context_block(show(boards.other_boards(board.window, WORDS)))
    return Message(
        "Leaderboard", [section_block(title), *section_blocks(body, verbatim=True), hint]
    )


def streak(view: StreakView) -> str:
    return show(boards.streak(view))


def status(state: ChannelStatus) -> str:
    return "\n".join(show(line) for line in boards.status_lines(state, WORDS))
