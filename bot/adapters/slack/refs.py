"""How Slack ids map onto the core's ids.

A Slack message `ts` is unique only within its channel, so the core sees a message (and a
round's thread) as "CHANNEL:TS". Channel ids are unique across workspaces.
"""

from __future__ import annotations

from bot.core.models import ChannelRef

PLATFORM = "slack"


def channel_ref(team_id: str, channel_id: str) -> ChannelRef:
    return ChannelRef(PLATFORM, team_id, channel_id)


def message_key(channel_id: str, ts: str) -> str:
    return f"{channel_id}:{ts}"


def message_ts(key: str) -> str:
    """The Slack `ts` back out of a message key."""
    return key.rpartition(":")[2]
