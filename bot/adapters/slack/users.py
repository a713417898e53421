"""Who a Slack user is: a display name for leaderboards, and whether they may run /practice.

An answer never waits for users.info: it is stored with the best name at hand (`name_now`),
and `fill_in` looks the display name up afterwards, in a background task.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.errors import reason

log = logging.getLogger(__name__)
_NAME_CACHE_SIZE = 2000


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    is_admin: bool  # a workspace admin or owner
    timezone: str | None  # the user's Slack timezone, an IANA name


def _name(data: dict[str, Any], profile: dict[str, Any]) -> str | None:
    found = (
        profile.get("display_name")
        or profile.get("real_name")
        or data.get("real_name")
        or data.get("name")
    )
    return str(found) if found else None


def event_name(event: dict[str, Any]) -> str | None:
    """The name a message event carries itself (its `user_profile`, when Slack sends one)."""
    profile = event.get("user_profile")
    return _name(profile, profile) if isinstance(profile, dict) else None


def _user(data: dict[str, Any]) -> SlackUser:
    profile = data.get("profile") or {}
    name = _name(data, profile) or data["id"]
    admin = any(data.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))
    return SlackUser(data["id"], str(name), admin, data.get("tz"))


class SlackUsers:
    """users.info, with names cached: every answer needs one, and they rarely change."""

    def __init__(self, client: AsyncWebClient, admins: frozenset[str]) -> None:
        self._client = client
        self._admins = admins
        self._names: OrderedDict[str, str] = OrderedDict()
        self._filling: dict[str, asyncio.Task[None]] = {}  # user id -> its name look-up
        # Many workspaces: the client Bolt authorized for the request being handled (its
        # workspace's token), set by `per_request`; the look-ups it starts inherit it.
        self._request_client: ContextVar[AsyncWebClient | None] = ContextVar(
            f"slack-users-{id(self)}", default=None
        )

    async def per_request(self, context: AsyncBoltContext, next: Callable[[], Awaitable[Any]]) -> Any:
        """A Bolt middleware (after authorize): users.info with the request's workspace token.

        Bolt calls its middlewares one after the other, not nested, so the value cannot be
        reset after the listener: it stays in the request's task until the next request handled
        there (aiohttp may reuse a task for a kept-alive connection) sets its own, as every
        authorized request does before its listeners run."""
        self._request_client.set(context.client)
        return await next()

    async def lookup(self, user_id: str) -> SlackUser | None:
        """The user as Slack knows them now; None when Slack cannot say."""
        client = self._request_client.get() or self._client
        try:
            response = await client.users_info(user=user_id)
            data = response.get("user") if isinstance(response.data, dict) else None
            if not isinstance(data, dict) or "id" not in data:
                raise ValueError("users.info answered without a user")
        except Exception as error:  # Slack or the network: the caller falls back
            log.warning("users.info failed user=%s: %s", user_id, reason(error))
            return None
        user = _user(data)
        self._remember(user.id, user.name)
        return user

    def name_now(self, user_id: str, event: dict[str, Any] | None = None) -> str:
        """The best name without asking Slack: cached, the event's own, or the id."""
        cached = self._names.get(user_id)
        if cached is not None:
            self._names.move_to_end(user_id)
            return cached
        return (event_name(event) if event else None) or user_id

    def fill_in(self, user_id: str, rename: Callable[[str], Awaitable[None]]) -> None:
        """Unless the name is cached: look it up in the background, then `rename` with it.

        One look-up per person at a time; a failed one is logged and the stored name stays.
        """
        if user_id in self._names or user_id in self._filling:
            return

        async def fill() -> None:
            try:
                user = await self.lookup(user_id)
                if user is not None:
                    await rename(user.name)
            except Exception:
                log.exception("could not store the name of user=%s", user_id)
            finally:
                self._filling.pop(user_id, None)

        self._filling[user_id] = asyncio.create_task(fill(), name=f"slack-name-{user_id}")

    async def settle(self) -> None:
        """Wait for the name look-ups under way (tests; a stop before closing the store)."""
        while self._filling:
            await asyncio.gather(*self._filling.values(), return_exceptions=True)

    async def cancel(self) -> None:
        """Stop the look-ups under way: their names are filled in with a later answer."""
        tasks = list(self._filling.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _remember(self, user_id: str, name: str) -> None:
        self._names[user_id] = name
        self._names.move_to_end(user_id)
        while len(self._names) > _NAME_CACHE_SIZE:
            self._names.popitem(last=False)

    def listed_admin(self, user_id: str) -> bool:
        """Named in PRACTICEBOT_SLACK_ADMINS: no API call needed."""
        return user_id in self._admins
