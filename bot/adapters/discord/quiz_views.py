"""The private quiz's card: "Write an answer" opens a modal whose answer is kept for feedback,
"Show answer" turns the card into the reference answer and the feedback, with rating buttons
(ratings.py). The buttons' custom ids carry the quiz id, so they work after a restart."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.adapters.discord import render
from bot.adapters.discord.limits import clip
from bot.adapters.discord.ratings import quiz_rating_view
from bot.adapters.discord.refs import PLATFORM
from bot.adapters.discord.replies import (
    Interaction,
    answered_in_time,
    send_private,
    update_message,
)
from bot.adapters.discord.views import MODAL_TIMEOUT_S, engine_of
from bot.core.engine import Engine
from bot.present import quiz

log = logging.getLogger(__name__)
CUSTOM_ID_LIMIT = 100  # Discord's most for a button's custom id
MODAL_QUESTION_SHOWN = 1500  # characters of the question shown above the answer box
SAVED_NOTE = render.show(quiz.quiz_card_saved_note(render.WORDS))


class WriteAnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"practicebot:quiz-write:(?P<quiz_id>[0-9]+):(?P<question_id>[^:]*)",
):
    """Opens the modal for a written quiz answer. The question id lets the modal show the
    question from the bank, so no database trip delays the modal."""

    def __init__(self, quiz_id: int, question_id: str, *, saved: bool = False) -> None:
        custom_id = f"practicebot:quiz-write:{quiz_id}:{question_id}"
        if len(custom_id) > CUSTOM_ID_LIMIT:  # a very long question id: the modal goes without
            custom_id = f"practicebot:quiz-write:{quiz_id}:"
        super().__init__(
            discord.ui.Button(
                label=quiz.REWRITE_LABEL if saved else quiz.WRITE_LABEL,
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id,
                emoji="✍️",
            )
        )
        self.quiz_id = quiz_id
        self.question_id = question_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> WriteAnswerButton:
        return cls(int(match["quiz_id"]), match["question_id"])

    async def callback(self, interaction: Interaction) -> None:
        engine = engine_of(interaction)
        question = engine.question(self.question_id)
        await interaction.response.send_modal(
            QuizAnswerModal(engine, self.quiz_id, question.text if question else None)
        )


class QuizAnswerModal(discord.ui.Modal, title=quiz.YOUR_ANSWER):
    """A written quiz answer, kept until Show answer grades it against the key points."""

    def __init__(self, engine: Engine, quiz_id: int, question: str | None) -> None:
        super().__init__(timeout=MODAL_TIMEOUT_S)
        self.engine = engine
        self.quiz_id = quiz_id
        if question:
            self.add_item(discord.ui.TextDisplay(clip(question, MODAL_QUESTION_SHOWN)))
        self.answer: discord.ui.TextInput[QuizAnswerModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph,
            placeholder=quiz.ANSWER_PLACEHOLDER,
            max_length=4000,
        )
        self.add_item(discord.ui.Label(text=quiz.YOUR_ANSWER, component=self.answer))

    async def on_submit(self, interaction: Interaction) -> None:
        text = self.answer.value
        if not text.strip():
            await send_private(interaction, quiz.EMPTY_ANSWER)
            return
        card = await answered_in_time(
            interaction,
            "saving a quiz answer",
            self.engine.answer_quiz(PLATFORM, str(interaction.user.id), text, quiz_id=self.quiz_id),
            update=True,
        )
        if card is None:
            return
        # The card gets a note that the answer is kept, and its button says it can be redone.
        await update_message(
            interaction, SAVED_NOTE, embeds=[render.quiz_embed(card)],
            view=quiz_view(card.quiz_id, card.question.id, saved=True),
        )  # fmt: skip

    async def on_error(  # type: ignore[override]
        self, interaction: Interaction, error: Exception
    ) -> None:
        log.error("quiz answer modal failed quiz=%s", self.quiz_id, exc_info=error)
        await send_private(interaction, quiz.NOT_SAVED)


class ShowAnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"practicebot:quiz:(?P<quiz_id>[0-9]+)",
):
    """Turns the quiz card into the answer (with feedback on a written answer), followed by
    the rating buttons."""

    def __init__(self, quiz_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=quiz.SHOW_LABEL,
                style=discord.ButtonStyle.primary,
                custom_id=f"practicebot:quiz:{quiz_id}",
            )
        )
        self.quiz_id = quiz_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShowAnswerButton:
        return cls(int(match["quiz_id"]))

    async def callback(self, interaction: Interaction) -> None:
        engine = engine_of(interaction)
        card = await answered_in_time(
            interaction,
            f"Show answer quiz={self.quiz_id}",
            # Grading a written answer can be slow (a model): the wait is covered by in_time.
            engine.reveal_quiz(PLATFORM, str(interaction.user.id), self.quiz_id),
            update=True,
        )
        if card is None:
            return
        *first, last = render.quiz_answer_messages(card)
        rating = quiz_rating_view(
            card.quiz_id, card.feedback.suggested_rating if card.feedback else None
        )
        prompt = render.rating_prompt(card)
        if not first:  # the usual case: the whole answer fits in the card's message
            await update_message(interaction, prompt, embeds=last, view=rating)
            return
        await update_message(interaction, None, embeds=first[0], view=None)
        for embeds in first[1:]:
            await send_private(interaction, embeds=embeds)
        await send_private(interaction, prompt, embeds=last, view=rating)


def quiz_view(quiz_id: int, question_id: str, *, saved: bool = False) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(WriteAnswerButton(quiz_id, question_id, saved=saved))
    view.add_item(ShowAnswerButton(quiz_id))
    return view
