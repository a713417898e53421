"""The answers of a kill test: thread replies as Slack sends them, signed, to a bot process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.kill.process import SECRET
from tests.slack.fake_slack import TEAM


@dataclass
class Answer:
    channel: str
    user: str
    ts: str
    thread_ts: str
    event_id: str
    day: date
    acked: bool = False

    @property
    def text(self) -> str:
        return f"answer {self.event_id}: gradient descent with momentum"

    def event(self) -> dict[str, Any]:
        """The `message` event of this thread reply."""
        return {
            "type": "message", "channel": self.channel, "channel_type": "channel",
            "user": self.user, "text": self.text, "ts": self.ts, "event_ts": self.ts,
            "thread_ts": self.thread_ts, "team": TEAM,
        }  # fmt: skip


async def deliver(
    session: aiohttp.ClientSession | None, url: str, answer: Answer, *, retry: bool = False
) -> int:
    """Send the answer's event as Slack does (signed; `retry`: as Slack's first retry); the
    HTTP status, or 0 when the bot went away before answering."""
    body = json.dumps(
        {
            "token": "legacy", "team_id": TEAM, "api_app_id": "A1",
            "type": "event_callback", "event_id": answer.event_id,
            "event_time": int(float(answer.ts)), "event": answer.event(),
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
        }
    )  # fmt: skip
    stamp = str(int(datetime.now(UTC).timestamp()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    assert signature is not None and session is not None
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    if retry:
        headers |= {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    try:
        async with session.post(url, data=body.encode(), headers=headers) as reply:
            await reply.read()
            return reply.status
    except (aiohttp.ClientError, ConnectionError):
        return 0  # as Slack sees a timeout: it will send the event again
