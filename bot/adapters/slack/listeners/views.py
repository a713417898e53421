"""Modal submissions: a quiz answer written before the reveal, kept for feedback.

The modal closes at once (ack first); the card the person is looking at is then updated
through the response_url the modal carries, or tells them what went wrong.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.adapters.slack import render
from bot.adapters.slack.listeners.deps import Deps, explained
from bot.adapters.slack.refs import PLATFORM
from bot.core.errors import InputError, PracticeError
from bot.core.results import QuizCard
from bot.present import quiz

log = logging.getLogger(__name__)


def written_text(view: dict[str, Any]) -> str:
    values = view.get("state", {}).get("values", {})
    return str(values.get(render.ANSWER_BLOCK, {}).get(render.ANSWER_INPUT, {}).get("value") or "")


def register(app: AsyncApp, deps: Deps) -> None:
    async def save_answer(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
            quiz_id, card_url = int(metadata["quiz"]), metadata.get("card")
        except (ValueError, KeyError, TypeError):
            log.warning("a quiz answer came without its quiz; nothing saved")
            return
        if card_url is None:  # nowhere to reply (Slack always sends one from a message's button)
            try:
                await _save(deps, body, view, quiz_id)
            except PracticeError as error:
                log.info("quiz answer not saved quiz=%s: %s", quiz_id, error)
            return
        respond = AsyncRespond(response_url=str(card_url))
        async with explained(respond, "quiz answer", keep_original=True):
            card = await _save(deps, body, view, quiz_id)
            message = render.quiz_card(card, saved=True)
            await respond(
                text=message.text,
                blocks=message.blocks,
                response_type="ephemeral",
                replace_original=True,
            )

    app.view(render.ANSWER_MODAL)(save_answer)


async def _save(deps: Deps, body: dict[str, Any], view: dict[str, Any], quiz_id: int) -> QuizCard:
    text = written_text(view)
    if not text.strip():
        raise InputError(quiz.EMPTY_ANSWER)
    return await deps.engine.answer_quiz(PLATFORM, body["user"]["id"], text, quiz_id=quiz_id)
