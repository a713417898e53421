from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest

from tests.discord.fake_discord import FakeDiscord


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """FakeDiscord on loopback, with discord.py pointed at it (restored afterwards)."""
    server = await FakeDiscord().start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_url)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", server.gateway_url)
    yield server
    await server.stop()
