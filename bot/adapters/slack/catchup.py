"""Reading back a round's Slack thread after a restart or a reconnect (`ThreadReader`).

`conversations.replies` from the newest reply read so far (or the post), `limit` and cursor
pages. Its limits (Slack's method page, checked 2026-12-01): Tier 3 (50+ a minute) for internal
and Marketplace apps; 1 request a minute with `limit` at most (and by default) 15 for apps
distributed outside the Marketplace (new installs since 2025-05-29, existing ones since
2026-03-03). `PRACTICEBOT_SLACK_HISTORY_PER_MINUTE` sets the budget; the default, 1, fits both.

The reader uses a Web API client of its own without slack_sdk's 429 retry handler: the catch-up
(`bot.core.catchup`) waits Retry-After out on its own clock, between its other reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.clients import NotInstalledError, TeamClients
from bot.adapters.slack.errors import error_code, reason
from bot.adapters.slack.listeners.events import NEW_MESSAGE_SUBTYPES, from_a_bot, is_reply
from bot.adapters.slack.publisher import publish_error
from bot.adapters.slack.refs import PLATFORM, message_key
from bot.adapters.slack.users import SlackUsers
from bot.core.catchup import ReadRefused, ReadThrottled, ThreadPage
from bot.core.engine import Engine
from bot.core.errors import PublishFailure
from bot.core.models import Round
from bot.core.results import AnswerResult, IncomingMessage

STRICT_LIMIT = 15  # messages a page outside the Marketplace (also its default)
TIER_3_LIMIT = 200  # a page for internal and Marketplace apps (Slack allows up to 1,000)


def written_at(ts: str) -> datetime:
    """A Slack `ts` is when the message was written, in POSIX seconds."""
    return datetime.fromtimestamp(float(ts), UTC)


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds or 0), int(micros.ljust(6, "0")[:6] or 0)


class SlackThreadReader:
    def __init__(
        self, engine: Engine, users: SlackUsers, clients: TeamClients, per_minute: int
    ) -> None:
        self._engine = engine
        self._users = users
        self._clients = clients
        self._readers: dict[str, AsyncWebClient] = {}  # by token: the same, without retries
        self._limit = STRICT_LIMIT if per_minute <= 1 else TIER_3_LIMIT

    async def _client(self, round: Round) -> AsyncWebClient:
        """The round's workspace's token, on a client without the 429 retry handler."""
        team = await self._engine.space_of_round(round)
        try:
            posting = await self._clients.for_team(team)
        except NotInstalledError as error:
            raise ReadRefused(str(error)) from None
        token = posting.token or ""
        reader = self._readers.get(token)
        if reader is None:
            reader = AsyncWebClient(token=token, base_url=posting.base_url, timeout=posting.timeout)
            self._readers[token] = reader
        return reader

    def channel(self, round: Round) -> str:
        return (round.thread_id or "").partition(":")[0]

    async def read(self, round: Round, start: str | None, page: str | None) -> ThreadPage:
        channel, _, post_ts = (round.thread_id or "").partition(":")
        oldest = start or post_ts
        client = await self._client(round)
        try:
            response = await client.conversations_replies(
                channel=channel, ts=post_ts, oldest=oldest, inclusive=False, limit=self._limit,
                cursor=page,
            )  # fmt: skip
        except SlackApiError as error:
            raise self._failure(error) from None
        messages: list[dict[str, Any]] = list(response.get("messages") or [])
        # Slack returns the post itself on the first page, whatever `oldest` says.
        after = [m for m in messages if _ts_key(str(m.get("ts", "0"))) > _ts_key(oldest)]
        newest = max((str(m["ts"]) for m in after), key=_ts_key, default=None)
        meta = response.get("response_metadata") or {}
        cursor = meta.get("next_cursor") if response.get("has_more") else None
        answers = [a for a in (self._incoming(round, channel, m) for m in after) if a]
        return ThreadPage(answers, newest, str(cursor) if cursor else None)

    def stored(self, page: ThreadPage, results: Sequence[AnswerResult]) -> None:
        """Names come after storage, as for live answers."""
        for message, result in zip(page.messages, results, strict=True):
            if result.outcome is not None:
                user = message.user_id

                async def rename(name: str, user: str = user) -> None:
                    await self._engine.rename_user(PLATFORM, user, name)

                self._users.fill_in(user, rename)

    def _incoming(
        self, round: Round, channel: str, message: dict[str, Any]
    ) -> IncomingMessage | None:
        """What the live listener would store for this message, with when it was written."""
        if message.get("subtype") not in NEW_MESSAGE_SUBTYPES or from_a_bot(message):
            return None
        user = message.get("user")
        if not user or not is_reply(message):
            return None
        key = message_key(channel, str(message["ts"]))
        edited = message.get("edited")
        edit_ts = edited.get("ts") if isinstance(edited, dict) else None
        return IncomingMessage(
            platform=PLATFORM,
            thread_id=str(round.thread_id),
            message_id=key,
            user_id=str(user),
            user_name=self._users.name_now(str(user), message),
            text=str(message.get("text") or ""),
            written_at=written_at(str(message["ts"])),
            edit_id=f"edit-{key}-{edit_ts}" if edit_ts else None,
        )

    @staticmethod
    def _failure(error: SlackApiError) -> Exception:
        status = getattr(error.response, "status_code", None)
        if status == 429:
            headers = getattr(error.response, "headers", None) or {}
            value = headers.get("Retry-After") or headers.get("retry-after") or "60"
            try:
                return ReadThrottled(max(float(value), 1.0))
            except ValueError:
                return ReadThrottled(60.0)
        code = error_code(error)
        # What would stop a post stops a read too (not in the channel, no access, gone).
        refused = publish_error(code).failure is not PublishFailure.TRANSIENT
        if refused or code == "thread_not_found" or status in (403, 404):
            return ReadRefused(reason(error))
        return RuntimeError(f"conversations.replies failed: {reason(error)}")
