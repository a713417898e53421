"""Buttons: the quiz card's "Show answer" replaces the card with the answer, still private."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.adapters.slack import render
from bot.adapters.slack.listeners.deps import Deps, explained
from bot.adapters.slack.refs import PLATFORM
from bot.core.errors import InputError


def register(app: AsyncApp, deps: Deps) -> None:
    async def show_answer(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        async with explained(respond, "show answer"):
            value = str(action.get("value", ""))
            if not value.isdigit():
                raise InputError("That button is out of date: ask for a new quiz with /quiz.")
            card = await deps.engine.reveal_quiz(PLATFORM, body["user"]["id"], int(value))
            message = render.quiz_answer(card)
            await respond(
                text=message.text,
                blocks=message.blocks,
                response_type="ephemeral",
                replace_original=True,
            )

    app.action(render.SHOW_ANSWER)(show_answer)
