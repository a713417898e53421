"""Faults the loopback platform fakes can inject, one mechanism for Slack and Discord.

A test says "the next N calls matching this fail with X":

    fake.inject(r"chat\\.postMessage", rate_limited(2), times=3, channel="C1")   # Slack
    fake.inject(r"/channels/\\d+/messages", server_error(500), method="POST")    # Discord

The pattern is a regex fully matched against the Slack method name or the Discord path (without
/api/v10); `times=None` keeps failing until `clear()`. Rules are tried in the order they were
added and the first live one wins. Each fake renders a fault the way its platform answers.

What the real clients do with each fault (slack_sdk 3.48 AsyncWebClient, discord.py 2.7.1
HTTPClient, aiohttp 3.14; checked by tests/test_fakes.py or read from the libraries' source):

| fault                          | slack_sdk AsyncWebClient                  | discord.py HTTPClient                          |
|--------------------------------|-------------------------------------------|------------------------------------------------|
| rate_limited (429)             | SlackApiError, status 429, data           | sleeps `retry_after` from the JSON body and    |
|                                | {"ok": false, "error": "ratelimited"},    | retries (5 tries in all, then HTTPException    |
|                                | headers["Retry-After"]. Retried only with | 429); `global` blocks every route meanwhile;   |
|                                | AsyncRateLimitErrorRetryHandler, which    | RateLimited raised at once when retry_after >  |
|                                | sleeps int(Retry-After) + random() (<1 s) | max_ratelimit_timeout. A 429 without a `Via`   |
|                                | per retry.                                | header, or with a non-JSON body, is taken for  |
|                                |                                           | a Cloudflare ban: HTTPException at once.       |
| server_error (5xx, text/html)  | SlackApiError, status 5xx, response.data  | 500/502/504: sleeps 1 + 2*try s and retries    |
|                                | == {} (aiohttp refuses to parse HTML as   | (5 tries), then DiscordServerError; 503 (and   |
|                                | JSON). Retried once only with             | other 5xx): DiscordServerError at once. `text` |
|                                | AsyncServerErrorRetryHandler (500, 503).  | is the whole HTML page, `code` 0.              |
| plain_text (e.g. 502 proxy)    | SlackApiError, response.data is a str     | as server_error; a text/plain 4xx is an        |
|                                | ("502 Bad Gateway"): `data.get` fails.    | HTTPException with `text` the body, `code` 0.  |
| refused (Discord 403 / 50013;  | HTTP 200, SlackApiError with data         | Forbidden (status 403, code 50013, text        |
|  Slack ok:false error)         | {"ok": false, "error": "not_in_channel"}  | "Missing Permissions"); 404 -> NotFound.       |
|                                | (missing_scope adds `needed`/`provided`). |                                                |
| reset (RST, no response)       | AsyncConnectionErrorRetryHandler (a       | aiohttp.ClientOSError errno 104 (ECONNRESET).  |
|                                | default handler) retries once; a second   | discord.py retries resets only for errno 54 /  |
|                                | reset raises aiohttp.ClientOSError, errno | 10054 (macOS, Windows): on Linux it raises at  |
|                                | 104 (ECONNRESET).                         | once. aiohttp itself re-sends an idempotent    |
|                                |                                           | request (GET) once on a dropped connection.    |
| slow (answer after a delay)    | TimeoutError past `timeout=` (the client  | no timeout of its own (the session has none):  |
|                                | builds its session with ClientTimeout     | the caller waits, unless it wraps the call in  |
|                                | total=timeout, default 30 s); no retry.   | asyncio.timeout (TimeoutError).                |

Limits (the fakes answer like the platforms): slack_sdk checks no block limit itself, so every
one comes back as an ok:false SlackApiError (invalid_blocks, msg_too_long, msg_blocks_too_long);
discord.py checks only "at most 10 embeds" itself (ValueError before any request); the rest comes
back as HTTPException status 400, code 50035, `text` "Invalid Form Body" plus one "In <path>:"
line per error.
"""

from __future__ import annotations

import asyncio
import math
import re
import socket
import struct
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from aiohttp import web

Clock = Callable[[], float]


class Kind(Enum):
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"  # an HTML error page
    PLAIN_TEXT = "plain_text"  # a proxy's text/plain answer
    REFUSED = "refused"  # the platform's own refusal (403 on Discord, ok:false on Slack)
    RESET = "reset"  # the connection is reset, no response at all
    SLOW = "slow"  # the normal answer, after a delay


@dataclass(frozen=True)
class Fault:
    kind: Kind
    status: int = 200
    retry_after: float = 0.0
    is_global: bool = False
    error: str = ""  # Slack's error code
    code: int = 0  # Discord's JSON error code
    message: str = ""  # Discord's error message, or the text/plain body
    delay: float = 0.0


