"""The slash commands. Each handler is thin: read the options, call the engine, reply privately.

Errors the core raises (bad time, unknown timezone, nothing to reveal...) are turned into
ephemeral replies by the tree's error handler (client.py), so handlers only raise them.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any, Literal

import aiohttp
import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.choices import Choices, pack_choices
from bot.adapters.discord.practice import REFUSAL as REFUSAL  # re-exported: tests check it
from bot.adapters.discord.practice import PracticeGroup
from bot.adapters.discord.quiz_views import quiz_view
from bot.adapters.discord.refs import PLATFORM, round_channel
from bot.adapters.discord.replies import NO_MENTIONS, Interaction, in_time, send_private
from bot.adapters.discord.suggestions import suggest_command
from bot.adapters.pictures import LEADERBOARD_FILE, STREAK_FILE, Pictures
from bot.core.engine import Engine
from bot.core.errors import InputError
from bot.core.models import ChannelRef
from bot.images import Picture
from bot.present import admin
from bot.present import missed as missed_words

log = logging.getLogger(__name__)
AnyCommand = app_commands.Command[Any, ..., Any] | app_commands.Group
FEEDBACK_ON = render.show(admin.feedback_on(render.WORDS))
FEEDBACK_ON_DMS_CLOSED = (
    "Feedback is on, but I could not send you a DM, so it cannot reach you yet. Allow direct "
    "messages from this server's members (server menu → Privacy Settings), then run "
    "`/feedback turn:on` again to check."
)
FEEDBACK_OFF = admin.FEEDBACK_OFF
FEEDBACK_DM = (
    "Feedback is on: after each reveal of a daily question you answer, your notes come here. "
    "`/feedback turn:off` stops them."
)


def build_commands(engine: Engine) -> list[AnyCommand]:
    pictures = Pictures()  # the client's pictures, kept until their data changes
    return [
        quiz_command(engine),
        review_command(engine),
        feedback_command(engine),
        leaderboard_command(engine, pictures),
        streak_command(engine, pictures),
        PracticeGroup(engine),
        suggest_command(engine),
    ]


def _in_a_server(interaction: Interaction) -> ChannelRef:
    channel = round_channel(interaction)
    if channel is None:
        raise InputError("Use this command in a server channel.")
    return channel


# -- everyone's commands --------------------------------------------------------------------


def quiz_command(engine: Engine) -> app_commands.Command[Any, ..., None]:
    @app_commands.command(name="quiz", description="A private question, just for you")
    @app_commands.describe(
        pack="Only questions from this pack (default: any)",
        missed="A daily question you did not answer, or one you rated Again, first",
    )
    async def quiz(
        interaction: Interaction, pack: str | None = None, missed: bool = False
    ) -> None:
        user, channel = str(interaction.user.id), round_channel(interaction)
        asked = (
            engine.quiz_missed(PLATFORM, user, channel=channel)
            if missed
            else engine.quiz(PLATFORM, user, pack=pack, channel=channel)
        )
        card = await in_time(interaction, asked)
        await send_private(
            interaction,
            card.intro,  # "2 reviews due — here is the first." and the like
            embeds=[render.quiz_embed(card)],
            view=quiz_view(card.quiz_id, card.question.id),
        )

    @quiz.autocomplete("pack")
    async def quiz_packs(interaction: Interaction, current: str) -> Choices:
        return [c for c in pack_choices(engine, current) if "," not in c.value]

    return quiz


async def _review_export(engine: Engine, interaction: Interaction) -> None:
    items = await in_time(interaction, engine.missed_questions(PLATFORM, str(interaction.user.id)))
    if not items:
        await send_private(interaction, missed_words.NOTHING_TO_EXPORT)
        return
    day = engine.now().date()
    markdown = missed_words.export_markdown(items, day).encode()
    file = discord.File(io.BytesIO(markdown), filename=missed_words.export_name(day))
    await send_private(interaction, missed_words.export_note(len(items)), files=[file])


def review_command(engine: Engine) -> app_commands.Command[Any, ..., None]:
    @app_commands.command(
        name="review", description="Your review schedule: due now, this week, retention"
    )
    @app_commands.describe(export="Your missed questions with the reference answers, as a file")
    async def review(interaction: Interaction, export: bool = False) -> None:
        if export:
            await _review_export(engine, interaction)
            return
        user = str(interaction.user.id)
        stats, last = await in_time(
            interaction,
            asyncio.gather(
                engine.review_stats(PLATFORM, user), engine.last_feedback(PLATFORM, user)
            ),
        )
        embeds = [e for e in (render.review_embed(stats),) if e is not None]
        if last is not None:
            embeds.append(render.last_feedback_embed(last, engine.question(last.question_id)))
        if not embeds:
            await send_private(interaction, render.NO_REVIEWS)
        else:
            await send_private(interaction, embeds=embeds)

    return review


def feedback_command(engine: Engine) -> app_commands.Command[Any, ..., None]:
    """Each person's own choice, so open to everyone: /practice is for server managers, and
    Discord sets who sees a command for the whole /practice group, not per subcommand."""

    @app_commands.command(
        name="feedback",
        description="After each reveal, a DM on which key points your daily answer covered",
    )
    @app_commands.describe(turn="on: feedback by DM after each reveal; off: none")
    async def feedback(interaction: Interaction, turn: Literal["on", "off"]) -> None:
        user = interaction.user

        async def choose() -> str:
            await engine.set_daily_feedback(PLATFORM, str(user.id), turn == "on")
            if turn == "off":
                return FEEDBACK_OFF
            # Say so now if DMs cannot reach this person, rather than failing after each reveal.
            return FEEDBACK_ON if await dm_reachable(user) else FEEDBACK_ON_DMS_CLOSED

        await send_private(interaction, await in_time(interaction, choose()))

    return feedback


async def dm_reachable(user: discord.User | discord.Member) -> bool:
    """Send the opt-in confirmation by DM; False when Discord refuses (the person's DMs are
    closed to this server's members, or they share no server with the bot)."""
    try:
        await user.send(FEEDBACK_DM, allowed_mentions=NO_MENTIONS)
    except discord.Forbidden:
        return False
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
        log.warning("could not check DMs user=%s: %s", user.id, error)  # not known to be closed
    return True


def _attached(picture: Picture, name: str) -> discord.File:
    """The picture as an attachment, its text alternative as the attachment's description."""
    return discord.File(io.BytesIO(picture.png), filename=name, description=picture.alt_text[:1024])


def leaderboard_command(
    engine: Engine, pictures: Pictures
) -> app_commands.Command[Any, ..., None]:
    @app_commands.command(
        name="leaderboard", description="The longest streaks, or the most answers"
    )
    @app_commands.guild_only()
    @app_commands.describe(
        window="Rank by answers in this window (default: by current streak)",
        scope="This channel (default) or the whole server",
    )
    async def leaderboard(
        interaction: Interaction,
        window: Literal["week", "month", "all"] | None = None,
        scope: Literal["channel", "server"] = "channel",
    ) -> None:
        board = await in_time(
            interaction,
            engine.leaderboard(
                _in_a_server(interaction),
                window=window,
                whole_space=scope == "server",
                caller_id=str(interaction.user.id),
            ),
        )
        embed = render.leaderboard_embed(board, whole_server=scope == "server")
        picture = await in_time(
            interaction,
            pictures.leaderboard(
                engine, _in_a_server(interaction), window=window,
                whole_space=scope == "server", caller_id=str(interaction.user.id),
            ),
        )  # fmt: skip
        files = []
        if picture is not None:
            embed.set_image(url=f"attachment://{LEADERBOARD_FILE}")
            files.append(_attached(picture, LEADERBOARD_FILE))
        await send_private(interaction, embeds=[embed], files=files)

    return leaderboard


def streak_command(engine: Engine, pictures: Pictures) -> app_commands.Command[Any, ..., None]:
    @app_commands.command(
        name="streak", description="A streak in this channel: yours or a teammate's"
    )
    @app_commands.guild_only()
    @app_commands.describe(user="Whose streak (default: yours)")
    async def streak(interaction: Interaction, user: discord.User | None = None) -> None:
        who = user or interaction.user
        channel = _in_a_server(interaction)
        view = await in_time(interaction, engine.streak(channel, str(who.id)))
        text = render.streak_text(str(who.id), view, yours=who.id == interaction.user.id)
        picture = await in_time(
            interaction, pictures.streak(engine, channel, str(who.id), who.display_name)
        )
        if picture is None:
            await send_private(interaction, text)
            return
        embed = discord.Embed(description=text).set_image(url=f"attachment://{STREAK_FILE}")
        await send_private(interaction, embeds=[embed], files=[_attached(picture, STREAK_FILE)])

    return streak

