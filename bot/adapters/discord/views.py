"""The daily round's Answer button and its modal. The button's custom id carries all it needs,
so it keeps working after a restart."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.adapters.discord import render
from bot.adapters.discord.refs import PLATFORM
from bot.adapters.discord.replies import Interaction, in_time, send_private
from bot.core.engine import Engine
from bot.core.results import AnswerResult, IncomingMessage
from bot.present import daily, quiz, receipts

log = logging.getLogger(__name__)
ANSWER_ID = "practicebot:answer"  # posts from before the outbox carry only this
LOST_QUESTION = "This button has lost its question: try the thread."
MODAL_TIMEOUT_S = 3600.0  # time to write an answer; a modal left open longer is forgotten


class EngineClient(discord.Client):
    """A client that carries the engine, so persistent buttons (rebuilt by discord.py from a
    custom id, with no arguments) reach it through their interaction. PracticeClient is one."""

    engine: Engine


def engine_of(interaction: Interaction) -> Engine:
    """The engine of the client that received the interaction."""
    client = interaction.client
    if not isinstance(client, EngineClient):
        raise RuntimeError("this interaction did not come through a PracticeClient")
    return client.engine


# -- the daily round's Answer button --------------------------------------------------------


def answer_id(delivery_id: int | None) -> str:
    """The Answer button's custom id: it names the post's delivery, so that a post in doubt
    after a crash can be recognised in the channel's history (which returns no nonces)."""
    return ANSWER_ID if delivery_id is None else f"{ANSWER_ID}:{delivery_id}"


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=re.escape(ANSWER_ID) + r"(:(?P<delivery>[0-9]+))?",
):
    """On every daily post: opens a modal, for answers nobody sees before the reveal."""

    def __init__(self, delivery_id: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=daily.ANSWER_LABEL,
                style=discord.ButtonStyle.primary,
                custom_id=answer_id(delivery_id),
                emoji="✍️",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        delivery = match["delivery"]
        return cls(int(delivery) if delivery else None)

    async def callback(self, interaction: Interaction) -> None:
        if interaction.message is None:
            await send_private(interaction, LOST_QUESTION)
            return
        # A thread started from a message has the message's id (Discord's rule), so the post
        # alone tells which round's thread the answer belongs to.
        modal = AnswerModal(engine_of(interaction), thread_id=str(interaction.message.id))
        await interaction.response.send_modal(modal)


class AnswerModal(discord.ui.Modal, title=quiz.YOUR_ANSWER):
    answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
        label=daily.ANSWER_LABEL,
        style=discord.TextStyle.paragraph,
        placeholder=quiz.ROUND_ANSWER_PLACEHOLDER,
        max_length=4000,
    )

    def __init__(self, engine: Engine, *, thread_id: str) -> None:
        super().__init__(timeout=MODAL_TIMEOUT_S)
        self.engine = engine
        self.thread_id = thread_id

    async def on_submit(self, interaction: Interaction) -> None:
        result = await in_time(interaction, self.engine.handle_message(
            IncomingMessage(
                platform=PLATFORM,
                thread_id=self.thread_id,
                message_id=f"modal-{interaction.id}",  # a redelivered submission is stored once
                user_id=str(interaction.user.id),
                user_name=interaction.user.display_name,
                text=self.answer.value,
                is_bot=interaction.user.bot,
            )
        ))  # fmt: skip
        await send_private(interaction, modal_reply(result, self.engine.settings.answer_limit))

    async def on_error(  # type: ignore[override]
        self, interaction: Interaction, error: Exception
    ) -> None:
        log.error("answer modal failed", exc_info=error)
        await send_private(interaction, quiz.NOT_SAVED)


def modal_reply(result: AnswerResult, limit: int) -> str:
    """The one receipt policy (bot.present.receipts), in the modal's private reply."""
    receipt = receipts.answer_receipt(result, "UTC")  # Discord shows each reader's own time
    if not receipt:
        return receipts.NOT_A_ROUND
    return render.show(receipts.with_truncation(receipt, limit if result.truncated else None))


def round_view(delivery_id: int | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AnswerButton(delivery_id))
    return view
