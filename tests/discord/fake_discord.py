"""A loopback fake of Discord for driving the real discord.py client in tests.

One aiohttp server on 127.0.0.1 (port 0) serves both halves:
- the REST routes the bot calls, under /api/v10 (point `discord.http.Route.BASE` at `api_url`);
  every call is recorded, and a test can inject a fault on any route (tests/faults.py: 429 with
  the headers discord.py reads, HTML 5xx, text/plain, 403 Missing Permissions, a reset
  connection, a slow answer); `refuse` keeps a route refusing (403, 404) until cleared;
- Discord's limits on messages (content, embeds; 400 with code 50035 "Invalid Form Body" and an
  `errors` object like Discord's), `nonce` + `enforce_nonce` deduplication within a window, and
  GET /channels/{id}/messages (before/after/around/limit, newest first) over the messages the
  bot created and the MESSAGE_CREATE events a test dispatched;
- a gateway websocket at / (set `DiscordWebSocket.DEFAULT_GATEWAY` to `gateway_url`, or let
  the bot read it from GET /gateway/bot): HELLO, then READY and GUILD_CREATE after IDENTIFY,
  HEARTBEAT_ACK for heartbeats, RESUME handling, and whatever events a test dispatches;
- shards: an IDENTIFY with `shard: [id, count]` gets only the guilds of that shard
  (`(guild_id >> 22) % count`), and an event about a guild goes to the connection of its
  shard, as on Discord (`add_guild` makes a guild on a chosen shard).

Payloads carry the fields discord.py 2.x reads. Snowflakes come from a counter, or for
messages, when `message_time` is set, from that clock as Discord makes them (the time in the
high bits, so history's `after` a moment works); a thread started from a message takes the
message's id, and the message gets the HAS_THREAD flag and the `thread`, as on Discord.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import math
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yarl
from aiohttp import WSMsgType, web

from tests.faults import Clock, Fault, Faults, Kind, Rule, answer_network_fault, refused

Json = dict[str, Any]
API_PREFIX = "/api/v10"
MESSAGE_CONTENT_INTENT = 1 << 15
EPHEMERAL = 1 << 6
HAS_THREAD = 1 << 5
DISCORD_EPOCH_MS = 1_420_070_400_000


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class FakeUser:
    id: int
    name: str
    bot: bool = False

    def payload(self) -> Json:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }

    def member(self, permissions: int | None = None, roles: Iterable[int] = ()) -> Json:
        member: Json = {
            "user": self.payload(),
            "roles": [str(r) for r in roles],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
        }
        if permissions is not None:
            member["permissions"] = str(permissions)
        return member


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any
    status: int = 200  # 0: the connection was reset
    token: str = ""  # the Authorization header: which bot process made the call
    fault: Fault | None = None  # the injected fault this call met
    files: dict[str, bytes] = field(default_factory=dict)  # multipart uploads, by file name

    @property
    def flags(self) -> int:
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        return int((data or {}).get("flags") or 0)

    @property
    def embeds(self) -> list[Json]:
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        return list((data or {}).get("embeds") or [])

    @property
    def components(self) -> list[Json]:
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        return list((data or {}).get("components") or [])

    @property
    def buttons(self) -> list[Json]:
        """The buttons of this message, row by row."""
        return [b for row in self.components for b in row.get("components") or []]

    @property
    def text(self) -> str:
        """Everything a person would read in this message: content and embeds."""
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        data = data or {}
        parts = [data.get("content") or ""]
        for embed in data.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields") or []]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)


class DiscordError(Exception):
    """An error answer of Discord's: `status` with a JSON body."""

    def __init__(self, status: int, body: Json) -> None:
        super().__init__(body.get("message"))
        self.status = status
        self.body = body


