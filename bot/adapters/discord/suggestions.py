"""Questions from the team on Discord: `/suggest` opens a modal; each suggestion goes to the
review channel (`/practice config review-channel #x`), or else by DM to the manager who
subscribed the channel, with Approve, Edit and Reject buttons, which check Manage Server on
every click (in a DM, on the member as the server has them now). The buttons' custom ids carry
the suggestion and the server, so they work after a restart."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.limits import DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, TITLE_LIMIT, clip
from bot.adapters.discord.refs import PLATFORM, channel_ref, round_channel
from bot.adapters.discord.render import show
from bot.adapters.discord.replies import NO_MENTIONS, Interaction, in_time, send_private
from bot.adapters.discord.views import MODAL_TIMEOUT_S, engine_of
from bot.core.engine import Engine
from bot.core.errors import InputError
from bot.core.models import ChannelRef
from bot.core.records import SuggestionFields, SuggestionRecord
from bot.core.suggestions import MAX_ANSWER_CHARS, MAX_REASON_CHARS, AuthorNote, draft
from bot.present import suggestions as words
from bot.present.cards import Intent

log = logging.getLogger(__name__)
QUEUE_COLOUR = discord.Colour(0x64748B)
ACTIONS = {Intent.APPROVE: "approve", Intent.EDIT: "edit", Intent.REJECT: "reject"}
STYLES = {
    Intent.APPROVE: discord.ButtonStyle.success,
    Intent.EDIT: discord.ButtonStyle.secondary,
    Intent.REJECT: discord.ButtonStyle.danger,
}
NEEDS_A_SERVER = "Use /suggest in a server channel."


async def is_admin(interaction: Interaction, guild_id: int) -> bool:
    """Manage Server (or Administrator) in the suggestion's server, checked now."""
    if interaction.guild_id is not None:
        granted = interaction.permissions
        return interaction.guild_id == guild_id and bool(
            granted.manage_guild or granted.administrator
        )
    guild = interaction.client.get_guild(guild_id)  # a click in a DM: ask the server
    if guild is None:
        return False
    try:
        member = guild.get_member(interaction.user.id) or await guild.fetch_member(
            interaction.user.id
        )
    except discord.HTTPException:
        return False
    granted = member.guild_permissions
    return bool(granted.manage_guild or granted.administrator)


class DiscordNotes:
    """Notes to authors by DM."""

    def __init__(self, client: Any) -> None:
        self._client = client

    async def tell_author(self, note: AuthorNote) -> None:
        client = self._client()
        if client is None:
            return
        dm = await client.create_dm(discord.Object(int(note.suggestion.author_id)))
        await dm.send(show(words.note(note)), allowed_mentions=NO_MENTIONS)


def queue_embed(record: SuggestionRecord) -> discord.Embed:
    card = words.queue_card(record)
    embed = discord.Embed(
        title=clip(card.title, TITLE_LIMIT),
        description=clip(show(card.context) + "\n\n" + record.fields.text, DESCRIPTION_LIMIT),
        colour=QUEUE_COLOUR,
    )
    for section in card.body[1:]:
        value = section.markdown or ""
        if section.bullets:
            value = "\n".join(f"• {show(b)}" for b in section.bullets)
        embed.add_field(name=clip(section.heading or "—", 256),
                        value=clip(value or "—", FIELD_VALUE_LIMIT), inline=False)  # fmt: skip
    for field in card.fields:
        embed.add_field(name=field.name, value=clip(show(field.value), FIELD_VALUE_LIMIT))
    embed.add_field(name="Status", value=clip(show(card.footer), FIELD_VALUE_LIMIT), inline=False)
    return embed


