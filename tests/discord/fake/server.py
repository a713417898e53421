"""FakeDiscord: one loopback aiohttp server for the gateway websocket and the REST routes."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from tests.discord.fake.rest import Rest
from tests.discord.fake.state import API_PREFIX


@dataclass
class FakeDiscord(Rest):
    """Start it, point discord.py at `api_url` and `gateway_url` (tests/discord/conftest.py),
    and stop it after the test."""

    _runner: web.AppRunner | None = None

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)  # port 0: any free port
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        await self.close_connections()
        if self._runner is not None:
            await self._runner.cleanup()
