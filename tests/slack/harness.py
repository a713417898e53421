"""The real Bolt app in HTTP mode on loopback, spoken to the way Slack speaks to it.

Requests are signed with a test signing secret; the app's Web API client points at FakeSlack;
time comes from the World's ManualClock. `process_before_response=True` means a request's
answer arrives only after its listener finished, so no test needs to poll.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack import SlackAdapter, SlackConfig
from bot.adapters.slack.refs import PLATFORM, channel_ref, message_key
from bot.core.engine import Engine, EngineSettings
from bot.core.models import ChannelRef, Round
from bot.core.ports import StoreOpener
from bot.grading.base import Feedback, Grader, KeyPointVerdict
from bot.scheduler import ManualScheduler
from bot.store import SqliteStore
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
    responses: list[dict[str, Any]]  # what the listener sent to the response_url (live)
    hook: str = ""  # the response_url's hook in FakeSlack, to wait for what arrives later

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
    async def open(
        cls,
        tmp_path: Path,
        *,
        mode_env: dict[str, str] | None = None,
        grader: Grader | None = None,
        ack_first: bool = False,
        open_store: StoreOpener = SqliteStore.open,
    ) -> SlackHarness:
        """`grader`: the engine grades written answers with it (no fuzz in review intervals).
        `ack_first`: Bolt answers each request as soon as its listener acks, as in production;
        what the listener sends afterwards arrives later (see FakeSlack.wait_responses)."""
        world = await World.open(tmp_path / "bot.db", start=False, open_store=open_store)
        if grader is not None:
            world.engine = Engine(
                world.store,
                world.bank,
                world.clock,
                EngineSettings(review_fuzz=False),
                rng=random.Random(7),
                grader=grader,
            )
            world.scheduler = ManualScheduler(world.engine, world.clock)
        await world.scheduler.start()
        fake = FakeSlack()
        await fake.start()
        fake.add_user(ADMIN, "Ada", admin=True, tz="Europe/Berlin")
        fake.add_user(ALICE, "Alice")
        fake.add_user(BOB, "Bob")
        fake.add_user(LISTED, "Lee")
        every = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "PRACTICEBOT_SLACK_PORT": "0",
            "PRACTICEBOT_SLACK_ADMINS": LISTED,
            **(mode_env or {}),
        }
        env = {name: value for name, value in every.items() if value}  # "" in mode_env: unset
        config = SlackConfig.from_env(env)
        assert config is not None
        adapter = SlackAdapter(
            world.engine, replace(config, host="127.0.0.1"), process_before_response=not ack_first
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
        self, name: str, text: str = "", *, user: str = ALICE, channel: str = "C1",
        team: str = TEAM, **signing: Any,
    ) -> Reply:  # fmt: skip
        hook = self.fake.new_hook()
        form = {
            "token": "legacy",
            "team_id": team,
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
        return Reply(status, body, self.fake.responses[hook], hook)

    async def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = ALICE,
        message_ts: str | None = None,
        thread_ts: str | None = None,
    ) -> Reply:
        """A button on a private card, or (with `message_ts`) on a message everyone sees in C1;
        `thread_ts` when that message is a reply in a thread (Slack sends it in both places).

        The Reply's `responses` is the hook's live list: what the listener (or a later modal
        submission holding the same response_url) sends to it shows up there.
        """
        hook = self.fake.new_hook()
        container: dict[str, Any] = {"type": "message", "is_ephemeral": True, "channel_id": "C1"}
        message: dict[str, Any] = {}
        if message_ts is not None:
            container = {**container, "is_ephemeral": False, "message_ts": message_ts}
            message = {"message": {"type": "message", "ts": message_ts, "user": "UBOT"}}
            if thread_ts is not None:
                container["thread_ts"] = thread_ts
                message["message"]["thread_ts"] = thread_ts
        payload = {
            "type": "block_actions",
            "token": "legacy",
            "api_app_id": "A1",
            "team": {"id": TEAM, "domain": "acme"},
            "user": {"id": user, "team_id": TEAM, "username": user.lower()},
            "channel": {"id": "C1", "name": "general"},
            "container": container,
            **message,
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
        return Reply(status, body, self.fake.responses[hook], hook)

    async def submit(
        self, view: dict[str, Any], values: dict[str, str], *, user: str = ALICE
    ) -> int:
        """A modal as opened through views.open, submitted with `values` typed into its inputs
        (input block id → text); the HTTP status of Slack's request."""
        return (await self.submit_reply(view, values, user=user))[0]

    async def submit_reply(
        self, view: dict[str, Any], values: dict[str, str], *, user: str = ALICE
    ) -> tuple[int, str]:
        """As `submit`, with the body of the answer (e.g. a response_action with errors)."""
        state: dict[str, dict[str, Any]] = {}
        for block in view["blocks"]:
            if block["type"] == "input":
                element = block["element"]
                typed = {"type": element["type"], "value": values.get(block["block_id"])}
                state[block["block_id"]] = {element["action_id"]: typed}
        payload = {
            "type": "view_submission",
            "token": "legacy",
            "api_app_id": "A1",
            "team": {"id": TEAM, "domain": "acme"},
            "user": {"id": user, "team_id": TEAM, "username": user.lower()},
            "trigger_id": "trigger-submit",
            "view": {**view, "team_id": TEAM, "state": {"values": state}, "hash": "h1"},
            "response_urls": [],
        }
        form = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return await self.send(form, "application/x-www-form-urlencoded")

    def opened_views(self) -> list[dict[str, Any]]:
        """The modals the app opened, as Slack holds them."""
        return [
            call.answer["view"] for call in self.fake.calls_to("views.open") if call.answer["ok"]
        ]

    def event_body(
        self, event: dict[str, Any], event_id: str | None = None, team: str = TEAM
    ) -> str:
        return json.dumps(
            {
                "token": "legacy",
                "team_id": team,
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._events):06d}",
                "event_time": 1764576000,
                "event": event,
                "authorizations": [
                    {"team_id": team, "user_id": "UBOT", "is_bot": True, "enterprise_id": None}
                ],
            }
        )

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
        settle: bool = True,
        team: str = TEAM,
    ) -> int:
        """Deliver an event; with `settle`, also wait for the name look-ups it started in the
        background (in Slack they finish long before any reveal; here time is simulated)."""
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else {}
        )
        status, _ = await self.send(
            self.event_body(event, event_id, team), "application/json", headers=headers
        )
        if settle:
            await self.adapter.users.settle()
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
        self.fake.record_event(event)  # written in Slack, so history methods return it
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


class OrdinalGrader:
    """A grader for tests: the fixture bank's key points read "The first point about …", "The
    second point …"; a point is covered when the answer names its ordinal word."""

    name = "ordinal"

    async def grade(self, key_points: Sequence[str], answer: str, reference: str = "") -> Feedback:
        words = set(re.findall(r"[a-z]+", answer.lower()))
        return Feedback.from_verdicts(
            [KeyPointVerdict(point, point.split()[1].lower() in words, 1.0) for point in key_points]
        )


def rating_buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """A message's Again / Hard / Good / Easy buttons, in order."""
    return [
        element
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(("practicebot_rate_quiz_", "practicebot_rate_round_"))
    ]


def button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    """The one button with this action id in a message's blocks."""
    found: list[dict[str, Any]] = [
        element
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    ]
    [only] = found
    return only


def key(event: dict[str, Any]) -> str:
    return message_key(event["channel"], event["ts"])
