"""/practice: a channel's schedule, for workspace admins and owners (or PRACTICEBOT_SLACK_ADMINS);
and `/practice feedback on|off`, anyone's own choice of private feedback on daily answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import render
from bot.adapters.slack.listeners.deps import Deps, command_channel, explained
from bot.adapters.slack.listeners.suggestions import open_suggest_modal
from bot.adapters.slack.mrkdwn import escape
from bot.adapters.slack.publisher import INVITE_HINT
from bot.adapters.slack.refs import PLATFORM
from bot.adapters.space_config import config_reply
from bot.core.errors import InputError
from bot.core.models import ChannelRef
from bot.core.subscribe import parse_subscribe
from bot.present import admin, repair
from bot.present.help import (
    SLACK_FEEDBACK_USAGE,
    SLACK_USAGE,
    STREAK_REPAIR_USAGE,
    unknown_subcommand,
)
from bot.present.parts import Native

USAGE = SLACK_USAGE
FEEDBACK_USAGE = SLACK_FEEDBACK_USAGE
FEEDBACK_ON = render.show(admin.feedback_on(render.WORDS))
FEEDBACK_OFF = admin.FEEDBACK_OFF
REFUSAL = (
    "Only workspace admins and owners can change this channel's practice schedule "
    "(or people the bot's operator lists in PRACTICEBOT_SLACK_ADMINS). Nothing was changed."
)


Subcommand = Callable[[ChannelRef, list[str], str], Awaitable[str]]


def register(app: AsyncApp, deps: Deps) -> None:
    engine = deps.engine

    async def subscribe(channel: ChannelRef, words: list[str], user: str) -> str:
        args = parse_subscribe(words)
        timezone = args.timezone
        if timezone is None and (await engine.status(channel)).subscription is None:
            caller = await deps.users.lookup(user)  # a new channel starts in its admin's zone
            timezone = caller.timezone if caller else None
        subscription = await engine.subscribe(
            channel,
            post_time=args.post_time,
            timezone=timezone,
            days=args.days,
            reveal_after=args.reveal_after,
            packs=args.packs,
            by=user,
        )
        first = await engine.next_post(subscription)
        reply = admin.subscribed(subscription, first, (Native(f"<#{channel.channel_id}>"),))
        return f"{render.show(reply)}\nIf I am not in this channel yet, {INVITE_HINT}."

    async def unsubscribe(channel: ChannelRef, words: list[str], user: str) -> str:
        return render.show(admin.unsubscribed(await engine.unsubscribe(channel), render.WORDS))

    async def status(channel: ChannelRef, words: list[str], user: str) -> str:
        return render.status(await engine.status(channel))

    async def post_now(channel: ChannelRef, words: list[str], user: str) -> str:
        return render.show(admin.post_reply(await engine.post_now(channel), render.WORDS))

    async def reveal_now(channel: ChannelRef, words: list[str], user: str) -> str:
        return render.show(admin.revealed(await engine.reveal_now(channel)))

    async def streak_repair(channel: ChannelRef, words: list[str], user: str) -> str:
        if len(words) != 1:
            raise InputError(STREAK_REPAIR_USAGE)
        done, new = await engine.repair_streaks(channel, words[0], by=user)
        timezone = await engine.channel_timezone(channel)
        return render.show(repair.repaired(done, new, timezone))

    async def feedback(user: str, words: list[str]) -> str:
        choice = words[0].lower() if len(words) == 1 else ""
        if choice not in ("on", "off"):
            return FEEDBACK_USAGE
        await engine.set_daily_feedback(PLATFORM, user, choice == "on")
        return FEEDBACK_ON if choice == "on" else FEEDBACK_OFF

    async def config(channel: ChannelRef, words: list[str], user: str) -> str:
        return escape(await config_reply(engine, channel, words, user, command="/practice config"))

    subcommands: dict[str, Subcommand] = {
        "config": config,
        "subscribe": subscribe,
        "unsubscribe": unsubscribe,
        "status": status,
        "post-now": post_now,
        "reveal-now": reveal_now,
        "streak-repair": streak_repair,
    }

    async def practice(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        async with explained(respond, "/practice"):
            words = (command.get("text") or "").split()
            name = words[0].lower() if words else ""
            user = command["user_id"]
            if name == "suggest":  # anyone may suggest a question: a modal takes its fields
                await open_suggest_modal(
                    client, command["trigger_id"], command.get("team_id") or "",
                    command["channel_id"],
                )  # fmt: skip
                return
            if name == "feedback":  # each person's own setting, not the channel's: anyone may
                await respond(text=await feedback(user, words[1:]), response_type="ephemeral")
                return
            action = subcommands.get(name)
            if action is None:
                unknown = f"{unknown_subcommand(escape(words[0]))}\n" if words else ""
                await respond(text=unknown + USAGE, response_type="ephemeral")
                return
            if not await _is_admin(deps, user):
                await respond(text=REFUSAL, response_type="ephemeral")
                return
            if _is_direct_message(command):
                await respond(
                    text=admin.RUN_IN_CHANNEL,
                    response_type="ephemeral",
                )
                return
            try:
                reply = await action(command_channel(command), words[1:], user)
            except InputError as error:
                reply = f"{escape(str(error))}\n{USAGE}"
            await respond(text=reply, response_type="ephemeral")

    app.command("/practice")(practice)


async def _is_admin(deps: Deps, user_id: str) -> bool:
    if deps.users.listed_admin(user_id):
        return True
    user = await deps.users.lookup(user_id)
    return user is not None and user.is_admin


def _is_direct_message(command: dict[str, Any]) -> bool:
    name = str(command.get("channel_name") or "")
    return (
        str(command.get("channel_id", "")).startswith("D")
        or name == "directmessage"
        or (name.startswith("mpdm-"))
    )
