"""The Slack adapter's outbound side: rounds, reveals and the weekly recap through
chat.postMessage (with the delivery in their metadata), the admin's notice as a direct message,
and each opted-in answerer's feedback through chat.postEphemeral in the round's thread.

Slack's refusals become PublishError so the outbox can flag or pause the subscription (and
write the admin's notice: the core does, once per new problem).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import render
from bot.adapters.slack.clients import NotInstalledError, TeamClients
from bot.adapters.slack.errors import reason
from bot.adapters.slack.refs import message_key, message_ts
from bot.core.errors import PublishError, PublishFailure
from bot.core.models import Subscription
from bot.core.ports import (
    DELIVERY_EVENT,
    FeedbackPost,
    NoticePost,
    PostedRef,
    RecapPost,
    RevealPost,
    RoundPost,
)
from bot.present import admin
from bot.present import recap as recap_words
from bot.present.admin import APP_UNINSTALLED
from bot.present.parts import Native

__all__ = ["INVITE_HINT", "SlackPublisher", "publish_error", "reason"]
log = logging.getLogger(__name__)

INVITE_HINT = (
    "invite me with `/invite @practicebot`, then `/practice post-now` posts today's question"
)

RECAP_QUIZ = "recap_quiz"  # the recap's "Quiz me on it" button; its value is the question id

_GONE = {"channel_not_found", "is_archived"}
_FORBIDDEN = {
    "restricted_action",
    "restricted_action_read_only_channel",
    "restricted_action_thread_only_channel",
    "restricted_action_non_threadable_channel",
    "ekm_access_denied",
    "access_denied",
    "missing_scope",
    "not_allowed_token_type",
    "team_access_not_granted",
    "invalid_auth",
    "account_inactive",
    "token_revoked",
    "token_expired",
}


def publish_error(code: str) -> PublishError:
    """A Slack error code as the core's PublishError, with a detail an admin can act on."""
    if code == "not_in_channel":
        return PublishError(
            PublishFailure.NOT_IN_CHANNEL,
            f"I am not a member of this channel (Slack said not_in_channel): {INVITE_HINT}.",
        )
    if code in _GONE:
        return PublishError(
            PublishFailure.CHANNEL_GONE,
            f"Slack said {code}: the channel is archived or deleted, or it is private and I "
            "was never invited. The subscription is paused; `/practice subscribe` resumes it.",
        )
    if code == "user_not_in_channel":  # an ephemeral note for someone who left the channel
        return PublishError(
            PublishFailure.FORBIDDEN, "Slack said user_not_in_channel: they left the channel."
        )
    if code in _FORBIDDEN:
        return PublishError(
            PublishFailure.FORBIDDEN, f"Slack refused the post ({code}): I may not post here."
        )
    return PublishError(PublishFailure.TRANSIENT, f"Slack could not take the post ({code}).")


