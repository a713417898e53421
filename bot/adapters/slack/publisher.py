"""The Slack adapter's outbound side: rounds and reveals through chat.postMessage, and each
opted-in answerer's feedback through chat.postEphemeral.

Slack's refusals become PublishError so the engine can flag or pause the subscription; when
the bot is not in the channel, the admin who subscribed it is told directly.
"""

from __future__ import annotations

import logging
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
from bot.core.ports import DELIVERY_EVENT, PostedRef, RecapPost, RevealPost, RoundPost
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
        await self._send_feedback(reveal, thread_ts)

    async def post_recap(self, recap: RecapPost) -> None:
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
        await self._post(recap.subscription, text=f"{title}\n{body}", blocks=blocks)
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

    async def _send_feedback(self, reveal: RevealPost, thread_ts: str) -> None:
        """Each opted-in answerer's feedback, visible to them alone, in the round's thread.

        The reveal is already out: a note Slack refuses is logged, and the others still go.
        """
        channel = reveal.subscription.channel.channel_id
        for user, feedback in reveal.feedback.items():
            note = render.daily_feedback(reveal, feedback)
            try:
                client = await self._client(reveal.subscription)
                await client.chat_postEphemeral(
                    channel=channel,
                    user=user,
                    thread_ts=thread_ts,
                    text=note.text,
                    blocks=note.blocks,
                )
            except Exception as error:
                log.warning(
                    "could not send feedback channel=%s user=%s: %s",
                    reveal.subscription.channel.key,
                    user,
                    reason(error),
                )

    async def _post(self, subscription: Subscription, **message: Any) -> dict[str, Any]:
        channel = subscription.channel.channel_id
        client = await self._client(subscription)
        try:
            response = await client.chat_postMessage(
                channel=channel, unfurl_links=False, unfurl_media=False, **message
            )
        except SlackApiError as error:
            failure = publish_error(reason(error))
            if error.response.status_code == 429:
                failure = PublishError(
                    PublishFailure.TRANSIENT, "Slack is rate limiting the bot (429).",
                    retry_after=_retry_after(error),
                )  # fmt: skip
            await self._tell_subscriber(subscription, failure)
            raise failure from error
        except (TimeoutError, aiohttp.ClientError) as error:
            raise PublishError(
                PublishFailure.TRANSIENT, f"Slack could not be reached ({type(error).__name__})."
            ) from error
        return dict(response.data) if isinstance(response.data, dict) else {}

    async def _tell_subscriber(self, subscription: Subscription, failure: PublishError) -> None:
        """A direct message to whoever subscribed the channel, once per new problem."""
        if failure.failure not in (PublishFailure.NOT_IN_CHANNEL, PublishFailure.FORBIDDEN):
            return
        user = subscription.subscribed_by
        if not user or subscription.problem == failure.detail:
            return
        channel = subscription.channel.channel_id
        try:
            client = await self._client(subscription)
            await client.chat_postMessage(
                channel=user,
                text=render.show(
                    admin.post_failed_notice((Native(f"<#{channel}>"),), failure.detail)
                ),
            )
        except Exception as error:
            log.warning(
                "could not tell the subscriber channel=%s: %s",
                subscription.channel.key,
                reason(error),
            )


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

