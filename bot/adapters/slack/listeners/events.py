"""Message events: thread replies are answers; edits and deletes follow the core's rules.

A reply is a message whose `thread_ts` is set and differs from its own `ts` (the
`message_replied` subtype is not reliably sent). Slack redelivers events, so each call passes
Slack's `event_id` and a message key the engine dedupes on. Bolt acknowledges an event
only once its listener returned (`process_before_response`): after the answer is stored.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.errors import reason
from bot.adapters.slack.listeners.deps import Deps
from bot.adapters.slack.refs import PLATFORM, message_key
from bot.core.results import IncomingMessage
from bot.present import receipts

log = logging.getLogger(__name__)

# Subtypes that are a person writing something new; everything else (joins, topics...) is not.
NEW_MESSAGE_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


def is_reply(message: dict[str, Any]) -> bool:
    thread_ts = message.get("thread_ts")
    return bool(thread_ts) and thread_ts != message.get("ts")


def from_a_bot(message: dict[str, Any]) -> bool:
    return bool(message.get("bot_id")) or message.get("subtype") == "bot_message"


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_edit(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        edited = event.get("message") or {}
        if from_a_bot(edited) or not is_reply(edited) or "ts" not in edited:
            return
        channel = event["channel"]
        result = await deps.engine.handle_edit(
            PLATFORM,
            message_key(channel, edited["ts"]),
            edited.get("text") or "",
            body.get("event_id"),
        )
        if result.truncated and edited.get("user"):
            await _tell_truncated(deps, client, channel, edited["user"], edited["thread_ts"])

    async def on_delete(event: dict[str, Any], body: dict[str, Any]) -> None:
        deleted = event.get("deleted_ts")
        if deleted:
            await deps.engine.handle_delete(
                PLATFORM, message_key(event["channel"], deleted), body.get("event_id")
            )

    async def on_message(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("subtype") not in NEW_MESSAGE_SUBTYPES or from_a_bot(event):
            return
        user = event.get("user")
        if not user or not is_reply(event):
            return
        channel = event["channel"]
        # Stored first, under the best name at hand: no Slack call stands before the answer.
        result = await deps.engine.handle_message(
            IncomingMessage(
                platform=PLATFORM,
                thread_id=message_key(channel, event["thread_ts"]),
                message_id=message_key(channel, event["ts"]),
                user_id=user,
                user_name=deps.users.name_now(user, event),
                text=event.get("text") or "",
                event_id=body.get("event_id"),
            )
        )
        if result.outcome is not None:

            async def rename(name: str) -> None:
                await deps.engine.rename_user(PLATFORM, user, name)

            deps.users.fill_in(user, rename)
        if result.truncated:
            await _tell_truncated(deps, client, channel, user, event["thread_ts"])

    # The specific subtypes first: Bolt runs the first listener that matches.
    app.event({"type": "message", "subtype": "message_changed"})(on_edit)
    app.event({"type": "message", "subtype": "message_deleted"})(on_delete)
    app.event("message")(on_message)


async def _tell_truncated(
    deps: Deps, client: AsyncWebClient, channel: str, user: str, thread_ts: str
) -> None:
    limit = deps.engine.settings.answer_limit
    try:
        await client.chat_postEphemeral(
            channel=channel,
            user=user,
            thread_ts=thread_ts,
            text=receipts.truncated(limit),
        )
    except Exception as error:
        log.warning("could not tell user=%s about a truncated answer: %s", user, reason(error))
