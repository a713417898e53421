"""A loopback stand-in for Slack's side: the Web API, response_url hooks and a Socket Mode socket.

It records every call and answers the way Slack does: `ok`, increasing `ts` values, and errors
(`not_in_channel`...) when a test asks for them. slack_sdk sends some methods (users.info) as
GET with query parameters, others as a form or JSON body: all of them are read.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
TEAM = "T1"
BOT_USER = "UBOT"
BOT_ID = "BBOT"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str
    answer: dict[str, Any] = field(default_factory=dict)  # what the fake replied


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    responses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: dict[tuple[str, str | None], str] = field(default_factory=dict)
    acks: list[dict[str, Any]] = field(default_factory=list)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _hooks: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _socket: web.WebSocketResponse | None = None
    _socket_ready: asyncio.Event = field(default_factory=asyncio.Event)
    _ack_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _response_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _call_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    base: str = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{hook}", self._respond)
        app.router.add_get("/socket", self._websocket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    # -- what tests set up and read ---------------------------------------------------------

    def add_user(
        self, user_id: str, name: str, *, admin: bool = False, owner: bool = False, tz: str = "UTC"
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM,
            "name": name.lower(),
            "real_name": name,
            "tz": tz,
            "is_admin": admin,
            "is_owner": owner,
            "is_primary_owner": False,
            "is_bot": False,
            "profile": {"display_name": name, "real_name": name},
        }

    def fail(self, method: str, error: str, *, channel: str | None = None) -> None:
        """Answer `method` (for one channel, or for all) with `{"ok": false, "error": error}`."""
        self.failures[(method, channel)] = error

    def heal(self) -> None:
        self.failures.clear()

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_calls(self, method: str, count: int = 1) -> list[Call]:
        """The calls to `method` once there are `count` of them (five seconds at most)."""
        async with asyncio.timeout(5):
            while len(self.calls_to(method)) < count:
                self._call_arrived.clear()
                await self._call_arrived.wait()
        return self.calls_to(method)

    def new_hook(self) -> str:
        hook = str(next(self._hooks))
        self.responses[hook] = []
        return hook

    def hook_url(self, hook: str) -> str:
        return f"{self.base}/respond/{hook}"

    # -- the Web API ------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(dict(await request.post()))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        answer = self._answer(method, params, token)
        self.calls.append(Call(method, params, token, answer))
        self._call_arrived.set()
        return web.json_response(answer)

    def _answer(self, method: str, params: dict[str, Any], token: str) -> dict[str, Any]:
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return {"ok": False, "error": "invalid_auth"}
        channel = params.get("channel")
        error = self.failures.get((method, channel)) or self.failures.get((method, None))
        if error:
            return {"ok": False, "error": error}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://acme.slack.com/",
                "team": "Acme",
                "team_id": TEAM,
                "user": "practicebot",
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
            }
        if method == "chat.postMessage":
            ts = self._next_ts()
            message = {"type": "message", "text": params.get("text", ""), "ts": ts}
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "views.open":
            if not params.get("trigger_id"):
                return {"ok": False, "error": "invalid_trigger_id"}
            view = params.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            if not isinstance(view, dict) or view.get("type") != "modal":
                return {"ok": False, "error": "invalid_arguments"}
            return {"ok": True, "view": {**view, "id": f"V{next(self._ts)}"}}
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"{self.base.replace('http', 'ws')}/socket"}
        return {"ok": False, "error": "unknown_method"}

    def _next_ts(self) -> str:
        n = next(self._ts)
        return f"{1764576000 + n}.{n:06d}"

    # -- response_url -----------------------------------------------------------------------

    async def _respond(self, request: web.Request) -> web.Response:
        self.responses.setdefault(request.match_info["hook"], []).append(await request.json())
        self._response_arrived.set()
        return web.Response(text="ok")

    async def wait_responses(self, hook: str, count: int = 1) -> list[dict[str, Any]]:
        """The hook's responses once there are `count` of them (five seconds at most)."""
        async with asyncio.timeout(5):
            while len(self.responses.get(hook, [])) < count:
                self._response_arrived.clear()
                await self._response_arrived.wait()
        return self.responses[hook]

    # -- Socket Mode ------------------------------------------------------------------------

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1})
        self._socket_ready.set()
        async for frame in socket:
            if frame.type == WSMsgType.TEXT:
                self.acks.append(json.loads(frame.data))
                self._ack_arrived.set()
        return socket

    async def push(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send a Socket Mode envelope and wait (five seconds at most) for the app's ack of it."""
        async with asyncio.timeout(5):
            await self._socket_ready.wait()
            assert self._socket is not None
            await self._socket.send_json(envelope)
            while True:
                for ack in self.acks:
                    if ack.get("envelope_id") == envelope["envelope_id"]:
                        return ack
                self._ack_arrived.clear()
                await self._ack_arrived.wait()