def rate_limited(retry_after: float = 1.0, *, is_global: bool = False) -> Fault:
    """HTTP 429. Slack sends Retry-After in whole seconds (rounded up here); Discord's JSON
    body carries the exact `retry_after` and the `global` flag."""
    return Fault(Kind.RATE_LIMITED, 429, retry_after=retry_after, is_global=is_global)


def server_error(status: int = 500) -> Fault:
    """A 5xx with an HTML error page (about 2.5 kB, like a load balancer's)."""
    return Fault(Kind.SERVER_ERROR, status)


def plain_text(status: int = 502, text: str = "502 Bad Gateway") -> Fault:
    """A text/plain answer, as a proxy in front of the platform gives."""
    return Fault(Kind.PLAIN_TEXT, status, message=text)


def refused(
    error: str = "not_in_channel",
    *,
    status: int = 403,
    code: int = 50013,
    message: str = "Missing Permissions",
) -> Fault:
    """The platform refuses: Slack answers HTTP 200 `{"ok": false, "error": error}`; Discord
    answers `status` with `{"code": code, "message": message}`."""
    return Fault(Kind.REFUSED, status, error=error, code=code, message=message)


def reset() -> Fault:
    """The connection is reset (TCP RST) before any response."""
    return Fault(Kind.RESET, 0)


def slow(delay: float) -> Fault:
    """The normal answer, `delay` seconds late (let the client's timeout be shorter)."""
    return Fault(Kind.SLOW, delay=delay)


@dataclass
class Rule:
    pattern: re.Pattern[str]
    fault: Fault
    remaining: int | None  # None: until cleared
    http_method: str | None = None
    channel: str | None = None
    hits: int = 0

    def matches(self, http_method: str, target: str, channel: str | None) -> bool:
        return (
            self.remaining != 0
            and (self.http_method is None or self.http_method == http_method)
            and (self.channel is None or self.channel == channel)
            and self.pattern.fullmatch(target) is not None
        )


@dataclass
class Faults:
    rules: list[Rule] = field(default_factory=list)

    def inject(
        self,
        pattern: str,
        fault: Fault,
        *,
        times: int | None = 1,
        channel: str | int | None = None,
        http_method: str | None = None,
    ) -> Rule:
        rule = Rule(
            re.compile(pattern),
            fault,
            times,
            http_method,
            None if channel is None else str(channel),
        )
        self.rules.append(rule)
        return rule

    def take(self, http_method: str, target: str, channel: str | None) -> Fault | None:
        """The fault for this call, if a rule matches it (one of its `times` is used up)."""
        for rule in self.rules:
            if rule.matches(http_method, target, channel):
                rule.hits += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                return rule.fault
        return None

    def clear(self) -> None:
        self.rules.clear()


# -- the parts both fakes answer alike ------------------------------------------------------

_PADDING = "".join(
    f"    .x{i} {{ margin: 0; padding: 0; font-family: -apple-system, sans-serif; }}\n"
    for i in range(30)
)


def html_page(status: int) -> str:
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(
        status, "Server Error"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n  <title>{status} {reason}</title>\n'
        f"  <style>\n{_PADDING}  </style>\n</head>\n<body>\n  <h1>{status} {reason}</h1>\n"
        "  <p>The server encountered a temporary error and could not complete your request."
        " Please try again in 30 seconds.</p>\n</body>\n</html>\n"
    )


async def answer_network_fault(request: web.Request, fault: Fault) -> web.Response | None:
    """Play the faults that do not depend on the platform. None: go on and answer (after the
    delay of a slow fault); the platform's own faults (429, refusals) are the fake's job."""
    if fault.kind is Kind.SLOW:
        await asyncio.sleep(fault.delay)
        return None
    if fault.kind is Kind.SERVER_ERROR:
        return web.Response(
            text=html_page(fault.status), status=fault.status, content_type="text/html"
        )
    if fault.kind is Kind.PLAIN_TEXT:
        return web.Response(text=fault.message, status=fault.status, content_type="text/plain")
    if fault.kind is Kind.RESET:
        transport = request.transport
        assert transport is not None
        sock = transport.get_extra_info("socket")
        if sock is not None:  # linger 0: close() sends RST, not FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        return web.Response(status=499)  # never reaches the client
    return None


def retry_after_seconds(fault: Fault) -> str:
    """The Retry-After header: whole seconds, rounded up."""
    return str(math.ceil(fault.retry_after))


@dataclass
class Budget:
    """At most `calls` calls per sliding `window` seconds, on the fake's clock."""

    calls: int
    window: float
    clock: Clock = time.monotonic
    _times: deque[float] = field(default_factory=deque)

    def spend(self) -> float:
        """0 when the call is allowed (and counted); else the seconds until one is."""
        now = self.clock()
        while self._times and now - self._times[0] >= self.window:
            self._times.popleft()
        if len(self._times) >= self.calls:
            return self._times[0] + self.window - now
        self._times.append(now)
        return 0.0
