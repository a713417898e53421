"""/quiz, /review, /leaderboard and /streak: private (ephemeral) replies for whoever typed them."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.pictures import LEADERBOARD_FILE, STREAK_FILE, Pictures
from bot.adapters.slack import files, render
from bot.adapters.slack.listeners.deps import Deps, command_channel, explained
from bot.adapters.slack.refs import PLATFORM
from bot.images import Picture
from bot.present import missed

log = logging.getLogger(__name__)
STREAK_TITLE = "Your streak calendar"

SENT_TO_DM = "It is in your direct messages with me."


def register(app: AsyncApp, deps: Deps) -> None:
    async def quiz(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        async with explained(respond, "/quiz"):
            words = (command.get("text") or "").split()
            if words and words[0].lower() == "missed":
                card = await deps.engine.quiz_missed(
                    PLATFORM, command["user_id"], channel=command_channel(command)
                )
            else:
                card = await deps.engine.quiz(
                    PLATFORM,
                    command["user_id"],
                    pack=words[0].lower() if words else None,
                    channel=command_channel(command),
                )
            message = render.quiz_card(card)
            await respond(text=message.text, blocks=message.blocks, response_type="ephemeral")

    drawn, uploaded = Pictures(), files.UploadedPictures()

    async def picture_block(
        client: AsyncWebClient, picture: Picture | None, filename: str, title: str
    ) -> list[dict[str, Any]]:
        """The picture as an image block; none when there is none or the upload failed (the
        text says the same)."""
        if picture is None:
            return []
        try:
            return [await uploaded.block(client, picture, filename=filename, title=title)]
        except Exception:
            log.exception("could not upload %s", filename)
            return []

    async def leaderboard(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        async with explained(respond, "/leaderboard"):
            words = (command.get("text") or "").split()
            channel, window = command_channel(command), words[0].lower() if words else None
            board = await deps.engine.leaderboard(
                channel, window=window, caller_id=command["user_id"]
            )
            message = render.leaderboard(board)
            picture = await drawn.leaderboard(
                deps.engine, channel, window=window, caller_id=command["user_id"]
            )
            image = await picture_block(client, picture, LEADERBOARD_FILE, message.text)
            await respond(
                text=message.text, blocks=[*message.blocks, *image], response_type="ephemeral"
            )

    async def streak(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        async with explained(respond, "/streak"):
            channel, user = command_channel(command), command["user_id"]
            view = await deps.engine.streak(channel, user)
            text = render.streak(view)
            picture = await drawn.streak(deps.engine, channel, user, command.get("user_name"))
            image = await picture_block(client, picture, STREAK_FILE, STREAK_TITLE)
            blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}, *image]
            await respond(text=text, blocks=blocks if image else None, response_type="ephemeral")

    async def review(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        async with explained(respond, "/review"):
            if (command.get("text") or "").strip().lower() == "export":
                await review_export(command["user_id"], respond, client)
                return
            stats = await deps.engine.review_stats(PLATFORM, command["user_id"])
            await respond(text=render.review_stats(stats), response_type="ephemeral")

    async def review_export(user: str, respond: AsyncRespond, client: AsyncWebClient) -> None:
        items = await deps.engine.missed_questions(PLATFORM, user)
        if not items:
            await respond(text=missed.NOTHING_TO_EXPORT, response_type="ephemeral")
            return
        day = deps.engine.now().date()
        note = missed.export_note(len(items))
        await files.send_to_person(
            client, user, filename=missed.export_name(day), title=missed.EXPORT_TITLE,
            content=missed.export_markdown(items, day).encode(), note=note,
        )  # fmt: skip
        await respond(text=f"{note} {SENT_TO_DM}", response_type="ephemeral")

    app.command("/quiz")(quiz)
    app.command("/review")(review)
    app.command("/leaderboard")(leaderboard)
    app.command("/streak")(streak)
