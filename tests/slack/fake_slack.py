"""A loopback stand-in for Slack's side: the Web API, response_url hooks and a Socket Mode socket.

It records every call and answers the way Slack does: `ok`, increasing `ts` values, the errors
Slack gives for messages over its limits (see check_message), and any fault a test injects
(tests/faults.py: 429, HTML 5xx, text/plain, refusals, resets, slow answers). Posted messages are
kept per channel, with their `metadata`, for conversations.history and conversations.replies,
which honour oldest/latest/inclusive/limit/cursor and a per-method rate limit a test can set.
slack_sdk sends some methods (users.info) as GET with query parameters, others as a form or JSON
body: all of them are read.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.faults import (
    Budget,
    Clock,
    Fault,
    Faults,
    Kind,
    Rule,
    answer_network_fault,
    refused,
    retry_after_seconds,
)
from tests.slack.fake_oauth import FakeInstalls, FakeWorkspace

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
    status: int = 200  # the HTTP status (0: the connection was reset)
    fault: Fault | None = None  # the injected fault this call met
    at: float = 0.0  # when it came, on the fake's `clock` (rate limits are on that clock)


@dataclass
class FakeFile:
    """A file uploaded through files.getUploadURLExternal and files.completeUploadExternal."""

    id: str
    filename: str
    length: int
    alt_txt: str | None = None
    data: bytes | None = None  # once uploaded to its URL
    title: str | None = None
    channel: str | None = None  # where completeUploadExternal shared it (None: unshared)
    initial_comment: str | None = None
    completed: bool = False


# Slack's documented limits (api.slack.com/methods/files.getUploadURLExternal,
# files.completeUploadExternal, views.publish; /reference/block-kit).
FILE_MOST_BYTES = 1024 * 1024 * 1024  # 1 GB
FILE_ALT_TEXT_MOST = 1000
FILES_PER_COMPLETION_MOST = 100
HOME_BLOCKS_MOST = 100
VIEW_PRIVATE_METADATA_MOST = 3000
VIEW_CALLBACK_ID_MOST = 255


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    responses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: Faults = field(default_factory=Faults)
    budgets: dict[str, Budget] = field(default_factory=dict)  # method -> its rate limit
    page_limits: dict[str, tuple[int, int]] = field(default_factory=dict)  # (default, most)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> by ts
    clock: Clock = time.monotonic  # for rate limits; a test may set its own
    acks: list[dict[str, Any]] = field(default_factory=list)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _hooks: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _socket: web.WebSocketResponse | None = None
    _socket_ready: asyncio.Event = field(default_factory=asyncio.Event)
    _hellos: int = 0
    _ack_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _response_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _call_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    base: str = ""
    files: dict[str, FakeFile] = field(default_factory=dict)  # by file id
    homes: dict[str, dict[str, Any]] = field(default_factory=dict)  # user -> published Home view
    installs: FakeInstalls = field(default_factory=FakeInstalls)  # workspaces and their tokens
    # Where a new message's `ts` comes from: None, a counter; else a clock of seconds (Slack
    # stamps a message with its own time; a test whose bot runs a fast clock passes its time).
    ts_clock: Callable[[], float] | None = None
    # Called with each message chat.postMessage stored, before the answer goes back (a test
    # may stop the bot there: the message is in Slack, its `ts` never reached the bot).
    on_posted: Callable[[str, dict[str, Any]], None] | None = None
    _last_ts: float = 0.0

    def __post_init__(self) -> None:
        self.installs.add(FakeWorkspace(TEAM, "Acme", BOT_TOKEN, BOT_USER, BOT_ID))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
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

    def inject(
        self, method: str, fault: Fault, *, times: int | None = 1, channel: str | None = None
    ) -> Rule:
        """The next `times` calls to methods matching the regex `method` (in `channel`, or in
        any) fail with `fault` (see tests/faults.py); `times=None` until `heal()`."""
        return self.faults.inject(method, fault, times=times, channel=channel)

    def fail(self, method: str, error: str, *, channel: str | None = None) -> None:
        """Answer `method` (for one channel, or for all) with `{"ok": false, "error": error}`
        until `heal()`."""
        self.inject(re.escape(method), refused(error), times=None, channel=channel)

    def heal(self) -> None:
        """No more injected faults (rate limits set with `rate_limit` stay)."""
        self.faults.clear()

    def rate_limit(self, method: str, calls: int, *, window: float = 60.0) -> None:
        """At most `calls` calls to `method` per `window` seconds of `clock`; past it, HTTP 429
        with Retry-After, as Slack answers a method over its tier."""
        self.budgets[method] = Budget(calls, window, clock=lambda: self.clock())

    def distributed_outside_marketplace(self) -> None:
        """The history limits of a commercially distributed, non-Marketplace app (Slack's
        docs, from 2025-05-29 for new apps and installs, 2026-03-03 for existing installs):
        conversations.history and conversations.replies at 1 request per minute, `limit` at
        most (and by default) 15. Internal and Marketplace apps have Tier 3 (50+ per minute)."""
        for method in ("conversations.history", "conversations.replies"):
            self.rate_limit(method, 1)
            self.page_limits[method] = (15, 15)

    def add_message(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        ts: str | None = None,
        thread_ts: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A message someone wrote in Slack (a thread reply with `thread_ts`), as history
        methods return it."""
        message: dict[str, Any] = {
            "type": "message", "user": user, "text": text, "ts": ts or self._next_ts(),
            "team": TEAM, **extra,
        }  # fmt: skip
        if thread_ts is not None:
            message["thread_ts"] = thread_ts
        self._store(channel, message)
        return message

    def record_event(self, event: dict[str, Any]) -> None:
        """Keep a `message` event the test sends to the app as a message in the channel."""
        fields = ("type", "user", "text", "ts", "thread_ts", "team", "blocks", "subtype")
        self._store(str(event["channel"]), {k: event[k] for k in fields if k in event})

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

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
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        bad_json = False
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = json.loads(await request.text())
                except json.JSONDecodeError:
                    bad_json = True
                else:
                    bad_json = not isinstance(body, dict)
                    params.update(body if isinstance(body, dict) else {})
            else:
                params.update(dict(await request.post()))
        call = Call(method, params, token, at=self.clock())
        channel = params.get("channel")
        fault = self.faults.take(request.method, method, None if channel is None else str(channel))
        call.fault = fault
        if fault is not None:
            answered = await answer_network_fault(request, fault)
            if answered is not None:
                call.status = 0 if fault.kind is Kind.RESET else answered.status
                self._record(call)
                return answered
            if fault.kind is Kind.RATE_LIMITED:
                return self._too_many(call, retry_after_seconds(fault))
            if fault.kind is Kind.REFUSED:
                return self._reply(call, _refusal(fault.error))
        budget = self.budgets.get(method)
        if budget is not None:
            wait = budget.spend()
            if wait:
                return self._too_many(call, str(math.ceil(wait)))
        if bad_json:
            return self._reply(call, {"ok": False, "error": "invalid_json"})
        if method == "oauth.v2.access":
            authorization = request.headers.get("Authorization", "")
            return self._reply(call, self.installs.access(params, authorization))
        return self._reply(call, self._answer(method, params, token))

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._call_arrived.set()

    def _reply(self, call: Call, answer: dict[str, Any]) -> web.Response:
        call.answer = answer
        self._record(call)
        return web.json_response(answer)

    def _too_many(self, call: Call, retry_after: str) -> web.Response:
        call.status = 429
        call.answer = {"ok": False, "error": "ratelimited"}
        self._record(call)
        return web.json_response(call.answer, status=429, headers={"Retry-After": retry_after})

    def _answer(self, method: str, params: dict[str, Any], token: str) -> dict[str, Any]:
        if token in self.installs.revoked:
            return {"ok": False, "error": "token_revoked"}
        if method == "apps.connections.open" and token != APP_TOKEN:
            return {"ok": False, "error": "invalid_auth"}
        if method != "apps.connections.open" and token not in self.installs.tokens:
            return {"ok": False, "error": "invalid_auth"}
        channel = params.get("channel")
        if method == "auth.test":  # each bot token is its own workspace's
            return self.installs.auth_test(token)
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            refusal = check_message(params)
            if refusal is not None:
                return refusal
        if method == "chat.postMessage":
            message = self._bot_message(params)
            if params.get("thread_ts"):
                message["thread_ts"] = str(params["thread_ts"])
            self._store(str(channel), message)
            if self.on_posted is not None:
                self.on_posted(str(channel), message)
            return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}
        if method == "chat.update":
            stored = self.message(str(channel), str(params.get("ts")))
            if stored is None:
                return {"ok": False, "error": "message_not_found"}
            update = self._bot_message(params)
            stored.update({k: v for k, v in update.items() if k not in ("ts", "type")})
            stored["edited"] = {"user": BOT_USER, "ts": self._next_ts()}
            return {
                "ok": True, "channel": channel, "ts": stored["ts"], "text": stored["text"],
                "message": stored,
            }  # fmt: skip
        if method == "chat.delete":
            stored = self.message(str(channel), str(params.get("ts")))
            if stored is None:
                return {"ok": False, "error": "message_not_found"}
            self.messages[str(channel)].remove(stored)
            return {"ok": True, "channel": channel, "ts": stored["ts"]}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.history":
            return self._history(params)
        if method == "conversations.replies":
            return self._replies(params)
        if method == "views.open":
            if not params.get("trigger_id"):
                return {"ok": False, "error": "invalid_trigger_id"}
            view = params.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            if not isinstance(view, dict) or view.get("type") != "modal":
                return {"ok": False, "error": "invalid_arguments"}
            return {"ok": True, "view": {**view, "id": f"V{next(self._ts)}"}}
        if method == "conversations.open":
            users = str(params.get("users") or "")
            if not users or "," in users or users not in self.users:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "channel": {"id": f"D{users}"}}
        if method.startswith("files.") or method == "views.publish":
            return self._files_and_views(method, params)
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"{self.base.replace('http', 'ws')}/socket"}
        return {"ok": False, "error": "unknown_method"}

    def _files_and_views(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "files.getUploadURLExternal":
            filename = str(params.get("filename") or "")
            try:
                length = int(params.get("length") or 0)
            except ValueError:
                length = 0
            if not filename:
                return {"ok": False, "error": "invalid_arguments"}
            if not 0 < length <= FILE_MOST_BYTES:
                return {"ok": False, "error": "invalid_length"}
            alt = params.get("alt_txt")
            if alt is not None and len(str(alt)) > FILE_ALT_TEXT_MOST:
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{next(self._ts)}"
            self.files[file_id] = FakeFile(file_id, filename, length, alt and str(alt))
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            listed = _parsed(params.get("files"))
            if not isinstance(listed, list) or not 0 < len(listed) <= FILES_PER_COMPLETION_MOST:
                return {"ok": False, "error": "invalid_arguments"}
            done = []
            for item in listed:
                found = self.files.get(str(item.get("id"))) if isinstance(item, dict) else None
                if found is None or found.data is None or found.completed:
                    return {"ok": False, "error": "file_not_found"}
                if len(found.data) != found.length:
                    return {"ok": False, "error": "file_upload_size_mismatch"}
                done.append((found, item))
            channel = params.get("channel_id")
            if channel is not None and not str(channel).startswith(("C", "D", "G")):
                return {"ok": False, "error": "channel_not_found"}
            for found, item in done:
                found.completed = True
                found.title = str(item.get("title") or found.filename)
                found.channel = None if channel is None else str(channel)
                found.initial_comment = params.get("initial_comment")
            return {
                "ok": True,
                "files": [{"id": f.id, "title": f.title, "name": f.filename} for f, _ in done],
            }
        if method == "views.publish":
            user = str(params.get("user_id") or "")
            view = _parsed(params.get("view"))
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            if not isinstance(view, dict) or view.get("type") != "home":
                return {"ok": False, "error": "invalid_arguments"}
            blocks = view.get("blocks") or []
            problems = [] if len(blocks) <= HOME_BLOCKS_MOST else ["must be at most 100 blocks"]
            problems += [p for n, b in enumerate(blocks) for p in _block_problems(b, f"[{n}]")]
            if len(str(view.get("private_metadata") or "")) > VIEW_PRIVATE_METADATA_MOST:
                problems.append("private_metadata must be at most 3000 characters")
            if len(str(view.get("callback_id") or "")) > VIEW_CALLBACK_ID_MOST:
                problems.append("callback_id must be at most 255 characters")
            if problems:
                return _invalid_blocks(*problems)
            for block in blocks:
                shown = block.get("slack_file", {}).get("id") if block.get("type") == "image" else None
                if shown is not None and shown not in self.files:
                    return _invalid_blocks("slack_file: no such file")
            self.homes[user] = view
            return {"ok": True, "view": {**view, "id": f"V{next(self._ts)}"}}
        return {"ok": False, "error": "unknown_method"}

    async def _upload(self, request: web.Request) -> web.Response:
        found = self.files.get(request.match_info["file_id"])
        if found is None or found.data is not None:
            return web.Response(status=404, text="no such upload")
        found.data = await request.read()
        return web.Response(status=200, text=f"OK - {len(found.data)}")

    def _next_ts(self) -> str:
        if self.ts_clock is not None:  # unique and increasing, as Slack's are in a channel
            self._last_ts = max(self._last_ts + 0.000001, round(self.ts_clock(), 6))
            return f"{self._last_ts:.6f}"
        n = next(self._ts)
        return f"{1764576000 + n}.{n:06d}"

    def new_ts(self) -> str:
        """A `ts` for a message someone writes now (from `ts_clock` when set)."""
        return self._next_ts()

    def _bot_message(self, params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message", "subtype": "bot_message", "user": BOT_USER, "bot_id": BOT_ID,
            "text": params.get("text", ""), "ts": self._next_ts(), "team": TEAM,
        }  # fmt: skip
        blocks = _parsed(params.get("blocks"))
        if blocks:
            message["blocks"] = blocks
        metadata = _parsed(params.get("metadata"))
        if metadata:
            message["metadata"] = metadata
        return message

    def _store(self, channel: str, message: dict[str, Any]) -> None:
        messages = self.messages.setdefault(channel, [])
        messages.append(message)
        messages.sort(key=lambda m: _ts_key(m["ts"]))
        parent_ts = message.get("thread_ts")
        if parent_ts and parent_ts != message["ts"]:
            parent = self.message(channel, parent_ts)
            if parent is not None:
                replies = [
                    m for m in messages if m.get("thread_ts") == parent_ts and m is not parent
                ]
                parent["thread_ts"] = parent_ts
                parent["reply_count"] = len(replies)
                parent["latest_reply"] = max((m["ts"] for m in replies), key=_ts_key)

    # -- reading history: conversations.history and conversations.replies ---------------------

    def _history(self, params: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages (thread parents included, replies not), newest first."""
        channel = str(params.get("channel") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        top = [
            m for m in self.messages.get(channel, [])
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]  # fmt: skip
        return self._page("conversations.history", params, top[::-1], newest_first=True)

    def _replies(self, params: dict[str, Any]) -> dict[str, Any]:
        """The thread's parent first, then its replies oldest first. Slack includes the parent
        even when `oldest` is after it; here it comes on the first page only."""
        channel = str(params.get("channel") or "")
        ts = str(params.get("ts") or "")
        if not channel or not ts:
            return {"ok": False, "error": "invalid_arguments"}
        parent = self.message(channel, ts)
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        replies = [
            m for m in self.messages.get(channel, [])
            if m.get("thread_ts") == ts and m["ts"] != ts
        ]  # fmt: skip
        answer = self._page("conversations.replies", params, replies, newest_first=False)
        if "cursor" not in params or not params["cursor"]:
            answer["messages"].insert(0, self._shown(parent, params))
        return answer

    def _page(
        self,
        method: str,
        params: dict[str, Any],
        messages: list[dict[str, Any]],
        *,
        newest_first: bool,
    ) -> dict[str, Any]:
        inclusive = _truthy(params.get("inclusive"))
        oldest = _ts_key(str(params.get("oldest") or "0"))
        latest = _ts_key(str(params["latest"])) if params.get("latest") else None

        def within(message: dict[str, Any]) -> bool:
            key = _ts_key(message["ts"])
            if key < oldest or (key == oldest and not inclusive and params.get("oldest")):
                return False
            return latest is None or key < latest or (key == latest and inclusive)

        chosen = [m for m in messages if within(m)]
        cursor = params.get("cursor")
        if cursor:
            try:
                after = _ts_key(base64.b64decode(str(cursor)).decode().removeprefix("next_ts:"))
            except (ValueError, UnicodeDecodeError):
                return {"ok": False, "error": "invalid_cursor"}
            chosen = [
                m for m in chosen
                if (_ts_key(m["ts"]) < after if newest_first else _ts_key(m["ts"]) > after)
            ]  # fmt: skip
        default, most = self.page_limits.get(method, _PAGE_LIMITS[method])
        try:
            limit = int(params.get("limit") or default)
        except ValueError:
            return {"ok": False, "error": "invalid_limit"}
        limit = max(1, min(limit, most))
        page, more = chosen[:limit], len(chosen) > limit
        next_cursor = (
            base64.b64encode(f"next_ts:{page[-1]['ts']}".encode()).decode() if more else ""
        )
        return {
            "ok": True,
            "messages": [self._shown(m, params) for m in page],
            "has_more": more,
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _shown(self, message: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        if _truthy(params.get("include_all_metadata")):
            return dict(message)
        return {k: v for k, v in message.items() if k != "metadata"}

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
        self._hellos += 1
        await socket.send_json({"type": "hello", "num_connections": 1})
        self._socket_ready.set()
        async for frame in socket:
            if frame.type == WSMsgType.TEXT:
                self.acks.append(json.loads(frame.data))
                self._ack_arrived.set()
        return socket

    async def drop_socket(self) -> None:
        """Close the app's socket from Slack's side (the app reconnects, and gets `hello`)."""
        socket, self._socket = self._socket, None
        self._socket_ready.clear()
        if socket is not None:
            await socket.close()

    @property
    def hellos(self) -> int:
        """Sockets opened so far (each greeted with `hello`)."""
        return self._hellos

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


# -- Slack's limits on a message --------------------------------------------------------------

_PAGE_LIMITS = {  # (default, most) of `limit`, for internal and Marketplace apps
    "conversations.history": (100, 999),
    "conversations.replies": (1000, 1000),
}
MAX_TEXT = 40_000  # `text`: msg_too_long past it
MAX_BLOCKS = 50
# Not in Slack's docs: observed platform behaviour (slackapi/bolt-js#2509, #2867) is that a
# message whose blocks hold more than about 12,000 characters of text in all is refused with
# msg_blocks_too_long, though every block is within its own limit.
MAX_BLOCKS_TEXT = 12_000
BLOCK_TYPES = {
    "actions", "context", "divider", "file", "header", "image", "input", "markdown",
    "rich_text", "section", "video", "call", "table",
}  # fmt: skip


def check_message(params: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer to a chat.postMessage/update/postEphemeral over its limits, or None."""
    text = params.get("text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        return {"ok": False, "error": "msg_too_long"}
    blocks: Any = params.get("blocks")
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except json.JSONDecodeError:
            return _invalid_blocks("[ERROR] invalid json [json-pointer:/blocks]")
    metadata: Any = params.get("metadata")
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except json.JSONDecodeError:
            return {"ok": False, "error": "invalid_metadata_format"}
    if metadata is not None and not (
        isinstance(metadata, dict)
        and isinstance(metadata.get("event_type"), str)
        and isinstance(metadata.get("event_payload"), dict)
    ):
        return {"ok": False, "error": "invalid_metadata_schema"}
    if blocks is None or blocks == []:
        if not text:
            return {"ok": False, "error": "no_text"}
        return None
    if not isinstance(blocks, list):
        return _invalid_blocks("[ERROR] must be an array [json-pointer:/blocks]")
    if len(blocks) > MAX_BLOCKS:
        return _invalid_blocks(
            f"[ERROR] no more than {MAX_BLOCKS} items allowed [json-pointer:/blocks]"
        )
    problems = [p for i, block in enumerate(blocks) for p in _block_problems(block, f"/blocks/{i}")]
    if problems:
        return _invalid_blocks(*problems)
    if _text_length(blocks) > MAX_BLOCKS_TEXT:
        return {"ok": False, "error": "msg_blocks_too_long"}
    return None


def _block_problems(block: Any, at: str) -> list[str]:
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        return [f"[ERROR] unsupported type [json-pointer:{at}/type]"]
    problems: list[str] = []
    if len(str(block.get("block_id", ""))) > 255:
        problems.append(f"[ERROR] must be less than 256 characters [json-pointer:{at}/block_id]")
    kind = block["type"]
    if kind == "section":
        if "text" not in block and "fields" not in block:
            problems.append(f"[ERROR] must provide either text or fields [json-pointer:{at}]")
        if "text" in block:
            problems += _text_problems(block["text"], f"{at}/text", 3000)
        fields = block.get("fields")
        if fields is not None:
            if not isinstance(fields, list) or len(fields) > 10:
                problems.append(f"[ERROR] no more than 10 items allowed [json-pointer:{at}/fields]")
            else:
                for j, item in enumerate(fields):
                    problems += _text_problems(item, f"{at}/fields/{j}", 2000)
    elif kind == "header":
        problems += _text_problems(block.get("text"), f"{at}/text", 150, plain=True)
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
            problems.append(f"[ERROR] must be between 1 and 10 items [json-pointer:{at}/elements]")
    elif kind == "image":  # an image_url (at most 3000) or a slack_file; alt_text at most 2000
        source = [k for k in ("image_url", "slack_file") if k in block]
        if len(source) != 1:
            problems.append(f"[ERROR] must provide image_url or slack_file [json-pointer:{at}]")
        elif source == ["image_url"] and not 0 < len(str(block["image_url"])) <= 3000:
            problems.append(f"[ERROR] must be less than 3001 characters [json-pointer:{at}/image_url]")
        elif source == ["slack_file"] and not isinstance(block["slack_file"], dict):
            problems.append(f"[ERROR] must be an object [json-pointer:{at}/slack_file]")
        alt = block.get("alt_text")
        if not isinstance(alt, str) or not 0 < len(alt) <= 2000:
            problems.append(f"[ERROR] must be 1 to 2000 characters [json-pointer:{at}/alt_text]")
        if "title" in block:
            problems += _text_problems(block["title"], f"{at}/title", 2000, plain=True)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 25:
            problems.append(f"[ERROR] must be between 1 and 25 items [json-pointer:{at}/elements]")
        else:
            for j, element in enumerate(elements):
                if isinstance(element, dict) and element.get("type") == "button":
                    where = f"{at}/elements/{j}/text"
                    problems += _text_problems(element.get("text"), where, 75, plain=True)
    return problems


def _text_problems(obj: Any, at: str, most: int, *, plain: bool = False) -> list[str]:
    kinds = ("plain_text",) if plain else ("plain_text", "mrkdwn")
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        return [f"[ERROR] must be a text object of type {' or '.join(kinds)} [json-pointer:{at}]"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"[ERROR] must be more than 0 characters [json-pointer:{at}/text]"]
    if len(text) > most:
        return [f"[ERROR] must be less than {most + 1} characters [json-pointer:{at}/text]"]
    return []


def _text_length(value: Any) -> int:
    """All the text in a block tree: every string under a `text` key."""
    if isinstance(value, list):
        return sum(_text_length(v) for v in value)
    if isinstance(value, dict):
        return sum(
            len(v) if k == "text" and isinstance(v, str) else _text_length(v)
            for k, v in value.items()
        )
    return 0


def _invalid_blocks(*messages: str) -> dict[str, Any]:
    return {
        "ok": False,
        "error": "invalid_blocks",
        "response_metadata": {"messages": list(messages)},
    }


def _refusal(error: str) -> dict[str, Any]:
    answer: dict[str, Any] = {"ok": False, "error": error}
    if error == "missing_scope":
        answer |= {"needed": "chat:write", "provided": "commands"}
    return answer


def _parsed(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds or 0), int(micros.ljust(6, "0")[:6] or 0)
