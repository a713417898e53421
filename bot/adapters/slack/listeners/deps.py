"""What every listener needs, passed in (no globals), and the shared reply helpers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncRespond

from bot.adapters.slack.refs import channel_ref
from bot.adapters.slack.render import show
from bot.adapters.slack.users import SlackUsers
from bot.core.engine import Engine
from bot.core.models import ChannelRef
from bot.present.errors import error_reply

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deps:
    engine: Engine
    users: SlackUsers


def command_channel(command: dict[str, Any]) -> ChannelRef:
    """The channel a slash command was typed in."""
    return channel_ref(command.get("team_id") or "", command["channel_id"])


@asynccontextmanager
async def explained(
    respond: AsyncRespond, what: str, *, keep_original: bool = False
) -> AsyncIterator[None]:
    """Turn the engine's errors into a private reply; anything else is logged and apologised for.

    `keep_original` for buttons: the reply comes as a new private note, and the message with
    the button stays as it was.
    """
    extra: dict[str, Any] = {"replace_original": False} if keep_original else {}
    try:
        yield
    except Exception as error:
        reply = show(error_reply(error, what, log))
        await respond(text=reply, response_type="ephemeral", **extra)
