"""What Discord users see: embeds and short texts built from the core's plain results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import discord
from discord.utils import format_dt

from bot.adapters.discord.limits import (
    DESCRIPTION_LIMIT,
    THREAD_NAME_LIMIT,
    TITLE_LIMIT,
    clip,
    group_embeds,
    split_text,
)
from bot.bank.models import Question
from bot.core.models import Leaderboard, LeaderboardEntry, StreakView, Subscription
from bot.core.ports import RevealPost, RoundPost
from bot.core.records import Answerer
from bot.core.results import ChannelStatus, QuizCard
from bot.core.reviews import Rated, ReviewStats, describe_wait
from bot.grading.base import Feedback

ROUND_COLOUR = discord.Colour(0x3B82F6)
REVEAL_COLOUR = discord.Colour(0x22C55E)
QUIZ_COLOUR = discord.Colour(0xA855F7)
BOARD_COLOUR = discord.Colour(0xF59E0B)
FEEDBACK_COLOUR = discord.Colour(0x14B8A6)
WRITTEN_SHOWN = 1500  # characters of a written quiz answer quoted back beside the reference


def first_line(markdown: str) -> str:
    line = next((ln for ln in markdown.splitlines() if ln.strip()), markdown)
    return line.strip().strip("*_#> ").strip()


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


# -- the daily round ------------------------------------------------------------------------


def round_embed(post: RoundPost, *, message_content: bool) -> discord.Embed:
    question = post.question
    embed = discord.Embed(
        title="Question of the day",
        description=clip(question.text, DESCRIPTION_LIMIT),
        colour=ROUND_COLOUR,
    )
    embed.add_field(name="Pack", value=post.pack_title)
    embed.add_field(name="Difficulty", value=question.difficulty.capitalize())
    embed.add_field(
        name="Answer revealed",
        value=f"{format_dt(post.reveal_at, 't')} ({format_dt(post.reveal_at, 'R')})",
    )
    embed.set_footer(
        text="Answer in the thread below, or privately with the Answer button."
        if message_content
        else "Answer with the Answer button: your answer stays private until the reveal."
    )
    return embed


def thread_name(question: Question, day: date) -> str:
    return clip(f"{day:%d %b} · {first_line(question.text)}", THREAD_NAME_LIMIT)


def reference_embeds(question: Question, title: str, colour: discord.Colour) -> list[discord.Embed]:
    """The reference answer, its key points and further reading, cut to embed size."""
    embeds = [
        discord.Embed(description=piece, colour=colour)
        for piece in split_text(question.answer, DESCRIPTION_LIMIT)
    ]
    if embeds:
        embeds[0].title = clip(title, TITLE_LIMIT)
    notes = "**Key points**\n" + "\n".join(f"• {point}" for point in question.key_points)
    if question.further_reading:
        notes += "\n\n**Further reading**\n" + "\n".join(question.further_reading)
    embeds += [
        discord.Embed(description=piece, colour=colour)
        for piece in split_text(notes, DESCRIPTION_LIMIT)
    ]
    return embeds


def reveal_messages(question: Question, answerers: Sequence[Answerer]) -> list[list[discord.Embed]]:
    """The reveal as one or more messages, each within Discord's limits."""
    embeds = reference_embeds(
        question, f"Reference answer: {first_line(question.text)}", REVEAL_COLOUR
    )
    if answerers:
        who = f"**Answered by {len(answerers)}**\n" + ", ".join(
            mention(a.user_id) for a in answerers
        )
        # The rating buttons go under the last message of the reveal.
        who += (
            "\n\n**Answered? Rate yourself** with the buttons: the question comes back in "
            "your `/quiz` when it is due. Only you see your rating."
        )
    else:
        who = "Nobody answered this one. The next question is a fresh start."
    embeds += [
        discord.Embed(description=piece, colour=REVEAL_COLOUR)
        for piece in split_text(who, DESCRIPTION_LIMIT)
    ]
    return group_embeds(embeds)


# -- the private quiz -----------------------------------------------------------------------


def _question_embed(card: QuizCard) -> discord.Embed:
    embed = discord.Embed(
        title="Quiz: just for you",
        description=clip(card.question.text, DESCRIPTION_LIMIT),
        colour=QUIZ_COLOUR,
    )
    embed.add_field(name="Pack", value=card.pack_title)
    embed.add_field(name="Difficulty", value=card.question.difficulty.capitalize())
    return embed


def quiz_embed(card: QuizCard) -> discord.Embed:
    embed = _question_embed(card)
    embed.set_footer(
        text="Think it through, or write your answer to see which key points it covers; "
        "then press Show answer."
    )
    return embed


def quiz_answer_messages(card: QuizCard) -> list[list[discord.Embed]]:
    """The question again, the reference answer, and what the person wrote with its feedback."""
    embeds = [
        _question_embed(card),
        *reference_embeds(card.question, "Reference answer", QUIZ_COLOUR),
    ]
    if card.written_answer:
        written = clip(card.written_answer, WRITTEN_SHOWN)
        quoted = "\n".join(f"> {line}" for line in written.splitlines())
        embeds.append(discord.Embed(title="Your answer", description=quoted, colour=QUIZ_COLOUR))
    if card.feedback is not None:
        embeds.append(feedback_embed(card.feedback, FEEDBACK_COLOUR))
    return group_embeds(embeds)


def rating_prompt(card: QuizCard) -> str:
    """Above the rating buttons of a shown quiz answer."""
    prompt = "**How did you do?** Your rating decides when this question comes back."
    if card.feedback is not None:
        prompt += f" Suggested: **{card.feedback.suggested_rating}**."
    return prompt


