"""The Slack adapter the runtime starts: Socket Mode by default, or HTTP on /slack/events."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack.app import build_app
from bot.adapters.slack.catchup import SlackThreadReader
from bot.adapters.slack.config import (
    EVENTS_PATH,
    INSTALL_PATH,
    REDIRECT_PATH,
    SLACK_API_URL,
    SlackConfig,
)
from bot.adapters.slack.errors import reason
from bot.adapters.slack.listeners.suggestions import SlackNotes
from bot.adapters.slack.publisher import SlackPublisher
from bot.adapters.slack.refs import PLATFORM
from bot.core.catchup import Sleep, ThreadCatchUp
from bot.core.engine import Engine
from bot.core.errors import PracticeError
from bot.core.ports import Publisher
from bot.errors import PlatformUnreachableError, TokenRejectedError

log = logging.getLogger(__name__)
UNREADABLE = "The request body is neither JSON nor a form Slack sends."
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def refuse_unreadable(signing_secret: str) -> Callable[..., Awaitable[web.StreamResponse]]:
    """An aiohttp middleware: a body Bolt cannot parse (not JSON, a form whose `payload` is not
    JSON, not UTF-8) gets 400 (401 when it is not signed either), not Bolt's exception: a 500
    and a traceback in the log. Bolt parses the body the same way here."""
    verifier = SignatureVerifier(signing_secret)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != EVENTS_PATH:
            return await handler(request)
        raw = await request.read()  # kept by aiohttp: Bolt reads it again
        try:
            parsed = AsyncBoltRequest(body=raw.decode("utf-8"), headers=dict(request.headers))
            readable = isinstance(parsed.body, dict)
        except Exception:  # json.JSONDecodeError, UnicodeDecodeError, a list for a body...
            readable = False
        if readable:
            return await handler(request)
        if not verifier.is_valid_request(raw, dict(request.headers)):
            return web.Response(status=401, text="invalid request")
        log.warning(
            "refused an unreadable Slack request: %s, %d bytes", request.content_type, len(raw)
        )
        return web.Response(status=400, text=UNREADABLE)

    return middleware


class SlackAdapter:
    name: str = PLATFORM

    def __init__(
        self,
        engine: Engine,
        config: SlackConfig,
        *,
        process_before_response: bool = True,
        catch_up_sleep: Sleep = asyncio.sleep,  # tests: a sleep that moves a manual clock
    ) -> None:
        self.config = config
        built = build_app(engine, config, process_before_response=process_before_response)
        self.app, self.users, self.clients = built.app, built.users, built.clients
        # What was written in open rounds' threads while the bot was away (bot.core.catchup).
        self.catch_up = ThreadCatchUp(
            engine, PLATFORM,
            SlackThreadReader(engine, self.users, self.clients, config.history_per_minute),
            calls_per_minute=config.history_per_minute, sleep=catch_up_sleep,
        )  # fmt: skip
        self._hellos = 0
        self._publisher = SlackPublisher(self.clients)
        engine.add_author_notifier(PLATFORM, SlackNotes(self.clients))
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._workspace = ""
        self.port: int | None = None  # where HTTP mode listens, once started

    @property
    def publisher(self) -> Publisher:
        return self._publisher

    def describe(self) -> str:
        where = f" in workspace {self._workspace}" if self._workspace else ""
        api = "" if self.config.api_url == SLACK_API_URL else f", Web API at {self.config.api_url}"
        if self.config.mode == "socket":
            return f"Slack (Socket Mode{where}{api})"
        port = self.port if self.port is not None else self.config.port
        if self.config.oauth is not None:
            paths = f"{EVENTS_PATH}, {INSTALL_PATH} and {REDIRECT_PATH}"
            return f"Slack (HTTP mode, many workspaces: {paths} on port {port}{api})"
        return f"Slack (HTTP mode{where}: {EVENTS_PATH} on port {port}{api})"

    async def start(self) -> None:
        if self.config.oauth is None:  # many workspaces: each token is checked on its requests
            await self._check_token()
        if self.config.mode == "socket":
            socket = AsyncSocketModeHandler(self.app, self.config.app_token)
            try:
                # Ask for the socket URL ourselves: a refused app token fails here, clearly,
                # where connect_async alone would keep retrying.
                socket.client.wss_uri = await socket.client.issue_new_wss_url()
            except SlackApiError as error:
                await socket.close_async()  # type: ignore[no-untyped-call]
                raise PracticeError(
                    f"Slack refused SLACK_APP_TOKEN ({reason(error)}): it needs the "
                    "connections:write scope, and Socket Mode must be on for the app."
                ) from error
            socket.client.message_listeners.append(self._on_socket_message)
            await socket.connect_async()  # type: ignore[no-untyped-call]
            self._socket = socket
            self.catch_up.request()
            return
        web_app = self.app.web_app(path=EVENTS_PATH, port=self.config.port)
        web_app.middlewares.append(refuse_unreadable(self.config.signing_secret or ""))
        runner = web.AppRunner(web_app)
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, self.config.port)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise PracticeError(
                f"Cannot listen on port {self.config.port} for Slack ({error.strerror}): "
                "set PRACTICEBOT_SLACK_PORT to a free port."
            ) from error
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self.catch_up.request()

    async def _on_socket_message(self, _client: Any, message: dict[str, Any], _raw: Any) -> None:
        """Slack greets every new socket with `hello`: after the first, it is a reconnect, and
        what was written meanwhile may never come as events."""
        if message.get("type") == "hello":
            self._hellos += 1
            if self._hellos > 1:
                self.catch_up.request()

    def health(self) -> tuple[bool, str]:
        """Whether Slack can reach us now: the socket is open, or the HTTP server is listening."""
        if self._socket is not None:
            client = self._socket.client
            session = client.current_session
            live = not client.closed and session is not None and not session.closed
            return live, "Socket Mode connected" if live else "Socket Mode reconnecting"
        if self._runner is not None:
            return True, f"HTTP mode listening on port {self.port}"
        return False, "not connected"

    async def _check_token(self) -> None:
        """Fail at start-up, clearly, rather than on the first event."""
        try:
            identity = await self.app.client.auth_test()
        except SlackApiError as error:
            raise TokenRejectedError(
                f"Slack refused SLACK_BOT_TOKEN ({reason(error)}): use the Bot User OAuth "
                "Token (xoxb-) from the app's OAuth & Permissions page."
            ) from error
        except Exception as error:
            raise PlatformUnreachableError(
                f"Cannot reach Slack's Web API at {self.config.api_url} ({reason(error)})."
            ) from error
        self._workspace = str(identity.get("team") or identity.get("team_id") or "")

    async def stop(self) -> None:
        await self.catch_up.stop()
        await self.users.cancel()
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
