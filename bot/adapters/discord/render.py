"""What Discord users see: embeds and short texts built from the core's plain results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

import discord
from discord.utils import format_dt

from bot.adapters.discord.limits import (
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    THREAD_NAME_LIMIT,
    TITLE_LIMIT,
    clip,
    group_embeds,
    split_text,
)
from bot.bank.models import Question
from bot.core.models import Leaderboard, StreakView, Subscription
from bot.core.ports import FeedbackPost, RoundPost
from bot.core.records import Answerer, FeedbackRecord
from bot.core.results import ChannelStatus, QuizCard
from bot.core.reviews import Rated, ReviewStats
from bot.grading.base import Feedback
from bot.present import boards, daily, home, quiz
from bot.present.boards import BoardRow
from bot.present.cards import Card, Section
from bot.present.parts import Native, Text, When, WhenStyle, Who
from bot.present.parts import show as present_show
from bot.present.vocabulary import AnswerRoute, Vocabulary

ROUND_COLOUR = discord.Colour(0x3B82F6)
REVEAL_COLOUR = discord.Colour(0x22C55E)
QUIZ_COLOUR = discord.Colour(0xA855F7)
BOARD_COLOUR = discord.Colour(0xF59E0B)
FEEDBACK_COLOUR = discord.Colour(0x14B8A6)
WRITTEN_SHOWN = 1500  # characters of a written quiz answer quoted back beside the reference


_DT_STYLES: dict[WhenStyle, Literal["F", "R", "t"]] = {"moment": "F", "relative": "R", "time": "t"}


class DiscordStyle:
    """Neutral Markdown is Discord's own; times as <t:…>; people by their stored name.

    Embeds must show names: Discord renders a mention in an embed as a raw id for a member the
    reader's app has not loaded.
    """

    def markdown(self, text: str) -> str:
        return text

    def plain(self, text: str) -> str:
        return text

    def when(self, when: When) -> str:
        return format_dt(when.at, _DT_STYLES[when.style])

    def who(self, who: Who) -> str:
        return discord.utils.escape_mentions(discord.utils.escape_markdown(who.name))


class MentionStyle(DiscordStyle):
    """For a message's own text, where a mention always resolves (it is never pinged): a person
    whose name we do not have yet is shown by mention."""

    def who(self, who: Who) -> str:
        return mention(who.id)


STYLE = DiscordStyle()
MENTIONS = MentionStyle()
WORDS = Vocabulary(
    quiz="`/quiz`",
    quiz_pack="`/quiz pack:PACK`",
    review="`/review`",
    leaderboard="`/leaderboard`",
    subscribe="`/practice subscribe`",
    subscribe_example="`/practice subscribe time:09:30 timezone:Europe/Berlin`",
    reveal_now="`/practice reveal-now`",
    feedback_off="`/feedback turn:off`",
    write_answer="**Write an answer**",
    show_answer="**Show answer**",
    rate="the buttons",
    rate_feedback="the buttons below (or under the reveal)",
    private=True,
    feedback_where="by DM",
)


def show(value: Text | str) -> str:
    return present_show(STYLE, value)


first_line = daily.first_line


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def _embed(card: Card, colour: discord.Colour, *, title: str | None = None) -> discord.Embed:
    """A card's title, first section and fields as one embed; its footer as the footer."""
    embed = discord.Embed(
        title=clip(title or card.title, TITLE_LIMIT),
        description=clip(card.body[0].markdown, DESCRIPTION_LIMIT) if card.body else None,
        colour=colour,
    )
    for field in card.fields:
        embed.add_field(name=field.name, value=clip(show(field.value), FIELD_VALUE_LIMIT))
    return embed


# -- the daily round ------------------------------------------------------------------------


def round_embed(post: RoundPost, *, message_content: bool) -> discord.Embed:
    route = AnswerRoute.THREAD_OR_BUTTON if message_content else AnswerRoute.BUTTON
    card = daily.round_card(post, route)
    embed = _embed(card, ROUND_COLOUR)
    reveal = embed.fields[-1]  # the reveal time, and how long until it
    at = When(post.reveal_at, "UTC", "time")
    embed.set_field_at(
        len(embed.fields) - 1,
        name=reveal.name,
        value=f"{show((at,))} ({show((When(post.reveal_at, 'UTC', 'relative'),))})",
    )
    embed.set_footer(text=daily.how_to_answer(route))  # footers show no times or markup
    if post.suggested_by:  # a community question credits its author
        embed.set_author(name=clip(show(daily.credit(post.suggested_by)), TITLE_LIMIT))
    return embed


