"""Leaderboards, streaks and a channel's status."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.models import Leaderboard, LeaderboardEntry, StreakView, Subscription
from bot.core.results import ChannelStatus
from bot.present import repair
from bot.present.daily import first_line
from bot.present.errors import shown_error
from bot.present.grammar import plural
from bot.present.parts import Plain, Text, When, Who, text
from bot.present.vocabulary import Vocabulary

NOBODY_YET = "Nobody has answered yet. Be the first!"
_SPANS = {"week": "the last week", "month": "the last month", "all": "all time"}  # moving edges


@dataclass(frozen=True)
class BoardRow:
    rank: int
    who: Who
    streak: int
    best: int
    answers: str  # "1 answer", "3 answers"


@dataclass(frozen=True)
class Board:
    title: Text
    ranked_by: str  # "streak" or "answers"
    rows: tuple[BoardRow, ...]
    caller: BoardRow | None  # the caller's own row, shown after a gap, when outside the top
    empty: str  # what an empty board says


def _row(entry: LeaderboardEntry) -> BoardRow:
    return BoardRow(
        entry.rank,
        Who(entry.user_id, entry.name),
        entry.current_streak,
        entry.best_streak,
        plural(entry.answers, "answer"),
    )


def board(leaderboard: Leaderboard, where: str | None = None) -> Board:
    """`where`: "this channel", "this server"... when the platform says whose board it is."""
    of = f" of {where}," if where else ""
    if leaderboard.ranked_by == "streak":
        title = f"**Leaderboard**{of} by current streak"
    else:
        title = (
            f"**Leaderboard**{of} by answers ({_SPANS.get(leaderboard.window, leaderboard.window)})"
        )
    return Board(
        text(title),
        leaderboard.ranked_by,
        tuple(_row(entry) for entry in leaderboard.entries),
        _row(leaderboard.caller) if leaderboard.caller is not None else None,
        NOBODY_YET,
    )


def other_boards(window: str, words: Vocabulary) -> str:
    command = words.leaderboard.strip("`")
    others = [w for w in ("week", "month", "all") if w != window]
    return f"Also: `{command} {others[0]}`, `{command} {others[1]}`, `/streak`."


def streak(view: StreakView, who: Who | None = None) -> Text:
    """A person's streak: `who` None for the reader's own."""
    owner: Text = text("Your") if who is None else text(who, "'s")
    line = text(
        owner,
        f" current streak: {view.current} (best {view.best}), "
        f"{plural(view.answers, 'answer')} in all.",
    )
    if view.answered_open_round:
        mine = "Your" if who is None else "Their"
        line = text(line, f" {mine} answer to the open round counts at the reveal.")
    return line


# -- a channel's status ---------------------------------------------------------------------


def not_subscribed(words: Vocabulary) -> str:
    return f"This channel is not subscribed. Start with {words.subscribe_example}."


def problem(subscription: Subscription | None) -> Text:
    if subscription is None or not subscription.problem:
        return ()
    return text("⚠️ The last post here failed: ", Plain(shown_error(subscription.problem)))


def status_lines(state: ChannelStatus, words: Vocabulary, open_link: Text = ()) -> tuple[Text, ...]:
    """The schedule, packs, open round and next question; `open_link` points at the open post."""
    subscription = state.subscription
    if subscription is None:
        return (text(not_subscribed(words)),)
    schedule = subscription.schedule
    paused = "" if subscription.active else f" (**paused**: {words.subscribe} starts it again)"
    lines = [text("**Schedule:** ", Plain(schedule.describe()), paused)]
    if subscription.packs:
        lines.append(text("**Packs:** ", Plain(", ".join(subscription.packs))))
    if state.open_round is not None and state.open_question is not None:
        link = text(" (", open_link, ")") if open_link else ()
        reveal = When(state.open_round.reveal_at, schedule.timezone)
        lines.append(
            text(
                "**Open round:** ", Plain(first_line(state.open_question.text)), link,
                ", revealed ", reveal,
            )
        )  # fmt: skip
    if state.next_post is not None:
        lines.append(text("**Next question:** ", When(state.next_post, schedule.timezone)))
    repairs = repair.status_line(state.repairs, schedule.timezone)
    if repairs:
        lines.append(repairs)
    for kind, state_, error in state.waiting:
        why = text(": ", Plain(error)) if error else ()
        lines.append(text(f"**Waiting to be sent:** the {kind} ({state_})", why))
    warning = problem(subscription)
    return (*lines, warning) if warning else tuple(lines)
