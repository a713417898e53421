"""The REST routes the bot calls, under /api/v10: each call recorded, faults played first."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.discord.fake.calls import Call
from tests.discord.fake.gateway import Gateway
from tests.discord.fake.injection import FaultInjection, answer_fault
from tests.discord.fake.limits import (
    DiscordError,
    check_message,
    field_error,
    invalid_form_body,
    json_response,
)
from tests.discord.fake.state import API_PREFIX, FakeUser, Json
from tests.faults import Clock, Kind

EPHEMERAL = 1 << 6
HAS_THREAD = 1 << 5


@dataclass
class Rest(Gateway, FaultInjection):
    """The REST half of FakeDiscord; it needs the gateway for the events a call causes (a new
    thread's THREAD_CREATE) and the fault rules."""

    recommended_shards: int = 1  # what GET /gateway/bot recommends
    clock: Clock = time.monotonic  # for the nonce window; a test may set its own
    nonce_window: float = 300.0  # Discord: "the past few minutes"
    _nonces: dict[tuple[int, str], tuple[float, Json]] = field(default_factory=dict)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)  # THREAD_CREATE events on the way

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX) :]
        body: Any = None
        files: dict[str, bytes] = {}
        bad_json = False
        if request.can_read_body:
            try:
                if request.content_type == "multipart/form-data":
                    form = await request.post()
                    body = json.loads(str(form.get("payload_json", "null")))
                    for name, value in form.items():
                        if name.startswith("files[") and isinstance(value, web.FileField):
                            files[value.filename] = value.file.read()
                else:
                    text = await request.text()
                    body = json.loads(text) if text else None
            except json.JSONDecodeError:
                bad_json = True
        call = Call(
            request.method, path, dict(request.query), body, files=files,
            token=request.headers.get("Authorization", ""),
        )  # fmt: skip
        channel = re.match(r"/channels/(\d+)", path)
        call.fault = self.faults.take(request.method, path, channel and channel[1])
        response = await self._answer(request, call, bad_json)
        call.status = (
            response.status if call.fault is None or call.fault.kind is not Kind.RESET else 0
        )
        self.calls.append(call)
        self._changed.set()
        return response

    async def _answer(self, request: web.Request, call: Call, bad_json: bool) -> web.Response:
        if call.fault is not None:
            answered = await answer_fault(request, call.fault)
            if answered is not None:
                return answered
        if bad_json:
            return json_response(
                {"code": 50109, "message": "The request body contains invalid JSON."}, 400
            )
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, call.path)
            if method == request.method and match:
                try:
                    result = handler(call, **match.groupdict())
                except DiscordError as error:
                    return json_response(error.body, error.status)
                if result is None:
                    return web.Response(status=204)
                return json_response(result)
        return json_response({"code": 0, "message": f"fake: no route {call.path}"}, status=404)

    def _routes(self) -> list[tuple[str, str, Callable[..., Json | list[Json] | None]]]:
        return [
            ("GET", r"/users/@me", lambda call: self.bot.payload()),
            ("GET", r"/gateway/bot", lambda call: self._bot_gateway()),
            ("GET", r"/oauth2/applications/@me", lambda call: self._application()),
            ("POST", r"/users/@me/channels", self._open_dm),
            ("GET", r"/guilds/\d+/members/(?P<user>\d+)", self._get_member),
            ("PUT", r"/applications/\d+/commands", self._commands),
            ("PUT", r"/applications/\d+/guilds/\d+/commands", self._commands),
            ("GET", r"/channels/(?P<channel>\d+)/messages", self._history),
            ("GET", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)", self._get_message),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._create_message),
            ("POST", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/threads", self._thread),
            ("PATCH", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)", self._edit_message),
            ("DELETE", r"/channels/\d+/messages/(?P<message>\d+)", self._delete_message),
            ("GET", r"/channels/(?P<channel>\d+)", self._get_channel),
            ("POST", r"/interactions/(?P<interaction>\d+)/[^/]+/callback", self._callback),
            ("POST", r"/webhooks/\d+/[^/]+", self._followup),
            ("PATCH", r"/webhooks/\d+/[^/]+/messages/[^/]+", self._followup),
        ]

    def _bot_gateway(self) -> Json:
        return {
            "url": str(self.gateway_url), "shards": self.recommended_shards,
            "session_start_limit": {
                "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1,
            },
        }  # fmt: skip

    def _application(self) -> Json:
        return {
            "id": str(self.app_id), "name": "practicebot", "description": "", "icon": None,
            "bot_public": True, "bot_require_code_grant": False, "owner": self.owner.payload(),
            "verify_key": "0" * 64, "flags": 0, "summary": "", "team": None,
            "interactions_endpoint_url": None,
        }  # fmt: skip

    def _commands(self, call: Call) -> list[Json]:
        return [
            {**command, "id": str(self.next_id()), "application_id": str(self.app_id),
             "version": "1",
             "default_member_permissions": command.get("default_member_permissions")}
            for command in call.body
        ]  # fmt: skip

    def _create_message(self, call: Call, channel: str) -> Json:
        body = call.body or {}
        check_message(body, creating=True)
        nonce = body.get("nonce")
        key = (int(channel), str(nonce))
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get(key)
            if seen is not None and self.clock() - seen[0] < self.nonce_window:
                return seen[1]  # Discord answers with the message the first request created
        message = self.message_payload(
            int(channel), self.bot, body.get("content") or "",
            embeds=body.get("embeds"), components=body.get("components"),
        )  # fmt: skip
        if nonce is not None:
            message["nonce"] = nonce
            self._nonces[key] = (self.clock(), message)
        if int(channel) in self.dm_channels:  # a DM belongs to no server
            del message["guild_id"], message["member"]
        self.messages[int(message["id"])] = message
        return message

    def _history(self, call: Call, channel: str) -> list[Json]:
        """GET /channels/{id}/messages as Discord answers it: at most `limit` (1-100, default
        50) messages, newest first; `after` gives the ones just after that id, `before` the ones
        just before it, `around` the ones around it."""
        raw = call.query.get("limit", "50")
        limit = int(raw) if raw.lstrip("-").isdigit() else 0
        if not 1 <= limit <= 100:
            raise invalid_form_body(
                {
                    "limit": field_error(
                        "NUMBER_TYPE_MAX", "int value should be less than or equal to 100."
                    )
                }
            )
        messages = self.channel_messages(int(channel))
        if "after" in call.query:
            after = int(call.query["after"])
            chosen = [m for m in messages if int(m["id"]) > after][:limit]
        elif "before" in call.query:
            before = int(call.query["before"])
            chosen = [m for m in messages if int(m["id"]) < before][-limit:]
        elif "around" in call.query:
            around = int(call.query["around"])
            older = (
                [m for m in messages if int(m["id"]) < around][-(limit // 2) :] if limit > 1 else []
            )
            newer = [m for m in messages if int(m["id"]) >= around][: limit - len(older)]
            chosen = older + newer
        else:
            chosen = messages[-limit:]
        return chosen[::-1]

    def _get_message(self, call: Call, channel: str, message: str) -> Json:
        found = self.messages.get(int(message))
        if found is None or int(found["channel_id"]) != int(channel):
            raise DiscordError(404, {"code": 10008, "message": "Unknown Message"})
        return found

    def _get_member(self, call: Call, user: str) -> Json:
        """A member of the guild (GET /guilds/{id}/members/{user}), with the Managers role
        when they are in `managers`."""
        roles = [self.manager_role_id] if int(user) in self.managers else []
        return FakeUser(int(user), f"user{user}").member(None, roles)

    def _open_dm(self, call: Call) -> Json:
        """A DM channel with a user. Discord opens one even when the user's DMs are closed;
        it is the message that it refuses (403, code 50007)."""
        user_id = int(call.body["recipient_id"])
        channel_id = next((c for c, u in self.dm_channels.items() if u == user_id), None)
        if channel_id is None:
            channel_id = self.next_id()
            self.dm_channels[channel_id] = user_id
            if user_id in self.closed_dms:
                self.refuse("POST", f"/channels/{channel_id}/messages", status=403, code=50007,
                            message="Cannot send messages to this user")  # fmt: skip
        recipient = FakeUser(user_id, f"user{user_id}").payload()
        return {
            "id": str(channel_id),
            "type": 1,
            "recipients": [recipient],
            "last_message_id": None,
        }

    def _thread(self, call: Call, channel: str, message: str) -> Json:
        # On Discord a thread started from a message has the message's id.
        thread = self._thread_payload(int(message))
        thread["name"] = call.body["name"]
        thread["thread_metadata"]["auto_archive_duration"] = call.body["auto_archive_duration"]
        starter = self.messages.get(int(message))
        if starter is not None:
            starter["flags"] = int(starter.get("flags") or 0) | HAS_THREAD
            starter["thread"] = thread
        if self._socket_for(thread) is not None:
            task = asyncio.get_running_loop().create_task(
                self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
            )
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return thread

    def _edit_message(self, call: Call, channel: str, message: str) -> Json:
        check_message(call.body or {})
        stored = self.messages.get(int(message)) or self.message_payload(int(channel), self.bot)
        stored.update(
            {k: v for k, v in (call.body or {}).items() if k in ("content", "embeds", "components")}
        )
        return stored

    def _delete_message(self, call: Call, message: str) -> None:
        self.messages.pop(int(message), None)

    def _get_channel(self, call: Call, channel: str) -> Json:
        found = self.channels.get(int(channel))
        return found if found is not None else self._thread_payload(int(channel))

    def _callback(self, call: Call, interaction: str) -> Json:
        kind = call.body["type"]
        data = call.body.get("data") or {}
        if kind in (4, 7):
            check_message(data, at=("data",))
        answer: Json = {
            "interaction": {
                "id": interaction, "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL),
            },
        }  # fmt: skip
        if kind in (4, 5, 7):
            channel = int(self.interactions[int(interaction)]["channel_id"])
            message = self.message_payload(
                channel, self.bot, data.get("content") or "",
                embeds=data.get("embeds"), components=data.get("components"),
                flags=int(data.get("flags") or 0),
            )  # fmt: skip
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        return answer

    def _followup(self, call: Call) -> Json:
        body = call.body or {}
        check_message(body, creating=call.method == "POST")
        return self.message_payload(
            next(iter(self.channels)), self.bot, body.get("content") or "",
            embeds=body.get("embeds"), components=body.get("components"),
            flags=int(body.get("flags") or 0),
        )  # fmt: skip
