"""The real Bolt app in HTTP mode on loopback, spoken to the way Slack speaks to it.

Requests are signed with a test signing secret; the app's Web API client points at FakeSlack;
time comes from the World's ManualClock. `process_before_response=True` means a request's
answer arrives only after its listener finished, so no test needs to poll.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.parse
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack import SlackAdapter, SlackConfig
from bot.adapters.slack.refs import PLATFORM, channel_ref, message_key
from bot.core.models import ChannelRef, Round
from tests.helpers import World
from tests.slack.fake_slack import BOT_TOKEN, TEAM, FakeSlack

SECRET = "test-signing-secret"
ADMIN = "UADMIN"  # a workspace admin, in Berlin
ALICE = "UALICE"
BOB = "UBOB"
LISTED = "ULISTED"  # not a workspace admin, but named in PRACTICEBOT_SLACK_ADMINS


@dataclass
class Reply:
    status: int
    body: str
    responses: list[dict[str, Any]]  # what the listener sent to the response_url

    @property
    def text(self) -> str:
        """Everything the person was shown, blocks included, as one string."""
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in self.responses)


class SlackHarness:
    def __init__(self, world: World, fake: FakeSlack, adapter: SlackAdapter) -> None:
        self.world = world
        self.fake = fake
        self.adapter = adapter
        self._events = itertools.count(1)
        self._ts = itertools.count(1)
        self._session = aiohttp.ClientSession()

    @classmethod
    async def open(cls, tmp_path: Path, *, mode_env: dict[str, str] | None = None) -> SlackHarness:
        world = await World.open(tmp_path / "bot.db")
        fake = FakeSlack()
        await fake.start()
        fake.add_user(ADMIN, "Ada", admin=True, tz="Europe/Berlin")
        fake.add_user(ALICE, "Alice")
        fake.add_user(BOB, "Bob")
        fake.add_user(LISTED, "Lee")
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "PRACTICEBOT_SLACK_PORT": "0",
            "PRACTICEBOT_SLACK_ADMINS": LISTED,
            **(mode_env or {}),
        }
        config = SlackConfig.from_env(env)
        assert config is not None
        adapter = SlackAdapter(
            world.engine, replace(config, host="127.0.0.1"), process_before_response=True
        )
        world.engine.add_publisher(PLATFORM, adapter.publisher)
        await adapter.start()
        return cls(world, fake, adapter)

    async def close(self) -> None:
        await self._session.close()
        await self.adapter.stop()
        await self.fake.close()
        await self.world.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}/slack/events"

    # -- signed requests --------------------------------------------------------------------

    async def send(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str = SECRET,
    ) -> tuple[int, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
        assert signature is not None
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
            **(headers or {}),
        }
        async with self._session.post(self.url, data=body.encode(), headers=signed) as response:
            return response.status, await response.text()

    async def command(
        self, name: str, text: str = "", *, user: str = ALICE, channel: str = "C1", **signing: Any
    ) -> Reply:
        hook = self.fake.new_hook()
        form = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "acme",
            "channel_id": channel,
            "channel_name": "general" if channel.startswith("C") else "directmessage",
            "user_id": user,
            "user_name": user.lower(),
            "command": name,
            "text": text,
            "api_app_id": "A1",
            "response_url": self.fake.hook_url(hook),
            "trigger_id": "trigger",
        }
        status, body = await self.send(
            urllib.parse.urlencode(form), "application/x-www-form-urlencoded", **signing
        )
        return Reply(status, body, self.fake.responses[hook])

    async def click(self, action_id: str, value: str, *, user: str = ALICE) -> Reply:
        hook = self.fake.new_hook()
        payload = {
            "type": "block_actions",
            "token": "legacy",
            "api_app_id": "A1",
            "team": {"id": TEAM, "domain": "acme"},
            "user": {"id": user, "team_id": TEAM, "username": user.lower()},
            "channel": {"id": "C1", "name": "general"},
            "container": {"type": "message", "is_ephemeral": True, "channel_id": "C1"},
            "trigger_id": "trigger",
            "response_url": self.fake.hook_url(hook),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "quiz",
                    "value": value,
                    "action_ts": "1764576000.000001",
                }
            ],
        }
        form = urllib.parse.urlencode({"payload": json.dumps(payload)})
        status, body = await self.send(form, "application/x-www-form-urlencoded")
        return Reply(status, body, self.fake.responses[hook])

    def event_body(self, event: dict[str, Any], event_id: str | None = None) -> str:
        return json.dumps(
            {
                "token": "legacy",
                "team_id": TEAM,
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._events):06d}",
                "event_time": 1764576000,
                "event": event,
                "authorizations": [
                    {"team_id": TEAM, "user_id": "UBOT", "is_bot": True, "enterprise_id": None}
                ],
            }
        )

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> int:
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else {}
        )
        status, _ = await self.send(
            self.event_body(event, event_id), "application/json", headers=headers
        )
        return status

    # -- messages as Slack sends them -------------------------------------------------------

    def new_ts(self) -> str:
        n = next(self._ts)
        return f"{1764590000 + n}.{n:06d}"

    def reply(
        self, round: Round, user: str, text: str, *, ts: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """A thread reply under a round's post, as a `message` event."""
        assert round.thread_id is not None
        channel, _, thread_ts = round.thread_id.partition(":")
        ts = ts or self.new_ts()
        return {
            "type": "message",
            "channel": channel,
            "channel_type": "channel",
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "thread_ts": thread_ts,
            "team": TEAM,
            **extra,
        }

    async def answer(self, round: Round, user: str, text: str, **extra: Any) -> dict[str, Any]:
        event = self.reply(round, user, text, **extra)
        assert await self.event(event) == 200
        return event

    # -- reading state ----------------------------------------------------------------------

    def channel(self, channel_id: str = "C1") -> ChannelRef:
        return channel_ref(TEAM, channel_id)

    async def open_round(self, channel_id: str = "C1") -> Round:
        status = await self.world.engine.status(self.channel(channel_id))
        assert status.open_round is not None
        return status.open_round

    def posts(self, channel_id: str | None = None) -> list[dict[str, Any]]:
        return [
            c.params
            for c in self.fake.calls_to("chat.postMessage")
            if channel_id is None or c.params.get("channel") == channel_id
        ]

    async def answer_text(self, round: Round, user: str) -> str:
        return await self.world.store.answer_text(round.id, user)


def key(event: dict[str, Any]) -> str:
    return message_key(event["channel"], event["ts"])