def queue_view(record: SuggestionRecord) -> discord.ui.View | None:
    card = words.queue_card(record)
    if not card.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in card.buttons:
        view.add_item(ReviewButton(ACTIONS[button.intent], record.id, int(record.space_id),
                                   button.label, STYLES[button.intent]))  # fmt: skip
    return view


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"practicebot:suggestion:(?P<action>approve|edit|reject):(?P<id>[0-9]+):(?P<guild>[0-9]+)",
):
    def __init__(self, action: str, suggestion_id: int, guild_id: int, label: str = "",
                 style: discord.ButtonStyle = discord.ButtonStyle.secondary) -> None:  # fmt: skip
        super().__init__(
            discord.ui.Button(
                label=label or action.capitalize(), style=style,
                custom_id=f"practicebot:suggestion:{action}:{suggestion_id}:{guild_id}",
            )
        )
        self.action = action
        self.suggestion_id = suggestion_id
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReviewButton:
        return cls(match["action"], int(match["id"]), int(match["guild"]))

    async def callback(self, interaction: Interaction) -> None:
        if not await is_admin(interaction, self.guild_id):  # checked again on every click
            await send_private(interaction, words.NOT_ADMIN)
            return
        engine = engine_of(interaction)
        space = (PLATFORM, str(self.guild_id))
        record = await in_time(interaction, engine.suggestion(space, self.suggestion_id))
        if self.action == "approve":
            decision = await in_time(interaction, engine.approve_suggestion(
                space, record.id, str(interaction.user.id), interaction.user.display_name
            ))  # fmt: skip
            await send_private(interaction, show(words.decided(decision.suggestion,
                                                               decision.decided)))  # fmt: skip
            if decision.decided and interaction.message is not None:
                await refresh(interaction.message, decision.suggestion)
            return
        if record.decided_by is not None:
            await send_private(interaction, show(words.decided(record, False)))
            return
        modal: discord.ui.Modal = (
            SuggestModal(engine, None, record.fields, edit_of=record.id, guild_id=self.guild_id)
            if self.action == "edit"
            else RejectModal(engine, record.id, self.guild_id)
        )
        await interaction.response.send_modal(modal)


async def refresh(message: discord.Message, record: SuggestionRecord) -> None:
    try:
        await message.edit(embed=queue_embed(record), view=queue_view(record))
    except discord.HTTPException as error:
        log.warning("could not update the queue message suggestion=%s: %s", record.id, error)


async def to_queue(interaction: Interaction, engine: Engine, channel: ChannelRef,
                   record: SuggestionRecord) -> None:  # fmt: skip
    review = await engine.review_channel(channel)
    client = interaction.client
    try:
        if review is not None and review.isdigit():
            target: Any = client.get_channel(int(review)) or await client.fetch_channel(
                int(review)
            )
        else:  # no review channel: the manager who subscribed the channel, by DM
            subscription = await engine.subscription(channel)
            manager = subscription.subscribed_by if subscription else None
            if manager is None or not manager.isdigit():
                log.warning("suggestion=%s: no review channel and no subscriber", record.id)
                return
            target = await client.create_dm(discord.Object(int(manager)))
        assert isinstance(target, discord.abc.Messageable)
        view = queue_view(record) or discord.utils.MISSING
        sent = await target.send(embed=queue_embed(record), view=view,
                                 allowed_mentions=NO_MENTIONS)  # fmt: skip
    except (discord.HTTPException, AssertionError) as error:
        log.warning("could not post suggestion=%s for review: %s", record.id, error)
        return
    await engine.set_suggestion_review_ref(record.id, f"{sent.channel.id}:{sent.id}")


