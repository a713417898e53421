"""The slash commands. Each handler is thin: read the options, call the engine, reply privately.

Errors the core raises (bad time, unknown timezone, nothing to reveal...) are turned into
ephemeral replies by the tree's error handler (client.py), so handlers only raise them.
"""

from __future__ import annotations

import io
import logging
from typing import Any, Literal

import aiohttp
import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.permissions import missing_to_post, needs_sentence
from bot.adapters.discord.quiz_views import quiz_view
from bot.adapters.discord.refs import PLATFORM, ROUND_CHANNEL_TYPES, channel_ref, round_channel
from bot.adapters.discord.replies import NO_MENTIONS, Interaction, in_time, send_private
from bot.adapters.discord.suggestions import suggest_command
from bot.adapters.pictures import LEADERBOARD_FILE, STREAK_FILE, Pictures
from bot.adapters.space_config import config_reply
from bot.core.engine import Engine
from bot.core.errors import InputError
from bot.core.models import ChannelRef
from bot.core.results import PostResult, PostStatus
from bot.core.schedule import search_timezones
from bot.core.spaces import SPACE_SETTINGS
from bot.images import Picture
from bot.present import admin, repair
from bot.present import missed as missed_words
from bot.present.parts import Native

log = logging.getLogger(__name__)
Choices = list[app_commands.Choice[str]]
AnyCommand = app_commands.Command[Any, ..., Any] | app_commands.Group
AUTOCOMPLETE_LIMIT = 25  # choices Discord shows
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
REFUSAL = (
    "Only members with the Manage Server permission can change the daily practice here. "
    "Nothing was changed."
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


def pack_choices(engine: Engine, current: str) -> Choices:
    """Pack names for a comma-separated list: the text before the last comma is kept."""
    done, _, typing = current.rpartition(",")
    prefix = f"{done}," if done else ""
    chosen = {p.strip() for p in done.split(",")}
    names = [
        name
        for name in engine.pack_names
        if name not in chosen and typing.strip().lower() in name.lower()
    ]
    return [app_commands.Choice(name=prefix + n, value=prefix + n) for n in names][
        :AUTOCOMPLETE_LIMIT
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
        stats = await in_time(interaction, engine.review_stats(PLATFORM, str(interaction.user.id)))
        embed = render.review_embed(stats)
        if embed is None:
            await send_private(interaction, render.NO_REVIEWS)
        else:
            await send_private(interaction, embeds=[embed])

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


# -- /practice: for server managers ---------------------------------------------------------


class PracticeGroup(app_commands.Group):
    """Discord hides these from members without Manage Server by default; a server can change
    that default, so each call is checked again here."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(
            name="practice",
            description="The daily question in this channel (needs Manage Server)",
            guild_only=True,
            allowed_contexts=app_commands.AppCommandContext(guild=True),
            default_permissions=discord.Permissions(manage_guild=True),
        )
        self.engine = engine

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        granted = interaction.permissions
        if granted.manage_guild or granted.administrator:
            return True
        await send_private(interaction, REFUSAL)
        return False

    @staticmethod
    def _channel(interaction: Interaction) -> tuple[ChannelRef, int]:
        channel = interaction.channel
        if interaction.guild_id is None or channel is None:
            raise InputError("Use /practice in a server channel.")
        if getattr(channel, "type", None) not in ROUND_CHANNEL_TYPES:
            raise InputError(
                "Use /practice in the text channel that should get the daily question "
                "(not in a thread or a voice channel)."
            )
        return channel_ref(interaction.guild_id, channel.id), channel.id

    async def _problem(self, channel: ChannelRef) -> str:
        return render.problem_note((await self.engine.status(channel)).subscription)

    @app_commands.command(
        name="subscribe", description="Post a question in this channel on a schedule"
    )
    @app_commands.describe(
        time="Post time on a 24-hour clock, e.g. 09:30",
        timezone="The team's timezone, e.g. Europe/Berlin",
        days="Days to post: mon-fri (default), daily, mon,wed,fri ...",
        reveal_after="When the answer is revealed after the post: 8h (default), 90m, 1d ...",
        packs="Only these packs, comma-separated (default: all)",
    )
    async def subscribe(
        self,
        interaction: Interaction,
        time: str,
        timezone: str,
        days: str | None = None,
        reveal_after: str | None = None,
        packs: str | None = None,
    ) -> None:
        channel, channel_id = self._channel(interaction)
        subscription = await in_time(
            interaction,
            self.engine.subscribe(
                channel,
                post_time=time,
                timezone=timezone,
                days=days,
                reveal_after=reveal_after,
                packs=packs,
                by=str(interaction.user.id),
            ),
        )
        next_post = await in_time(interaction, self.engine.next_post(subscription))
        text = render.show(admin.subscribed(subscription, next_post, (Native(f"<#{channel_id}>"),)))
        missing = missing_to_post(interaction.app_permissions)
        if missing:
            text += f"\n⚠️ {needs_sentence(missing)} Until then the daily post will fail."
        await send_private(interaction, text + render.problem_note(subscription))

    @subscribe.autocomplete("timezone")
    async def timezone_choices(self, interaction: Interaction, current: str) -> Choices:
        return [
            app_commands.Choice(name=zone, value=zone)
            for zone in search_timezones(current, AUTOCOMPLETE_LIMIT)
        ]

    @subscribe.autocomplete("packs")
    async def packs_choices(self, interaction: Interaction, current: str) -> Choices:
        return pack_choices(self.engine, current)

    @app_commands.command(name="unsubscribe", description="Stop the daily question in this channel")
    async def unsubscribe(self, interaction: Interaction) -> None:
        channel, _ = self._channel(interaction)
        done = await in_time(interaction, self.engine.unsubscribe(channel))
        await send_private(interaction, render.show(admin.unsubscribed(done, render.WORDS)))

    @app_commands.command(name="status", description="Schedule, open round and next question here")
    async def status(self, interaction: Interaction) -> None:
        channel, channel_id = self._channel(interaction)
        state = await in_time(interaction, self.engine.status(channel))
        assert interaction.guild_id is not None
        await send_private(interaction, render.status_text(state, interaction.guild_id, channel_id))

    @app_commands.command(
        name="post-now", description="Post today's question now (it replaces the scheduled one)"
    )
    async def post_now(self, interaction: Interaction) -> None:
        channel, channel_id = self._channel(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # posting talks to Discord
        result = await self.engine.post_now(channel)
        assert interaction.guild_id is not None
        await send_private(interaction, post_reply(result, interaction.guild_id, channel_id))

    @app_commands.command(name="reveal-now", description="Reveal the open round's answer now")
    async def reveal_now(self, interaction: Interaction) -> None:
        channel, _ = self._channel(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.engine.reveal_now(channel)
        thread = (Native(f"<#{result.round.thread_id}>"),) if result.round.thread_id else ()
        await send_private(
            interaction,
            render.show(admin.revealed(result, thread)) + await self._problem(channel),
        )


    @app_commands.command(
        name="streak-repair", description="A past round here breaks nobody's streak (bot was down)"
    )
    @app_commands.describe(date="The round's date, YYYY-MM-DD")
    async def streak_repair(self, interaction: Interaction, date: str) -> None:
        channel, _ = self._channel(interaction)
        done, new = await in_time(
            interaction, self.engine.repair_streaks(channel, date, by=str(interaction.user.id))
        )
        zone = await in_time(interaction, self.engine.channel_timezone(channel))
        await send_private(interaction, render.show(repair.repaired(done, new, zone)))

    @app_commands.command(name="config", description="This server's settings: list, show or set one")
    @app_commands.describe(
        key="The setting (leave out to list them all)",
        value="Its new value; default resets it (leave out to show it)",
    )
    async def config(
        self, interaction: Interaction, key: str | None = None, value: str | None = None
    ) -> None:
        channel, _ = self._channel(interaction)
        words = [w for w in (key, value) if w]
        if value and not key:
            raise InputError("Give the setting's key with its value.")
        reply = config_reply(
            self.engine, channel, words, str(interaction.user.id), command="/practice config"
        )
        await send_private(interaction, await in_time(interaction, reply))

    @config.autocomplete("key")
    async def config_keys(self, interaction: Interaction, current: str) -> Choices:
        return [
            app_commands.Choice(name=s.key, value=s.key)
            for s in SPACE_SETTINGS
            if current.strip().lower() in s.key
        ][:AUTOCOMPLETE_LIMIT]


def post_reply(result: PostResult, guild_id: int, channel_id: int) -> str:
    link = render.jump_url(guild_id, channel_id, result.round.message_id if result.round else None)
    shown = (Native(link),) if result.status in (PostStatus.POSTED, PostStatus.ALREADY) else ()
    return render.show(admin.post_reply(result, render.WORDS, shown))