class SlackPublisher:
    def __init__(self, clients: TeamClients | AsyncWebClient) -> None:
        self._clients = clients if isinstance(clients, TeamClients) else TeamClients(clients)

    async def _client(self, subscription: Subscription) -> AsyncWebClient:
        """The client of the channel's workspace (its space id is the Slack team id). With
        the app uninstalled there, a permanent refusal: the outbox parks the delivery until
        a reinstall resumes the channel, instead of retrying it."""
        try:
            return await self._clients.for_team(subscription.channel.space_id)
        except NotInstalledError as error:
            raise PublishError(PublishFailure.FORBIDDEN, APP_UNINSTALLED) from error

    async def post_round(self, post: RoundPost) -> PostedRef:
        channel = post.subscription.channel.channel_id
        message = render.round_post(post)
        response = await self._post(
            post.subscription, text=message.text, blocks=message.blocks,
            **_metadata(post.delivery_id),
        )  # fmt: skip
        key = message_key(channel, str(response["ts"]))
        return PostedRef(message_id=key, thread_id=key)

    async def post_reveal(self, reveal: RevealPost) -> None:
        if reveal.round.thread_id is None:
            raise PublishError(PublishFailure.TRANSIENT, "the round has no thread to reply in")
        message = render.reveal(reveal)
        thread_ts = message_ts(reveal.round.thread_id)
        await self._post(
            reveal.subscription, text=message.text, blocks=message.blocks, thread_ts=thread_ts,
            **_metadata(reveal.delivery_id),
        )  # fmt: skip

    async def post_recap(self, recap: RecapPost) -> PostedRef:
        """The weekly recap, a message of its own in the channel (before the question)."""
        body = "\n".join(render.show(line) for line in recap_words.lines(recap))
        title = recap_words.title(recap)
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body[:3000]}},
        ]
        if recap.most_missed is not None:
            blocks.append({
                "type": "actions",
                "elements": [{
                    "type": "button", "action_id": RECAP_QUIZ,
                    "text": {"type": "plain_text", "text": recap_words.QUIZ_ME},
                    "value": recap.most_missed.id[:2000],
                }],
            })  # fmt: skip
        response = await self._post(
            recap.subscription, text=f"{title}\n{body}", blocks=blocks,
            **_metadata(recap.delivery_id),
        )  # fmt: skip
        key = message_key(recap.subscription.channel.channel_id, str(response["ts"]))
        return PostedRef(message_id=key, thread_id=key)

    async def send_notice(self, notice: NoticePost) -> PostedRef:
        """The channel's problem, as a direct message to whoever subscribed it (posting to a
        user id opens the app's DM with them). At least once: not looked up after a crash."""
        channel = notice.subscription.channel.channel_id
        words = admin.problem_notice(
            (Native(f"<#{channel}>"),), notice.problem, paused=notice.paused
        )
        response = await self._call(
            (await self._client(notice.subscription)).chat_postMessage, channel=notice.admin_id, text=render.show(words)
        )
        where = str(response.get("channel") or notice.admin_id)
        return PostedRef(message_key(where, str(response.get("ts", ""))), "")

    async def send_feedback(self, post: FeedbackPost) -> PostedRef:
        """One opted-in answerer's feedback, visible to them alone, in the round's thread. At
        least once: an ephemeral message cannot be looked up."""
        if post.round.thread_id is None:
            raise PublishError(PublishFailure.TRANSIENT, "the round has no thread to reply in")
        note = render.daily_feedback(post, post.feedback)
        response = await self._call(
            (await self._client(post.subscription)).chat_postEphemeral,
            channel=post.subscription.channel.channel_id,
            user=post.user_id, thread_ts=message_ts(post.round.thread_id), text=note.text,
            blocks=note.blocks,
        )  # fmt: skip
        return PostedRef(str(response.get("message_ts", "")), post.round.thread_id)
    async def find_delivery(
        self,
        subscription: Subscription,
        delivery_id: int,
        thread_id: str | None,
        since: datetime,
    ) -> PostedRef | None:
        """The bot's message carrying `delivery_id` in its metadata, posted since `since`: one
        conversations.history call (conversations.replies for a reply in a thread), from the
        claim time on. Both are Tier 3 for internal apps; apps distributed outside the
        Marketplace get 1 call a minute and 15 messages: `limit=15` fits both."""
        channel = subscription.channel.channel_id
        oldest = f"{since.timestamp() - 1:.6f}"
        client = await self._client(subscription)
        try:
            if thread_id is None:
                response = await client.conversations_history(
                    channel=channel, oldest=oldest, include_all_metadata=True, limit=15
                )
            else:
                response = await client.conversations_replies(
                    channel=channel, ts=message_ts(thread_id), oldest=oldest,
                    include_all_metadata=True, limit=15,
                )  # fmt: skip
        except SlackApiError as error:
            raise publish_error(reason(error)) from error
        except (TimeoutError, aiohttp.ClientError) as error:
            raise PublishError(
                PublishFailure.TRANSIENT, f"Slack could not be reached ({type(error).__name__})."
            ) from error
        data = response.data if isinstance(response.data, dict) else {}
        for found in data.get("messages", []):
            metadata = found.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == DELIVERY_EVENT
                and str(payload.get("delivery_id")) == str(delivery_id)
            ):
                key = message_key(channel, str(found["ts"]))
                return PostedRef(message_id=key, thread_id=thread_id or key)
        return None

    async def _post(self, subscription: Subscription, **message: Any) -> dict[str, Any]:
        return await self._call(
            (await self._client(subscription)).chat_postMessage,
            channel=subscription.channel.channel_id,
            unfurl_links=False, unfurl_media=False, **message,
        )  # fmt: skip

    async def _call(self, method: Callable[..., Awaitable[Any]], **args: Any) -> dict[str, Any]:
        """A Web API call; Slack's refusals as PublishError."""
        try:
            response = await method(**args)
        except SlackApiError as error:
            failure = publish_error(reason(error))
            if error.response.status_code == 429:
                failure = PublishError(
                    PublishFailure.TRANSIENT, "Slack is rate limiting the bot (429).",
                    retry_after=_retry_after(error),
                )  # fmt: skip
            raise failure from error
        except (TimeoutError, aiohttp.ClientError) as error:
            raise PublishError(
                PublishFailure.TRANSIENT, f"Slack could not be reached ({type(error).__name__})."
            ) from error
        return dict(response.data) if isinstance(response.data, dict) else {}


def _metadata(delivery_id: int | None) -> dict[str, Any]:
    """Slack message metadata naming the delivery: how a delivery in doubt is found again."""
    if delivery_id is None:
        return {}
    return {
        "metadata": {"event_type": DELIVERY_EVENT, "event_payload": {"delivery_id": delivery_id}}
    }


def _retry_after(error: SlackApiError) -> float | None:
    value = (error.response.headers or {}).get("Retry-After") or (
        error.response.headers or {}
    ).get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None