class SuggestModal(discord.ui.Modal, title=words.SUGGEST_TITLE):
    """A member's suggestion, or (with `edit_of`) an admin's edit of one."""

    def __init__(self, engine: Engine, channel: ChannelRef | None,
                 fields: SuggestionFields | None = None, *, edit_of: int | None = None,
                 guild_id: int = 0) -> None:  # fmt: skip
        super().__init__(
            timeout=MODAL_TIMEOUT_S, title=words.EDIT_TITLE if edit_of else words.SUGGEST_TITLE
        )
        self.engine, self.channel, self.edit_of = engine, channel, edit_of
        self.guild_id = guild_id
        f = fields or SuggestionFields("")
        self.question: discord.ui.TextInput[SuggestModal] = discord.ui.TextInput(
            label=words.QUESTION_LABEL, style=discord.TextStyle.paragraph, max_length=3000,
            default=f.text or None,
        )  # fmt: skip
        self.answer: discord.ui.TextInput[SuggestModal] = discord.ui.TextInput(
            label=clip(words.ANSWER_LABEL, 45), style=discord.TextStyle.paragraph,
            required=False, max_length=MAX_ANSWER_CHARS, default=f.answer or None,
        )  # fmt: skip
        self.key_points: discord.ui.TextInput[SuggestModal] = discord.ui.TextInput(
            label=clip(words.KEY_POINTS_LABEL, 45), style=discord.TextStyle.paragraph,
            required=False, max_length=2000, default="\n".join(f.key_points) or None,
        )  # fmt: skip
        self.pack: discord.ui.TextInput[SuggestModal] = discord.ui.TextInput(
            label=words.PACK_LABEL, required=False, max_length=40, default=f.pack,
        )  # fmt: skip
        self.difficulty: discord.ui.TextInput[SuggestModal] = discord.ui.TextInput(
            label=clip(words.DIFFICULTY_LABEL, 45), required=False, max_length=10,
            default=f.difficulty if fields else None,
        )  # fmt: skip
        for item in (self.question, self.answer, self.key_points, self.pack, self.difficulty):
            self.add_item(item)

    async def on_submit(self, interaction: Interaction) -> None:
        fields = draft(self.question.value, self.answer.value, self.key_points.value,
                       self.pack.value or None, self.difficulty.value or None)  # fmt: skip
        if self.edit_of is not None:
            if not await is_admin(interaction, self.guild_id):
                await send_private(interaction, words.NOT_ADMIN)
                return
            space = (PLATFORM, str(self.guild_id))
            decision = await in_time(interaction, self.engine.edit_suggestion(
                space, self.edit_of, fields))  # fmt: skip
            reply = (words.edited(decision.suggestion) if decision.decided
                     else words.decided(decision.suggestion, False))  # fmt: skip
            await send_private(interaction, show(reply))
            if decision.decided and interaction.message is not None:
                await refresh(interaction.message, decision.suggestion)
            return
        assert self.channel is not None
        record = await in_time(interaction, self.engine.suggest(
            self.channel, str(interaction.user.id), interaction.user.display_name, fields))  # fmt: skip
        await send_private(interaction, show(words.receipt(record)))
        await to_queue(interaction, self.engine, self.channel, record)

    async def on_error(  # type: ignore[override]
        self, interaction: Interaction, error: Exception
    ) -> None:
        await _modal_error(interaction, error)


class RejectModal(discord.ui.Modal, title=words.REJECT_TITLE):
    def __init__(self, engine: Engine, suggestion_id: int, guild_id: int) -> None:
        super().__init__(timeout=MODAL_TIMEOUT_S)
        self.engine, self.suggestion_id, self.guild_id = engine, suggestion_id, guild_id
        self.reason: discord.ui.TextInput[RejectModal] = discord.ui.TextInput(
            label=clip(words.REASON_LABEL, 45), style=discord.TextStyle.paragraph,
            required=False, max_length=MAX_REASON_CHARS,
        )  # fmt: skip
        self.add_item(self.reason)

    async def on_submit(self, interaction: Interaction) -> None:
        if not await is_admin(interaction, self.guild_id):
            await send_private(interaction, words.NOT_ADMIN)
            return
        space = (PLATFORM, str(self.guild_id))
        decision = await in_time(interaction, self.engine.reject_suggestion(
            space, self.suggestion_id, str(interaction.user.id), interaction.user.display_name,
            self.reason.value,
        ))  # fmt: skip
        await send_private(interaction, show(words.decided(decision.suggestion, decision.decided)))
        if decision.decided and interaction.message is not None:
            await refresh(interaction.message, decision.suggestion)

    async def on_error(  # type: ignore[override]
        self, interaction: Interaction, error: Exception
    ) -> None:
        await _modal_error(interaction, error)


async def _modal_error(interaction: Interaction, error: Exception) -> None:
    from bot.present.errors import error_reply

    await send_private(interaction, show(error_reply(error, "suggestion modal", log)))


def suggest_command(engine: Engine) -> app_commands.Command[Any, ..., None]:
    @app_commands.command(name="suggest", description="Suggest a question for the team")
    @app_commands.guild_only()
    async def suggest(interaction: Interaction) -> None:
        channel = round_channel(interaction)
        if channel is None:
            raise InputError(NEEDS_A_SERVER)
        await interaction.response.send_modal(SuggestModal(engine, channel))

    return suggest


__all__ = ["DiscordNotes", "ReviewButton", "channel_ref", "suggest_command"]
