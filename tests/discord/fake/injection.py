"""The faults and refusals a test injects on REST routes, answered the way Discord does."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from aiohttp import web

from tests.discord.fake.limits import json_response
from tests.discord.fake.state import Json
from tests.faults import (
    Fault,
    Faults,
    Kind,
    Rule,
    answer_network_fault,
    refused,
    retry_after_seconds,
)


@dataclass
class FaultInjection:
    """The rules a test sets; REST takes each call's fault from them before answering it."""

    faults: Faults = field(default_factory=Faults)

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


async def answer_fault(request: web.Request, fault: Fault) -> web.Response | None:
    """Discord's answer to a call that met an injected fault; None: answer it as usual (a slow
    fault has waited by then)."""
    answered = await answer_network_fault(request, fault)
    if answered is not None:
        return answered
    if fault.kind is Kind.RATE_LIMITED:
        return _rate_limited(fault)
    if fault.kind is Kind.REFUSED:
        return json_response({"code": fault.code, "message": fault.message}, fault.status)
    return None


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
        "Retry-After": retry_after_seconds(fault),
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