@dataclass
class FakeDiscord:
    app_id: int = 900_000_000_000_000_001
    guild_id: int = 910_000_000_000_000_001
    message_content_allowed: bool = True  # False: the portal has not enabled the intent
    bot_permissions: int = 309_237_730_304  # what the invite grants the bot's role
    calls: list[Call] = field(default_factory=list)
    identifies: list[Json] = field(default_factory=list)
    resumes: list[Json] = field(default_factory=list)
    replay_on_resume: list[tuple[str, Json]] = field(default_factory=list)
    channels: dict[int, Json] = field(default_factory=dict)
    messages: dict[int, Json] = field(default_factory=dict)
    faults: Faults = field(default_factory=Faults)
    clock: Clock = time.monotonic  # for the nonce window; a test may set its own
    nonce_window: float = 300.0  # Discord: "the past few minutes"
    _nonces: dict[tuple[int, str], tuple[float, Json]] = field(default_factory=dict)
    interactions: dict[int, Json] = field(default_factory=dict)
    dm_channels: dict[int, int] = field(default_factory=dict)  # DM channel id → user id
    closed_dms: set[int] = field(default_factory=set)  # users who accept no DMs from the bot
    managers: set[int] = field(default_factory=set)  # members with the Managers role (Manage Server)
    manager_role_id: int = 900_000_000_000_000_001
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1_000_000_000_000_000_001))
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _seq: int = 0
    _socket: web.WebSocketResponse | None = None  # the latest connection
    _shards: dict[web.WebSocketResponse, tuple[int, int]] = field(default_factory=dict)
    guilds: list[int] = field(default_factory=list)  # the bot's servers; guild_id first
    recommended_shards: int = 1  # what GET /gateway/bot recommends
    message_time: Callable[[], datetime] | None = None  # set: time-based message ids
    _last_message: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    port: int = 0

    def __post_init__(self) -> None:
        self.bot = FakeUser(self.app_id, "practicebot", bot=True)
        self.owner = FakeUser(self.next_id(), "owner")
        self.bot_role_id = self.next_id()
        self.guilds.insert(0, self.guild_id)

    # -- set-up -----------------------------------------------------------------------------

    def next_id(self) -> int:
        return next(self._ids)

    def next_message_id(self) -> int:
        if self.message_time is None:
            return self.next_id()
        moment = int(self.message_time().timestamp() * 1000) - DISCORD_EPOCH_MS
        self._last_message = max(self._last_message + 1, moment << 22)
        return self._last_message

    def add_guild(self, shard: int = 0, count: int = 1) -> int:
        """Another server with the bot in it, on shard `shard` of `count`."""
        guild_id = self.next_id()
        while (guild_id >> 22) % count != shard:
            guild_id += 1 << 22
        self.guilds.append(guild_id)
        return guild_id

    def guild_of(self, channel_id: int) -> int:
        """The server of a channel, or of a thread (by its parent, or its starter message)."""
        channel = self.channels.get(channel_id)
        if channel is None:
            message = self.messages.get(channel_id)
            channel = self.channels.get(int(message["channel_id"])) if message else None
        return int(channel["guild_id"]) if channel else self.guild_id

    def add_channel(self, name: str, *, deny_bot: int = 0, guild: int | None = None) -> int:
        """A text channel (in `guild`, else the first server); `deny_bot` permission bits are
        denied to the bot's role there."""
        channel_id = self.next_id()
        overwrites = (
            [{"id": str(self.bot_role_id), "type": 0, "allow": "0", "deny": str(deny_bot)}]
            if deny_bot
            else []
        )
        self.channels[channel_id] = {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(guild or self.guild_id),
            "name": name,
            "position": len(self.channels),
            "permission_overwrites": overwrites,
            "parent_id": None,
            "nsfw": False,
            "topic": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
        }
        return channel_id

    def inject(
        self,
        path: str,
        fault: Fault,
        *,
        method: str | None = None,
        times: int | None = 1,
        channel: int | None = None,
    ) -> Rule:
        """The next `times` requests whose path (without /api/v10) fully matches the regex
        (with this HTTP method, under /channels/{channel}) fail with `fault` (tests/faults.py);
        `times=None` until `clear_refusals()`."""
        return self.faults.inject(path, fault, times=times, channel=channel, http_method=method)

    def refuse(
        self, method: str, path: str, *, status: int = 403, code: int = 50013, message: str = ""
    ) -> None:
        """Make matching requests fail the way Discord does (path is a regex, fully matched),
        until `clear_refusals()`."""
        default = {403: "Missing Permissions", 404: "Unknown Channel"}.get(status, "Error")
        fault = refused(status=status, code=code, message=message or default)
        self.inject(path, fault, method=method, times=None)

    def clear_refusals(self) -> None:
        """No more injected faults or refusals."""
        self.faults.clear()

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        for socket in [*self._shards, *([self._socket] if self._socket else [])]:
            if not socket.closed:
                await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> yarl.URL:
        return yarl.URL(f"ws://127.0.0.1:{self.port}/")

    # -- payloads ---------------------------------------------------------------------------

    def guild_payload(self, guild_id: int | None = None) -> Json:
        guild_id = guild_id or self.guild_id
        everyone = {
            "id": str(guild_id), "name": "@everyone", "permissions": str(1 << 10 | 1 << 11),
            "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False,
            "flags": 0,
        }  # fmt: skip
        bot_role = {
            "id": str(self.bot_role_id), "name": "practicebot",
            "permissions": str(self.bot_permissions), "position": 1, "color": 0, "hoist": False,
            "managed": True, "mentionable": False, "flags": 0,
        }  # fmt: skip
        managers = {  # Manage Server, for the members in `managers`
            "id": str(self.manager_role_id), "name": "Managers", "permissions": str(1 << 5),
            "position": 2, "color": 0, "hoist": False, "managed": False, "mentionable": False,
            "flags": 0,
        }  # fmt: skip
        return {
            "id": str(guild_id),
            "name": "ML team",
            "icon": None,
            "owner_id": str(self.owner.id),
            "roles": [everyone, bot_role, managers],
            "channels": [c for c in self.channels.values() if int(c["guild_id"]) == guild_id],
            "threads": [],
            "members": [self._member(self.bot)],
            "member_count": 3,
            "large": False,
            "unavailable": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "afk_timeout": 300,
        }

    def message_payload(
        self,
        channel_id: int,
        author: FakeUser,
        content: str = "",
        *,
        message_id: int | None = None,
        edited: str | None = None,
        embeds: list[Json] | None = None,
        components: list[Json] | None = None,
        type: int = 0,
        flags: int = 0,
    ) -> Json:
        return {
            "id": str(message_id or self.next_message_id()),
            "channel_id": str(channel_id),
            "guild_id": str(self.guild_of(channel_id)),
            "author": author.payload(),
            "member": {k: v for k, v in self._member(author).items() if k != "user"},
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": edited,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": embeds or [],
            "components": components or [],
            "pinned": False,
            "type": type,
            "flags": flags,
        }

    def _member(self, user: FakeUser, permissions: int | None = None) -> Json:
        roles = [self.bot_role_id] if user == self.bot else []
        return user.member(permissions, roles)

    def interaction(
        self,
        type: int,
        data: Json,
        *,
        user: FakeUser,
        channel_id: int,
        permissions: int = 1 << 10 | 1 << 11,
        message: Json | None = None,
    ) -> Json:
        interaction_id = self.next_id()
        channel = self.channels.get(channel_id) or self._thread_payload(channel_id)
        payload: Json = {
            "id": str(interaction_id),
            "application_id": str(self.app_id),
            "type": type,
            "data": data,
            "guild_id": str(self.guild_id),
            "guild": {"id": str(self.guild_id), "locale": "en-US", "features": []},
            "channel_id": str(channel_id),
            "channel": channel,
            "member": user.member(permissions),
            "token": f"token-{interaction_id}",
            "version": 1,
            "app_permissions": str(self.bot_permissions),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message
        return payload

    def slash(
        self,
        name: str,
        options: Json | None = None,
        *,
        user: FakeUser,
        channel_id: int,
        permissions: int = 1 << 10 | 1 << 11,
        subcommand: str | None = None,
        focused: str | None = None,
    ) -> Json:
        """An application command (or, with `focused`, its autocomplete) interaction.

        A FakeUser as an option value is a user option, resolved as Discord does."""
        values = []
        resolved: Json = {}
        for key, value in (options or {}).items():
            option: Json = {"name": key, "type": _option_type(value), "value": value}
            if isinstance(value, FakeUser):
                option["value"] = str(value.id)
                resolved.setdefault("users", {})[str(value.id)] = value.payload()
                member = {k: v for k, v in self._member(value).items() if k != "user"}
                resolved.setdefault("members", {})[str(value.id)] = member
            if key == focused:
                option["focused"] = True
            values.append(option)
        if subcommand is not None:
            values = [{"name": subcommand, "type": 1, "options": values}]
        data: Json = {"id": str(self.next_id()), "name": name, "type": 1, "options": values}
        if resolved:
            data["resolved"] = resolved
        return self.interaction(
            4 if focused else 2, data, user=user, channel_id=channel_id, permissions=permissions
        )

    def _thread_payload(self, thread_id: int) -> Json:
        message = self.messages.get(thread_id)
        parent = int(message["channel_id"]) if message else next(iter(self.channels))
        return {
            "id": str(thread_id),
            "type": 11,
            "guild_id": str(self.guild_of(parent)),
            "parent_id": str(parent),
            "owner_id": str(self.bot.id),
            "name": "answers",
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": now_iso(),
                "locked": False,
            },
        }

    # -- REST -------------------------------------------------------------------------------

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
        fault = call.fault
        if fault is not None:
            answered = await answer_network_fault(request, fault)
            if answered is not None:
                return answered
            if fault.kind is Kind.RATE_LIMITED:
                return _rate_limited(fault)
            if fault.kind is Kind.REFUSED:
                return _json_response({"code": fault.code, "message": fault.message}, fault.status)
        if bad_json:
            return _json_response(
                {"code": 50109, "message": "The request body contains invalid JSON."}, 400
            )
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, call.path)
            if method == request.method and match:
                try:
                    result = handler(call, **match.groupdict())
                except DiscordError as error:
                    return _json_response(error.body, error.status)
                if result is None:
                    return web.Response(status=204)
                return _json_response(result)
        return _json_response({"code": 0, "message": f"fake: no route {call.path}"}, status=404)

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
             "version": "1", "default_member_permissions": command.get("default_member_permissions")}
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

    def channel_messages(self, channel: int) -> list[Json]:
        """The messages stored in a channel or thread, oldest first."""
        found = [m for m in self.messages.values() if int(m["channel_id"]) == channel]
        return sorted(found, key=lambda m: int(m["id"]))

    def _history(self, call: Call, channel: str) -> list[Json]:
        """GET /channels/{id}/messages as Discord answers it: at most `limit` (1-100, default
        50) messages, newest first; `after` gives the ones just after that id, `before` the ones
        just before it, `around` the ones around it."""
        raw = call.query.get("limit", "50")
        limit = int(raw) if raw.lstrip("-").isdigit() else 0
        if not 1 <= limit <= 100:
            raise invalid_form_body(
                {
                    "limit": _errors(
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

    def dms_to(self, user: FakeUser) -> list[Call]:
        """The messages the bot posted (or tried to post) in its DM with a user."""
        return [
            call for channel, owner in self.dm_channels.items() if owner == user.id
            for call in self.find("POST", f"/channels/{channel}/messages")
        ]  # fmt: skip

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

    # -- the gateway ------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json(
            {"op": 10, "d": {"heartbeat_interval": 45_000}, "s": None, "t": None}
        )
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            self._socket = socket  # a test's dispatch goes to the connection that spoke last
            packet = json.loads(frame.data)
            if packet["op"] == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif packet["op"] == 2:
                await self._identify(socket, packet["d"])
            elif packet["op"] == 6:
                self.resumes.append(packet["d"])
                self._changed.set()
                for name, data in self.replay_on_resume:
                    await self.dispatch(name, data)
                await self.dispatch("RESUMED", {})
        self._shards.pop(socket, None)
        if self._socket is socket:
            self._socket = next(iter(self._shards), None)
        return socket

    async def _identify(self, socket: web.WebSocketResponse, identify: Json) -> None:
        self.identifies.append(identify)
        self._changed.set()
        if identify["intents"] & MESSAGE_CONTENT_INTENT and not self.message_content_allowed:
            await socket.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard, count = identify.get("shard") or (0, 1)
        self._shards[socket] = (shard, count)
        guilds = [g for g in self.guilds if (g >> 22) % count == shard]
        await self.dispatch("READY", {
            "v": 10,
            "user": self.bot.payload(),
            "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
            "shard": [shard, count],
            "session_id": f"session-{len(self.identifies)}",
            "resume_gateway_url": str(self.gateway_url),
            "application": {"id": str(self.app_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }, socket)  # fmt: skip
        for guild in guilds:
            await self.dispatch("GUILD_CREATE", self.guild_payload(guild), socket)

    def _socket_for(self, data: Json) -> web.WebSocketResponse | None:
        """The open connection an event about `data` goes to: its guild's shard's."""
        guild = data.get("guild_id") or (data.get("guild") or {}).get("id")
        for socket, (shard, count) in self._shards.items():
            if guild is not None and (int(guild) >> 22) % count == shard and not socket.closed:
                return socket
        return self._socket if self._socket is not None and not self._socket.closed else None

    async def dispatch(
        self, name: str, data: Json, socket: web.WebSocketResponse | None = None
    ) -> None:
        """Send one event to the connected client (the connection of its guild's shard)."""
        socket = socket or self._socket_for(data)
        assert socket is not None and not socket.closed, "no client is connected"
        self._seq += 1
        if name == "MESSAGE_CREATE" and "id" in data:  # kept for GET .../messages
            self.messages[int(data["id"])] = data
        elif name == "MESSAGE_UPDATE" and int(data.get("id", 0)) in self.messages:
            self.messages[int(data["id"])].update(data)
        elif name == "MESSAGE_DELETE":
            self.messages.pop(int(data.get("id", 0)), None)
        await socket.send_json({"op": 0, "t": name, "s": self._seq, "d": data})

    async def ask_to_reconnect(self) -> None:
        """Gateway op 7: the client closes, reconnects and RESUMEs (then gets the replay)."""
        socket = self._socket
        assert socket is not None
        await socket.send_json({"op": 7, "d": None, "s": None, "t": None})

    async def invalidate_session(self) -> None:
        """Gateway op 9 (not resumable): the client IDENTIFYs again, a new session, and is sent
        nothing it missed."""
        socket = self._socket
        assert socket is not None
        await socket.send_json({"op": 9, "d": False, "s": None, "t": None})

    # -- waiting for the bot ----------------------------------------------------------------

    async def wait_until(self, condition: Callable[[], bool], within: float = 5.0) -> None:
        """Wait until a condition on what the fake recorded holds; re-checked on each call."""
        async with asyncio.timeout(within):
            while not condition():
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_call(self, predicate: Callable[[Call], bool], within: float = 5.0) -> Call:
        await self.wait_until(lambda: any(predicate(c) for c in self.calls), within)
        return next(c for c in self.calls if predicate(c))

    def find(self, method: str, path: str) -> list[Call]:
        """Recorded calls whose path fully matches the regex."""
        return [c for c in self.calls if c.method == method and re.fullmatch(path, c.path)]

    async def interact(self, payload: Json, *, replies: int = 1, within: float = 5.0) -> list[Call]:
        """Send an interaction and wait for the bot's answers to it: the callback, then any
        follow-ups (a deferred reply counts its follow-up in `replies`)."""
        token = payload["token"]
        self.interactions[int(payload["id"])] = payload
        await self.dispatch("INTERACTION_CREATE", payload)

        def answers() -> list[Call]:
            return [
                c for c in self.calls
                if c.method in ("POST", "PATCH") and token in c.path and c.status == 200
            ]  # fmt: skip

        await self.wait_until(lambda: len(answers()) >= replies, within)
        return answers()


def _rate_limited(fault: Fault) -> web.Response:
    """A 429 the way Discord sends it: `retry_after` (seconds, fractional) and `global` in the
    body, the X-RateLimit-* headers, and `Via` (discord.py takes a 429 without it for a
    Cloudflare ban and does not retry)."""
    body: Json = {
        "message": "You are being rate limited.",
        "retry_after": fault.retry_after,
        "global": fault.is_global,
    }
    headers = {
        "Content-Type": "application/json",
        "Retry-After": str(math.ceil(fault.retry_after)),
        "Via": "1.1 google",
        "X-RateLimit-Scope": "global" if fault.is_global else "user",
    }
    if fault.is_global:
        body["code"] = 0
        headers["X-RateLimit-Global"] = "true"
    else:
        headers |= {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + fault.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
            "X-RateLimit-Bucket": "fake-bucket",
        }
    return web.Response(body=json.dumps(body).encode(), status=429, headers=headers)


# -- Discord's limits on a message --------------------------------------------------------------

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBEDS_TOTAL = 6000  # title, description, field names and values, footer, author name
EMBED_LIMITS = {"title": 256, "description": 4096}
MAX_FIELDS = 25
FIELD_LIMITS = {"name": 256, "value": 1024}
MAX_NONCE = 25


def _errors(code: str, message: str) -> Json:
    return {"_errors": [{"code": code, "message": message}]}


def _too_long(most: int) -> Json:
    return _errors("BASE_TYPE_MAX_LENGTH", f"Must be {most} or fewer in length.")


def invalid_form_body(errors: Json) -> DiscordError:
    return DiscordError(400, {"code": 50035, "errors": errors, "message": "Invalid Form Body"})


def check_message(body: Json, *, creating: bool = False, at: tuple[str, ...] = ()) -> None:
    """Raise Discord's 400 for a message body over its limits (under `at` in `errors`, e.g.
    "data" for an interaction callback); `creating`: an empty message is refused too."""
    errors: Json = {}

    def put(path: tuple[str, ...], error: Json) -> None:
        node = errors
        for part in at + path:
            node = node.setdefault(part, {})
        node.update(error)

    content = body.get("content")
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        put(("content",), _too_long(MAX_CONTENT))
    nonce = body.get("nonce")
    if isinstance(nonce, str) and not 1 <= len(nonce) <= MAX_NONCE:
        put(
            ("nonce",),
            _errors("BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {MAX_NONCE} in length."),
        )
    embeds = body.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        put(("embeds",), _too_long(MAX_EMBEDS))
    total = 0
    for i, embed in enumerate(embeds):
        where = ("embeds", str(i))
        for key, most in EMBED_LIMITS.items():
            text = embed.get(key) or ""
            total += len(text)
            if len(text) > most:
                put((*where, key), _too_long(most))
        fields = embed.get("fields") or []
        if len(fields) > MAX_FIELDS:
            put((*where, "fields"), _too_long(MAX_FIELDS))
        for j, item in enumerate(fields):
            for key, most in FIELD_LIMITS.items():
                text = item.get(key)
                if not text:
                    put(
                        (*where, "fields", str(j), key),
                        _errors("BASE_TYPE_REQUIRED", "This field is required"),
                    )
                    continue
                total += len(text)
                if len(text) > most:
                    put((*where, "fields", str(j), key), _too_long(most))
        for key, most in (("footer", 2048), ("author", 256)):
            part = embed.get(key) or {}
            text = part.get("text" if key == "footer" else "name") or ""
            total += len(text)
            if len(text) > most:
                put((*where, key, "text" if key == "footer" else "name"), _too_long(most))
    if total > MAX_EMBEDS_TOTAL:
        put(
            ("embeds",),
            _errors(
                "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {MAX_EMBEDS_TOTAL}"
            ),
        )
    if errors:
        raise invalid_form_body(errors)
    empty = not any(
        body.get(k)
        for k in ("content", "embeds", "components", "sticker_ids", "attachments", "poll")
    )
    if creating and empty:
        raise DiscordError(400, {"code": 50006, "message": "Cannot send an empty message"})


def _json_response(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when the content type is exactly this.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _option_type(value: object) -> int:
    if isinstance(value, FakeUser):
        return 6
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3


async def eventually(
    check: Callable[[], bool | Awaitable[bool]], within: float = 5.0, interval: float = 0.01
) -> None:
    """Wait until a condition holds (state the bot's event handlers write, its logs)."""
    async with asyncio.timeout(within):
        while True:
            outcome = check()
            if await outcome if inspect.isawaitable(outcome) else outcome:
                return
            await asyncio.sleep(interval)