def thread_name(question: Question, day: date) -> str:
    return thread_title(question.text, day)


def thread_title(question_text: str, day: date) -> str:
    """A round's thread name from its question's text (as its post's embed shows it)."""
    return clip(f"{day:%d %b} · {first_line(question_text)}", THREAD_NAME_LIMIT)


def _sections(sections: tuple[Section, ...]) -> str:
    parts: list[str] = []
    for section in sections:
        lines = [f"**{section.heading}**"] if section.heading else []
        if section.markdown:
            lines.append(section.markdown)
        if section.heading == daily.FURTHER_READING:
            lines += [show(link) for link in section.bullets]
        else:
            lines += [f"• {show(bullet)}" for bullet in section.bullets]
        lines += [show(line) for line in section.lines]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def reference_embeds(question: Question, title: str, colour: discord.Colour) -> list[discord.Embed]:
    """The reference answer, its key points and further reading, cut to embed size."""
    answer, *notes = daily.reference(question)
    embeds = [
        discord.Embed(description=piece, colour=colour)
        for piece in split_text(answer.markdown, DESCRIPTION_LIMIT)
    ]
    if embeds:
        embeds[0].title = clip(title, TITLE_LIMIT)
    embeds += [
        discord.Embed(description=piece, colour=colour)
        for piece in split_text(_sections(tuple(notes)), DESCRIPTION_LIMIT)
    ]
    return embeds


def reveal_messages(question: Question, answerers: Sequence[Answerer]) -> list[list[discord.Embed]]:
    """The reveal as one or more messages, each within Discord's limits."""
    embeds = reference_embeds(
        question, f"{daily.REFERENCE_ANSWER}: {first_line(question.text)}", REVEAL_COLOUR
    )
    who = show(daily.answered_by(answerers))
    if answerers:  # the rating buttons go under the last message of the reveal
        who += "\n\n" + show(daily.rate_the_round(WORDS))
    embeds += [
        discord.Embed(description=piece, colour=REVEAL_COLOUR)
        for piece in split_text(who, DESCRIPTION_LIMIT)
    ]
    return group_embeds(embeds)


# -- the private quiz -----------------------------------------------------------------------


def quiz_embed(card: QuizCard) -> discord.Embed:
    view = quiz.quiz_card(card, WORDS)
    embed = _embed(view, QUIZ_COLOUR, title=quiz.QUIZ_TITLE.replace(",", ":"))
    embed.set_footer(text=show(view.footer).replace("**", ""))
    return embed


def saved_note(card: QuizCard) -> str:
    return show(quiz.quiz_card(card, WORDS, saved=True).footer)


def quiz_answer_messages(card: QuizCard) -> list[list[discord.Embed]]:
    """The question again, the reference answer, and what the person wrote with its feedback."""
    view = quiz.quiz_card(card, WORDS)
    embeds = [
        _embed(view, QUIZ_COLOUR, title=quiz.QUIZ_TITLE.replace(",", ":")),
        *reference_embeds(card.question, daily.REFERENCE_ANSWER, QUIZ_COLOUR),
    ]
    if card.written_answer:
        written = clip(card.written_answer, WRITTEN_SHOWN)
        quoted = "\n".join(f"> {line}" for line in written.splitlines())
        embeds.append(discord.Embed(title=quiz.YOUR_ANSWER, description=quoted, colour=QUIZ_COLOUR))
    if card.feedback is not None:
        embeds.append(feedback_embed(card.feedback, FEEDBACK_COLOUR))
    return group_embeds(embeds)


def rating_prompt(card: QuizCard) -> str:
    """Above the rating buttons of a shown quiz answer."""
    return show(quiz.rating_prompt(card, WORDS))


def quiz_rated(rated: Rated, now: datetime) -> str:
    """What the rated quiz answer says in place of its buttons."""
    return f"{show(quiz.rated_quiz(rated, now))}\n-# {show(quiz.next_hint(WORDS))}"


