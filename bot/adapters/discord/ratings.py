"""Again / Hard / Good / Easy: rating buttons on a shown quiz answer, under a daily reveal and
in a feedback DM. Their custom ids carry the quiz or round id and the rating, so they work
after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.adapters.discord import render
from bot.adapters.discord.refs import PLATFORM
from bot.adapters.discord.replies import (
    Interaction,
    answered_in_time,
    send_private,
    update_message,
)
from bot.adapters.discord.views import engine_of
from bot.core.reviews import RATINGS

RATING_NAMES = "|".join(RATINGS)


# -- a /quiz answer ------------------------------------------------------------------------


class QuizRatingButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"practicebot:rate-quiz:(?P<quiz_id>[0-9]+):(?P<rating>{RATING_NAMES})",
):
    def __init__(self, quiz_id: int, rating: str, *, suggested: bool = False) -> None:
        super().__init__(rating_button(f"practicebot:rate-quiz:{quiz_id}", rating, suggested))
        self.quiz_id = quiz_id
        self.rating = rating

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuizRatingButton:
        return cls(int(match["quiz_id"]), match["rating"])

    async def callback(self, interaction: Interaction) -> None:
        engine = engine_of(interaction)
        rated = await answered_in_time(
            interaction,
            f"rating quiz={self.quiz_id}",
            engine.rate_quiz(PLATFORM, str(interaction.user.id), self.rating, self.quiz_id),
            update=True,
        )
        if rated is None:
            return
        # The answer and feedback stay on screen; the buttons give way to the rating made.
        await update_message(interaction, render.quiz_rated(rated, engine.now()), view=None)


def quiz_rating_view(quiz_id: int, suggested: str | None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for rating in RATINGS:
        view.add_item(QuizRatingButton(quiz_id, rating, suggested=rating == suggested))
    return view


# -- a revealed daily round ----------------------------------------------------------------


class RoundRatingButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"practicebot:rate-round:(?P<round_id>[0-9]+):(?P<rating>{RATING_NAMES})",
):
    """Under a reveal (and in an opted-in answerer's feedback DM): puts the question in the
    rater's review schedule. Only those who answered the round may rate it."""

    def __init__(self, round_id: int, rating: str, *, suggested: bool = False) -> None:
        super().__init__(rating_button(f"practicebot:rate-round:{round_id}", rating, suggested))
        self.round_id = round_id
        self.rating = rating

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RoundRatingButton:
        return cls(int(match["round_id"]), match["rating"])

    async def callback(self, interaction: Interaction) -> None:
        engine = engine_of(interaction)
        rated = await answered_in_time(
            interaction,
            f"rating round={self.round_id}",
            engine.rate_round(PLATFORM, str(interaction.user.id), self.round_id, self.rating),
        )
        if rated is not None:  # the reveal is everyone's message: the result is the rater's
            await send_private(interaction, render.round_rated(rated, engine.now()))


def round_rating_view(round_id: int, suggested: str | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for rating in RATINGS:
        view.add_item(RoundRatingButton(round_id, rating, suggested=rating == suggested))
    return view


def rating_button(prefix: str, rating: str, suggested: bool) -> discord.ui.Button[Any]:
    """One of the four; the suggested rating (from feedback on a written answer) stands out."""
    return discord.ui.Button(
        label=rating.capitalize(),
        style=discord.ButtonStyle.primary if suggested else discord.ButtonStyle.secondary,
        custom_id=f"{prefix}:{rating}",
    )