def quiz_rated(rated: Rated, now: datetime) -> str:
    """What the rated quiz answer says in place of its buttons."""
    return (
        f"Rated {rated.rating}: it comes back {describe_wait(rated.due - now)}.\n"
        "-# Another one? `/quiz` · your schedule: `/review`"
    )


def round_rated(rated: Rated, now: datetime) -> str:
    return (
        f"Rated {rated.rating}: this question comes back in your `/quiz` "
        f"{describe_wait(rated.due - now)}."
    )


# -- feedback on a written answer -----------------------------------------------------------


def coverage(feedback: Feedback) -> str:
    total = len(feedback.verdicts)
    return f"Your answer covered {len(feedback.covered)} of {total} key point{_s(total)}."


def feedback_embed(feedback: Feedback, colour: discord.Colour) -> discord.Embed:
    lines = [f"✅ {point}" for point in feedback.covered]
    lines += [f"❌ Missed: {point}" for point in feedback.missed]
    embed = discord.Embed(
        title=coverage(feedback),
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=colour,
    )
    embed.add_field(name="Suggested rating", value=feedback.suggested_rating.capitalize())
    return embed


def daily_feedback_embed(reveal: RevealPost, feedback: Feedback) -> discord.Embed:
    """The DM an opted-in answerer gets after a reveal: their coverage, linked to the thread."""
    channel = reveal.subscription.channel
    thread = reveal.round.thread_id or reveal.round.message_id
    embed = feedback_embed(feedback, FEEDBACK_COLOUR)
    embed.title = clip(f"Your answer to: {first_line(reveal.question.text)}", TITLE_LIMIT)
    embed.url = jump_url(int(channel.space_id), int(thread or channel.channel_id), None)
    embed.description = clip(f"{coverage(feedback)}\n{embed.description}", DESCRIPTION_LIMIT)
    embed.set_footer(
        text="Rate yourself with the buttons below (or under the reveal). "
        "/feedback turn:off stops these notes."
    )
    return embed


# -- /review --------------------------------------------------------------------------------


def review_embed(stats: ReviewStats) -> discord.Embed | None:
    """The person's review schedule; None before their first rating."""
    if stats.cards == 0:
        return None
    retention = f"{stats.retention:.0%}" if stats.retention is not None else "unknown"
    embed = discord.Embed(title="Your reviews", colour=QUIZ_COLOUR)
    embed.add_field(name="Due now", value=str(stats.due_now))
    embed.add_field(name="Due this week", value=f"{stats.due_this_week} more")
    embed.add_field(
        name="Reviews done",
        value=f"{stats.reviews_done} over {_plural(stats.cards, 'question')}",
    )
    embed.add_field(name="Estimated retention", value=retention)
    embed.set_footer(
        text="/quiz serves what is due first." if stats.due_now else "Nothing due now."
    )
    return embed


NO_REVIEWS = (
    "No reviews yet. After `/quiz` shows you an answer, rate yourself: the question joins your "
    "review schedule. Daily questions you answered can be rated on their reveal."
)


# -- leaderboard, streak, status ------------------------------------------------------------


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{_s(count)}"


def _board_line(entry: LeaderboardEntry) -> str:
    return (
        f"**{entry.rank}.** {mention(entry.user_id)} · streak {entry.current_streak} "
        f"(best {entry.best_streak}) · {_plural(entry.answers, 'answer')}"
    )


def leaderboard_embed(board: Leaderboard, *, whole_server: bool) -> discord.Embed:
    where = "this server" if whole_server else "this channel"
    if board.ranked_by == "streak":
        title = f"Leaderboard of {where}, by current streak"
    else:
        span = "all time" if board.window == "all" else f"the last {board.window}"
        title = f"Leaderboard of {where}, by answers ({span})"
    lines = [_board_line(entry) for entry in board.entries]
    if board.caller is not None:
        lines += ["…", _board_line(board.caller)]
    description = "\n".join(lines) if lines else "Nobody has answered yet. Be the first!"
    return discord.Embed(
        title=title, description=clip(description, DESCRIPTION_LIMIT), colour=BOARD_COLOUR
    )


def streak_text(user_id: str, view: StreakView, *, yours: bool) -> str:
    who = "Your" if yours else f"{mention(user_id)}'s"
    text = (
        f"{who} current streak: {view.current} (best {view.best}), "
        f"{_plural(view.answers, 'answer')} in all."
    )
    if view.answered_open_round:
        text += " The answer to the open round counts at the reveal."
    return text


def problem_note(subscription: Subscription | None) -> str:
    if subscription is None or not subscription.problem:
        return ""
    return f"\n⚠️ The last post here failed: {subscription.problem}"


def status_text(state: ChannelStatus, guild_id: int, channel_id: int) -> str:
    subscription = state.subscription
    if subscription is None:
        return (
            "This channel is not subscribed. Start with "
            "`/practice subscribe time:09:30 timezone:Europe/Berlin`."
        )
    lines = [
        f"Schedule: {subscription.schedule.describe()}"
        + ("" if subscription.active else " (paused: not posting)")
    ]
    if subscription.packs:
        lines.append(f"Packs: {', '.join(subscription.packs)}")
    if state.open_round is not None and state.open_question is not None:
        link = jump_url(guild_id, channel_id, state.open_round.message_id)
        lines.append(
            f"Open round: {first_line(state.open_question.text)} ({link}), "
            f"revealed {format_dt(state.open_round.reveal_at, 'R')}"
        )
    if state.next_post is not None:
        lines.append(f"Next question: {format_dt(state.next_post, 'F')}")
    return "\n".join(lines) + problem_note(subscription)


def jump_url(guild_id: int, channel_id: int, message_id: str | None) -> str:
    target = f"{guild_id}/{channel_id}" + (f"/{message_id}" if message_id else "")
    return f"https://discord.com/channels/{target}"
