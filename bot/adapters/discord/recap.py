"""The weekly recap on Discord: an embed in the channel, and a "Quiz me on it" button that
hands the presser the week's most missed question as a private quiz."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.adapters.discord import render
from bot.adapters.discord.quiz_views import CUSTOM_ID_LIMIT, quiz_view
from bot.adapters.discord.refs import PLATFORM
from bot.adapters.discord.replies import Interaction, in_time, send_private
from bot.adapters.discord.views import engine_of
from bot.core.ports import RecapPost
from bot.present import recap as recap_words


class RecapQuizButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"practicebot:recap-quiz:(?P<question_id>.+)",
):
    def __init__(self, question_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=recap_words.QUIZ_ME,
                style=discord.ButtonStyle.primary,
                custom_id=f"practicebot:recap-quiz:{question_id}"[:CUSTOM_ID_LIMIT],
            )
        )
        self.question_id = question_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RecapQuizButton:
        return cls(match["question_id"])

    async def callback(self, interaction: Interaction) -> None:
        engine = engine_of(interaction)
        card = await in_time(
            interaction, engine.quiz_question(PLATFORM, str(interaction.user.id), self.question_id)
        )
        await send_private(
            interaction, card.intro, embeds=[render.quiz_embed(card)],
            view=quiz_view(card.quiz_id, card.question.id),
        )  # fmt: skip


def recap_message(recap: RecapPost) -> tuple[discord.Embed, discord.ui.View | None]:
    body = "\n".join(render.show(line) for line in recap_words.lines(recap))
    embed = discord.Embed(title=recap_words.title(recap), description=body[:4096])
    if recap.most_missed is None:
        return embed, None
    view = discord.ui.View(timeout=None)
    view.add_item(RecapQuizButton(recap.most_missed.id))
    return embed, view
