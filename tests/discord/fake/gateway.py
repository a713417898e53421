"""The gateway websocket: HELLO, IDENTIFY (by shard), RESUME, and the events a test sends."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from tests.discord.fake.calls import Call, Recorder
from tests.discord.fake.payloads import Payloads
from tests.discord.fake.state import Json

MESSAGE_CONTENT_INTENT = 1 << 15


@dataclass
class Gateway(Payloads, Recorder):
    """The websocket half of FakeDiscord; what the clients sent is recorded for the tests."""

    message_content_allowed: bool = True  # False: the portal has not enabled the intent
    identifies: list[Json] = field(default_factory=list)
    resumes: list[Json] = field(default_factory=list)
    replay_on_resume: list[tuple[str, Json]] = field(default_factory=list)
    interactions: dict[int, Json] = field(default_factory=dict)  # the ones a test sent, by id
    _seq: int = 0
    _socket: web.WebSocketResponse | None = None  # the latest connection
    _shards: dict[web.WebSocketResponse, tuple[int, int]] = field(default_factory=dict)

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

    def sessions(self) -> int:
        """The gateway connections open now (a killed client's is gone once its socket is)."""
        return sum(not socket.closed for socket in self._shards)

    async def member_writes(self, data: Json) -> bool:
        """A member's message as Discord takes it: stored first (the history has it whatever
        happens), then sent as MESSAGE_CREATE to the session of its shard, if one is connected;
        with none, nobody is told (a new session is not sent it later). True if it was sent."""
        self.messages[int(data["id"])] = data
        socket = self._socket_for(data)
        if socket is None or socket.closed:
            return False
        try:
            await self.dispatch("MESSAGE_CREATE", data, socket)
        except (ConnectionError, RuntimeError):  # the client went away meanwhile
            return False
        return True

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

    async def close_connections(self) -> None:
        for socket in [*self._shards, *([self._socket] if self._socket else [])]:
            if not socket.closed:
                await socket.close()
