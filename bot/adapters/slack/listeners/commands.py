"""/quiz, /review, /leaderboard and /streak: private (ephemeral) replies for whoever typed them."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import files, render
from bot.adapters.slack.listeners.deps import Deps, command_channel, explained
from bot.adapters.slack.refs import PLATFORM
from bot.present import missed

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

    async def leaderboard(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        async with explained(respond, "/leaderboard"):
            words = (command.get("text") or "").split()
            board = await deps.engine.leaderboard(
                command_channel(command),
                window=words[0].lower() if words else None,
                caller_id=command["user_id"],
            )
            message = render.leaderboard(board)
            await respond(text=message.text, blocks=message.blocks, response_type="ephemeral")

    async def streak(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        async with explained(respond, "/streak"):
            view = await deps.engine.streak(command_channel(command), command["user_id"])
            await respond(text=render.streak(view), response_type="ephemeral")

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
