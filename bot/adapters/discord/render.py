"""What Discord users see: embeds and short texts built from the core's plain results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

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
from bot.core.ports import RoundPost
from bot.core.results import ChannelStatus, QuizCard
from bot.store import Answerer

ROUND_COLOUR = discord.Colour(0x3B82F6)
REVEAL_COLOUR = discord.Colour(0x22C55E)
QUIZ_COLOUR = discord.Colour(0xA855F7)
BOARD_COLOUR = discord.Colour(0xF59E0B)


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
    else:
        who = "Nobody answered this one. The next question is a fresh start."
    embeds += [
        discord.Embed(description=piece, colour=REVEAL_COLOUR)
        for piece in split_text(who, DESCRIPTION_LIMIT)
    ]
    return group_embeds(embeds)


# -- the private quiz -----------------------------------------------------------------------


def quiz_embed(card: QuizCard) -> discord.Embed:
    embed = discord.Embed(
        title="Quiz: just for you",
        description=clip(card.question.text, DESCRIPTION_LIMIT),
        colour=QUIZ_COLOUR,
    )
    embed.add_field(name="Pack", value=card.pack_title)
    embed.add_field(name="Difficulty", value=card.question.difficulty.capitalize())
    embed.set_footer(text="Think it through, then press Show answer.")
    return embed


def quiz_answer_messages(card: QuizCard) -> list[list[discord.Embed]]:
    title = f"Quiz answer: {first_line(card.question.text)}"
    return group_embeds(reference_embeds(card.question, title, QUIZ_COLOUR))


# -- leaderboard, streak, status ------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


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