def round_rated(rated: Rated, now: datetime) -> str:
    return show(quiz.rated_round(rated, now, WORDS))


# -- feedback on a written answer -----------------------------------------------------------


def feedback_embed(feedback: Feedback, colour: discord.Colour) -> discord.Embed:
    embed = discord.Embed(
        title=daily.coverage(feedback),
        description=clip(
            "\n".join(show(line) for line in daily.verdicts(feedback)), DESCRIPTION_LIMIT
        ),
        colour=colour,
    )
    embed.add_field(name="Suggested rating", value=feedback.suggested_rating.capitalize())
    return embed


def daily_feedback_embed(reveal: FeedbackPost, feedback: Feedback) -> discord.Embed:
    """The DM an opted-in answerer gets after a reveal: their coverage, linked to the thread."""
    card = daily.daily_feedback_card(reveal, feedback, WORDS)
    channel = reveal.subscription.channel
    thread = reveal.round.thread_id or reveal.round.message_id
    embed = feedback_embed(feedback, FEEDBACK_COLOUR)
    embed.title = clip(card.title, TITLE_LIMIT)
    embed.url = jump_url(int(channel.space_id), int(thread or channel.channel_id), None)
    embed.description = clip(f"{daily.coverage(feedback)}\n{embed.description}", DESCRIPTION_LIMIT)
    _, after_suggestion = show(card.footer).split(". ", 1)  # the field holds the suggestion
    embed.set_footer(text=after_suggestion.replace("`", ""))
    return embed


# -- /review --------------------------------------------------------------------------------


def review_embed(stats: ReviewStats) -> discord.Embed | None:
    """The person's review schedule; None before their first rating."""
    card = quiz.review_card(stats, WORDS)
    if card is None:
        return None
    embed = _embed(card, QUIZ_COLOUR)
    embed.set_footer(text=show(card.footer).replace("`", ""))
    return embed


NO_REVIEWS = quiz.no_reviews(WORDS)


def last_feedback_embed(record: FeedbackRecord, question: Question | None) -> discord.Embed:
    """`/review`'s second embed: the feedback on their last graded answer, as they got it."""
    lines = home.feedback_lines(record, question, "UTC")
    return discord.Embed(
        description=clip("\n".join(show(line) for line in lines), DESCRIPTION_LIMIT),
        colour=FEEDBACK_COLOUR,
    )


# -- leaderboard, streak, status ------------------------------------------------------------


def _board_line(row: BoardRow) -> str:
    return (
        f"**{row.rank}.** {show((row.who,))} · streak {row.streak} (best {row.best}) · "
        f"{row.answers}"
    )


def leaderboard_embed(board: Leaderboard, *, whole_server: bool) -> discord.Embed:
    view = boards.board(board, "this server" if whole_server else "this channel")
    lines = [_board_line(row) for row in view.rows]
    if view.caller is not None:
        lines += ["…", _board_line(view.caller)]
    description = "\n".join(lines) if lines else view.empty
    return discord.Embed(
        title=show(view.title).replace("**", ""),
        description=clip(description, DESCRIPTION_LIMIT),
        colour=BOARD_COLOUR,
    )


def streak_text(user_id: str, view: StreakView, *, yours: bool) -> str:
    """A message's text (no embed), so a teammate, known here by id alone, is a mention."""
    return present_show(MENTIONS, boards.streak(view, None if yours else Who(user_id, user_id)))


def problem_note(subscription: Subscription | None) -> str:
    problem = boards.problem(subscription)
    return f"\n{show(problem)}" if problem else ""


def status_text(state: ChannelStatus, guild_id: int, channel_id: int) -> str:
    link: Text = ()
    if state.open_round is not None:
        link = (Native(jump_url(guild_id, channel_id, state.open_round.message_id)),)
    lines = boards.status_lines(state, WORDS, link)
    return "\n".join(show(line) for line in lines).replace("**", "")  # plain lines, as a note


def jump_url(guild_id: int, channel_id: int, message_id: str | None) -> str:
    target = f"{guild_id}/{channel_id}" + (f"/{message_id}" if message_id else "")
    return f"https://discord.com/channels/{target}"
