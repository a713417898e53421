"""Buttons. The quiz card: "Write an answer" opens a modal, "Show answer" turns the card into
the answer (still private), and its rating buttons schedule the question's next review. The
reveal's rating buttons do the same for a daily round, answered privately."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import render
from bot.adapters.slack.errors import reason
from bot.adapters.slack.listeners.deps import Deps, explained
from bot.adapters.slack.publisher import RECAP_QUIZ
from bot.adapters.slack.refs import PLATFORM
from bot.core.errors import InputError, PracticeError
from bot.present import quiz

log = logging.getLogger(__name__)

OUT_OF_DATE = render.show(quiz.quiz_out_of_date(render.WORDS))


def button_id(action: dict[str, Any], out_of_date: str = OUT_OF_DATE) -> int:
    """The quiz or round id a button carries (before any ':')."""
    value = str(action.get("value", "")).partition(":")[0]
    if not value.isdigit():
        raise InputError(out_of_date)
    return int(value)


def thread_of(body: dict[str, Any]) -> str | None:
    """The thread of the message a button is on: its own thread, or the message itself when it
    starts one (None when Slack sent neither)."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    thread_ts = (
        container.get("thread_ts")
        or message.get("thread_ts")
        or container.get("message_ts")
        or message.get("ts")
    )
    return str(thread_ts) if thread_ts else None


def register(app: AsyncApp, deps: Deps) -> None:
    engine = deps.engine

    async def show_answer(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        async with explained(respond, "show answer", keep_original=True):
            card = await engine.reveal_quiz(PLATFORM, body["user"]["id"], button_id(action))
            message = render.quiz_answer(card)
            await respond(
                text=message.text,
                blocks=message.blocks,
                response_type="ephemeral",
                replace_original=True,
            )

    async def write_answer(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        async with explained(respond, "write answer", keep_original=True):
            quiz_id = button_id(action)
            question_id = str(action.get("value", "")).partition(":")[2]
            modal = render.answer_modal(
                quiz_id, engine.question(question_id), body.get("response_url")
            )
            try:  # the trigger id is good for three seconds: open the modal before anything slow
                await client.views_open(trigger_id=body["trigger_id"], view=modal)
            except SlackApiError as error:
                log.warning("could not open the answer modal: %s", reason(error))
                raise PracticeError(
                    "Slack did not open the answer box. Click *Write an answer* again."
                ) from error

    async def rate_quiz(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        async with explained(respond, "quiz rating", keep_original=True):
            user, quiz_id = body["user"]["id"], button_id(action)
            rated = await engine.rate_quiz(
                PLATFORM, user, render.rating_of(action["action_id"]), quiz_id
            )
            # The answer stays on screen; only its buttons give way to the rating made. Reveal
            # again to draw it (that changes nothing): Slack sends no copy of private messages.
            card = await engine.reveal_quiz(PLATFORM, user, quiz_id)
            message = render.quiz_answer(card, render.rated_line(rated, engine.now()))
            await respond(
                text=message.text,
                blocks=message.blocks,
                response_type="ephemeral",
                replace_original=True,
            )

    async def rate_round(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        async with explained(respond, "round rating", keep_original=True):
            round_id = button_id(action, quiz.OUT_OF_DATE)
            rated = await engine.rate_round(
                PLATFORM, body["user"]["id"], round_id, render.rating_of(action["action_id"])
            )
            # The reveal is everyone's message: the result goes to the one who clicked, in the
            # round's thread, where the reveal is (not in the channel).
            await respond(
                text=render.round_rated(rated, engine.now()),
                response_type="ephemeral",
                replace_original=False,
                thread_ts=thread_of(body),
            )

    async def recap_quiz(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        """The weekly recap's "Quiz me on it": that question as a private quiz."""
        await ack()
        async with explained(respond, "recap quiz", keep_original=True):
            card = await engine.quiz_question(
                PLATFORM, body["user"]["id"], str(action.get("value", ""))
            )
            message = render.quiz_card(card)
            await respond(
                text=message.text, blocks=message.blocks, response_type="ephemeral",
                replace_original=False,
            )  # fmt: skip

    app.action(RECAP_QUIZ)(recap_quiz)
    app.action(render.SHOW_ANSWER)(show_answer)
    app.action(render.WRITE_ANSWER)(write_answer)
    app.action(render.RATE_QUIZ_ACTIONS)(rate_quiz)
    app.action(render.RATE_ROUND_ACTIONS)(rate_round)
