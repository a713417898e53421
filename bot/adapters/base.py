"""What the runtime needs from a chat platform adapter (Slack, Discord)."""

from __future__ import annotations

from typing import Protocol

from bot.core.ports import Publisher


class PlatformAdapter(Protocol):
    """A connection to one platform: translates its events into engine calls and posts results."""

    name: str  # the platform id used in ChannelRef.platform: 'slack', 'discord'

    @property
    def publisher(self) -> Publisher: ...

    def describe(self) -> str:
        """One line for the start-up log, e.g. 'Slack (Socket Mode)'. Never includes secrets."""
        ...

    async def start(self) -> None:
        """Connect and begin handling events; returns once serving."""
        ...

    async def stop(self) -> None:
        """Stop taking events and close connections."""
        ...

    def health(self) -> tuple[bool, str]:
        """(live, detail) of the platform connection, for the heartbeat. Must not block."""
        ...
