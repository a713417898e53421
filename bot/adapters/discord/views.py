"""The daily round's Answer button and its modal. The button's custom id carries all it needs,
so it keeps working after a restart."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord.utils import format_dt

from bot.adapters.discord.refs import PLATFORM
from bot.adapters.discord.replies import Interaction, in_time, send_private
from bot.core.engine import Engine
from bot.core.records import MessageOutcome
from bot.core.results import AnswerResult, IncomingMessage

log = logging.getLogger(__name__)
ANSWER_ID = "practicebot:answer"
MODAL_TIMEOUT_S = 3600.0  # time to write an answer; a modal left open longer is forgotten


def engine_of(interaction: Interaction) -> Engine:
    """The engine of the client that received the interaction (set by PracticeClient)."""
    engine = getattr(interaction.client, "engine", None)
    if not isinstance(engine, Engine):
        raise RuntimeError("this interaction did not come through a PracticeClient")
    return engine


# -- the daily round's Answer button --------------------------------------------------------


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.escape(ANSWER_ID)):
    """On every daily post: opens a modal, for answers nobody sees before the reveal."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label="Answer", style=discord.ButtonStyle.primary, custom_id=ANSWER_ID, emoji="✍️"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        return cls()

    async def callback(self, interaction: Interaction) -> None:
        if interaction.message is None:
            await send_private(interaction, "This button has lost its question: try the thread.")
            return
        # A thread started from a message has the message's id (Discord's rule), so the post
        # alone tells which round's thread the answer belongs to.
        modal = AnswerModal(engine_of(interaction), thread_id=str(interaction.message.id))
        await interaction.response.send_modal(modal)


class AnswerModal(discord.ui.Modal, title="Your answer"):
    answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
        label="Answer",
        style=discord.TextStyle.paragraph,
        placeholder="Kept private until the reveal; only who answered is shown then.",
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
        await send_private(interaction, "Sorry, your answer could not be saved. Please try again.")


def modal_reply(result: AnswerResult, limit: int) -> str:
    if result.outcome is None or result.round is None:
        return "This post is no longer an open round, so the answer was not recorded."
    texts = {
        MessageOutcome.ANSWERED: "Your answer is in. It counts when the answer is revealed "
        f"{format_dt(result.round.reveal_at, 'R')}.",
        MessageOutcome.ADDED: "Added to your answer (one answer per person per round).",
        MessageOutcome.LATE: "This round is already revealed: your answer is kept, "
        "but it earns no streak.",
        MessageOutcome.DUPLICATE: "Already recorded.",
    }
    text = texts[result.outcome]
    if result.truncated:
        text += f" It was over {limit:,} characters: the first {limit:,} were kept."
    return text


def round_view() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AnswerButton())
    return view
