"""Who a Slack user is: a display name for leaderboards, and whether they may run /practice."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
_NAME_CACHE_SIZE = 2000


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    is_admin: bool  # a workspace admin or owner
    timezone: str | None  # the user's Slack timezone, an IANA name


def _user(data: dict[str, Any]) -> SlackUser:
    profile = data.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or data.get("real_name")
        or data.get("name")
        or data["id"]
    )
    admin = any(data.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))
    return SlackUser(data["id"], str(name), admin, data.get("tz"))


class SlackUsers:
    """users.info, with names cached: every answer needs one, and they rarely change."""

    def __init__(self, client: AsyncWebClient, admins: frozenset[str]) -> None:
        self._client = client
        self._admins = admins
        self._names: OrderedDict[str, str] = OrderedDict()

    async def lookup(self, user_id: str) -> SlackUser | None:
        """The user as Slack knows them now; None when Slack cannot say."""
        try:
            response = await self._client.users_info(user=user_id)
        except SlackApiError as error:
            log.warning("users.info failed user=%s: %s", user_id, error.response.get("error"))
            return None
        except Exception as error:  # network trouble: the caller falls back
            log.warning("users.info failed user=%s: %s", user_id, type(error).__name__)
            return None
        user = _user(response["user"])
        self._remember(user.id, user.name)
        return user

    async def name(self, user_id: str) -> str:
        cached = self._names.get(user_id)
        if cached is not None:
            self._names.move_to_end(user_id)
            return cached
        user = await self.lookup(user_id)
        return user.name if user else user_id

    def _remember(self, user_id: str, name: str) -> None:
        self._names[user_id] = name
        self._names.move_to_end(user_id)
        while len(self._names) > _NAME_CACHE_SIZE:
            self._names.popitem(last=False)

    def listed_admin(self, user_id: str) -> bool:
        """Named in PRACTICEBOT_SLACK_ADMINS: no API call needed."""
        return user_id in self._admins
