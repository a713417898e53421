"""Questions from the team on Slack: `/practice suggest` opens a modal; each suggestion goes
to the review channel (`/practice config review-channel #x`), or else to a direct message to
whoever subscribed the channel; its Approve, Edit and Reject buttons check, on every click,
that the clicker is a workspace admin (or listed in PRACTICEBOT_SLACK_ADMINS)."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import suggestion_views as views
from bot.adapters.slack.clients import TeamClients
from bot.adapters.slack.errors import reason
from bot.adapters.slack.listeners.deps import Deps, explained
from bot.adapters.slack.refs import PLATFORM, channel_ref, message_key, message_ts
from bot.adapters.slack.render import show
from bot.core.errors import InputError, PracticeError
from bot.core.records import SuggestionRecord
from bot.core.suggestions import AuthorNote, draft
from bot.present import suggestions as words

log = logging.getLogger(__name__)


class SlackNotes:
    """Notes to authors as direct messages from the bot (of the suggestion's workspace)."""

    def __init__(self, clients: TeamClients) -> None:
        self._clients = clients

    async def tell_author(self, note: AuthorNote) -> None:
        client = await self._clients.for_team(note.suggestion.space_id)
        await client.chat_postMessage(
            channel=note.suggestion.author_id, text=show(words.note(note))
        )


async def open_suggest_modal(client: AsyncWebClient, trigger_id: str, team: str,
                             channel: str) -> None:  # fmt: skip
    modal = views.suggestion_modal({"team": team, "channel": channel})
    await client.views_open(trigger_id=trigger_id, view=modal)


def _fields(view: dict[str, Any]) -> Any:
    return draft(
        views.typed(view, views.QUESTION), views.typed(view, views.ANSWER),
        views.typed(view, views.KEY_POINTS), views.typed(view, views.PACK) or None,
        views.typed(view, views.DIFFICULTY) or None,
    )  # fmt: skip


async def _is_admin(deps: Deps, user_id: str) -> bool:
    if deps.users.listed_admin(user_id):
        return True
    user = await deps.users.lookup(user_id)
    return user is not None and user.is_admin


def register(app: AsyncApp, deps: Deps) -> None:
    engine = deps.engine

    async def refresh(client: AsyncWebClient, record: SuggestionRecord) -> None:
        """Redraw the queue message (buttons gone once decided)."""
        if record.review_ref is None:
            return
        message = views.queue_message(record)
        channel = record.review_ref.rpartition(":")[0]
        try:
            await client.chat_update(
                channel=channel, ts=message_ts(record.review_ref),
                text=message.text, blocks=message.blocks,
            )  # fmt: skip
        except Exception as error:
            log.warning("could not update the queue message suggestion=%s: %s",
                        record.id, reason(error))  # fmt: skip

    async def to_queue(client: AsyncWebClient, record: SuggestionRecord) -> None:
        channel = channel_ref(record.space_id, record.channel_id or "")
        target = await engine.review_channel(channel)
        if target is None:
            subscription = await engine.subscription(channel)
            target = subscription.subscribed_by if subscription else None
        if target is None:
            log.warning("suggestion=%s: no review channel and no subscriber", record.id)
            return
        message = views.queue_message(record)
        try:
            sent = await client.chat_postMessage(
                channel=target, text=message.text, blocks=message.blocks
            )
        except Exception as error:
            log.warning("could not post suggestion=%s for review: %s", record.id, reason(error))
            return
        where = str(sent.get("channel") or target)
        await engine.set_suggestion_review_ref(record.id, message_key(where, str(sent["ts"])))

    async def suggest(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        metadata = json.loads(view.get("private_metadata") or "{}")
        user = body["user"]["id"]
        channel = channel_ref(str(metadata.get("team", "")), str(metadata.get("channel", "")))
        try:
            person = await deps.users.lookup(user)
            name = person.name if person else user
            record = await engine.suggest(channel, user, name, _fields(view))
        except PracticeError as error:  # the modal stays open, with the problem under the question
            await ack(response_action="errors", errors={views.QUESTION: str(error)[:2000]})
            return
        await ack()
        try:
            await client.chat_postEphemeral(
                channel=channel.channel_id, user=user, text=show(words.receipt(record))
            )
        except Exception as error:
            log.warning("could not send the receipt suggestion=%s: %s", record.id, reason(error))
        await to_queue(client, record)

    async def decide(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:  # fmt: skip
        await ack()
        async with explained(respond, "suggestion review", keep_original=True):
            user = body["user"]["id"]
            if not await _is_admin(deps, user):
                await respond(text=words.NOT_ADMIN, response_type="ephemeral",
                              replace_original=False)  # fmt: skip
                return
            value = str(action.get("value", ""))
            if not value.isdigit():
                raise InputError(words.DECIDE_USAGE)
            space = (PLATFORM, str(body.get("team", {}).get("id", "")))
            record = await engine.suggestion(space, int(value))
            if action["action_id"] == views.APPROVE_ACTION:
                person = await deps.users.lookup(user)
                decision = await engine.approve_suggestion(
                    space, record.id, user, person.name if person else user
                )
                await respond(text=show(words.decided(decision.suggestion, decision.decided)),
                              response_type="ephemeral", replace_original=False)  # fmt: skip
                if decision.decided:
                    await refresh(client, decision.suggestion)
                return
            if record.decided_by is not None:
                await respond(text=show(words.decided(record, False)),
                              response_type="ephemeral", replace_original=False)  # fmt: skip
                return
            if action["action_id"] == views.EDIT_ACTION:
                modal = views.suggestion_modal({"suggestion": record.id}, record.fields, edit=True)
            else:
                modal = views.reject_modal(record.id)
            await client.views_open(trigger_id=body["trigger_id"], view=modal)

    async def edited(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await review_submission(ack, body, view, client, edit=True)

    async def rejected(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await review_submission(ack, body, view, client, edit=False)

    async def review_submission(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, *,
        edit: bool,
    ) -> None:  # fmt: skip
        user = body["user"]["id"]
        field = views.QUESTION if edit else views.REASON
        if not await _is_admin(deps, user):
            await ack(response_action="errors", errors={field: words.NOT_ADMIN})
            return
        suggestion_id = int(json.loads(view.get("private_metadata") or "{}")["suggestion"])
        space = (PLATFORM, str(body.get("team", {}).get("id", "")))
        try:
            if edit:
                decision = await engine.edit_suggestion(space, suggestion_id, _fields(view))
            else:
                person = await deps.users.lookup(user)
                decision = await engine.reject_suggestion(
                    space, suggestion_id, user, person.name if person else user,
                    views.typed(view, views.REASON),
                )  # fmt: skip
        except PracticeError as error:
            await ack(response_action="errors", errors={field: str(error)[:2000]})
            return
        if not decision.decided:
            await ack(response_action="errors",
                      errors={field: show(words.decided(decision.suggestion, False))})  # fmt: skip
            return
        await ack()
        await refresh(client, decision.suggestion)

    app.view(views.SUGGEST_MODAL)(suggest)
    app.view(views.EDIT_MODAL)(edited)
    app.view(views.REJECT_MODAL)(rejected)
    for action_id in (views.APPROVE_ACTION, views.EDIT_ACTION, views.REJECT_ACTION):
        app.action(action_id)(decide)
