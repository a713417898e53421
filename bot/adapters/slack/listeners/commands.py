"""/quiz, /review, /leaderboard and /streak: private (ephemeral) replies for whoever typed them."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.adapters.slack import render
from bot.adapters.slack.listeners.deps import Deps, command_channel, explained
from bot.adapters.slack.refs import PLATFORM


def register(app: AsyncApp, deps: Deps) -> None:
    async def quiz(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        async with explained(respond, "/quiz"):
            words = (command.get("text") or "").split()
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

    async def review(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        async with explained(respond, "/review"):
            stats = await deps.engine.review_stats(PLATFORM, command["user_id"])
            await respond(text=render.review_stats(stats), response_type="ephemeral")

    app.command("/quiz")(quiz)
    app.command("/review")(review)
    app.command("/leaderboard")(leaderboard)
    app.command("/streak")(streak)
