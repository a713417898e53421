"""Per-space settings: options a Slack workspace, a Discord server or the console sets for
itself, declared once each here (key, type, default, validator, help), in the spirit of Red's
`Config.register_guild`. A setting declared `per_channel` (the weekly recap) belongs to each
channel instead: `config` run in a channel sets it there, and a channel that never set it has
the declared default (there is no space-wide value to fall back on: one channel's choice
never switches another's).

Adding an option is one declaration in `SPACE_SETTINGS` plus its use (`await
engine.space_value(channel, MY_OPTION)`); `/practice config` lists, shows and sets it on every
platform without further changes. Only values that differ from the default are stored.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.core.errors import InputError
from bot.core.models import ChannelRef
from bot.core.wiring import Wiring

log = logging.getLogger(__name__)
T = TypeVar("T")
RESET_WORDS = ("default", "reset")  # `/practice config KEY default` goes back to the default


@dataclass(frozen=True)
class SpaceSetting(Generic[T]):
    key: str
    help: str
    default: T
    kind: str  # shown in the listing: "on|off", "0-20", "#channel"
    parse: Callable[[str], T]  # text typed in a chat → value; raises InputError
    show: Callable[[T], str]  # value → text shown (and stored)
    per_channel: bool = False  # set per channel, not for the whole space


def switch(
    key: str, *, default: bool, help: str, per_channel: bool = False
) -> SpaceSetting[bool]:
    def parse(text: str) -> bool:
        word = text.strip().lower()
        if word in ("on", "yes", "true", "1"):
            return True
        if word in ("off", "no", "false", "0"):
            return False
        raise InputError(f"{key} must be on or off (got '{text}').")

    return SpaceSetting(
        key, help, default, "on|off", parse, lambda v: "on" if v else "off", per_channel
    )


def whole_number(key: str, low: int, high: int, *, default: int, help: str) -> SpaceSetting[int]:
    def parse(text: str) -> int:
        word = text.strip()
        if not word.isdigit() or not low <= int(word) <= high:
            raise InputError(f"{key} must be a whole number from {low} to {high} (got '{text}').")
        return int(word)

    return SpaceSetting(key, help, default, f"{low}-{high}", parse, str)


_CHANNEL_MENTION = re.compile(r"^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$|^#?([A-Za-z0-9][A-Za-z0-9_-]*)$")


def channel(key: str, *, help: str) -> SpaceSetting[str | None]:
    """A channel of the space: a mention (<#C123>, <#123456>), #name or an id; 'none' clears."""

    def parse(text: str) -> str | None:
        word = text.strip()
        if word.lower() == "none":
            return None
        match = _CHANNEL_MENTION.match(word)
        if match is None:
            raise InputError(f"{key} must be a channel, like #reviews, or none (got '{text}').")
        return match.group(1) or match.group(2)

    def show(value: str | None) -> str:
        return "none" if value is None else f"#{value}"

    return SpaceSetting(key, help, None, "#channel|none", parse, show)


WEEKLY_RECAP = switch(
    "weekly-recap", default=False, per_channel=True,
    help="this channel: a weekly summary before the first question of the week",
)  # fmt: skip
SUGGESTION_LIMIT = whole_number(
    "suggestion-limit", 0, 20, default=3, help="question suggestions one person may have waiting for review"
)
REVIEW_CHANNEL = channel("review-channel", help="where suggested questions are reviewed")

SPACE_SETTINGS: tuple[SpaceSetting[Any], ...] = (WEEKLY_RECAP, SUGGESTION_LIMIT, REVIEW_CHANNEL)


def stored_value(setting: SpaceSetting[T], stored: str | None) -> T:
    """A stored text's value (the default when not set, or stored by an older version with
    other rules)."""
    if stored is None:
        return setting.default
    try:
        return setting.parse(stored)
    except InputError:
        log.warning("%s: stored value %r ignored", setting.key, stored)
        return setting.default


@dataclass(frozen=True)
class SettingView:
    """One setting of a space as shown to people."""

    key: str
    value: str
    is_default: bool
    kind: str
    help: str


def find(key: str) -> SpaceSetting[Any]:
    for setting in SPACE_SETTINGS:
        if setting.key == key.strip().lower():
            return setting
    keys = ", ".join(s.key for s in SPACE_SETTINGS)
    raise InputError(f"There is no setting '{key}'. Settings: {keys}.")


class Spaces:
    def __init__(self, wiring: Wiring) -> None:
        self._w = wiring

    async def value(self, channel: ChannelRef, setting: SpaceSetting[T]) -> T:
        """A setting's value in the channel (or its space); its default when not set there."""
        return stored_value(setting, (await self._stored(channel, setting)).get(setting.key))

    async def views(self, channel: ChannelRef) -> list[SettingView]:
        space = await self._w.store.space_settings(channel.platform, channel.space_id)
        here = await self._w.store.channel_settings(
            channel.platform, channel.space_id, channel.channel_id
        )
        return [
            self._view(s, (here if s.per_channel else space).get(s.key)) for s in SPACE_SETTINGS
        ]

    async def view(self, channel: ChannelRef, key: str) -> SettingView:
        setting = find(key)
        return self._view(setting, (await self._stored(channel, setting)).get(setting.key))

    async def set(self, channel: ChannelRef, key: str, text: str, by: str | None) -> SettingView:
        """Validate and store; InputError (nothing stored) on a bad key or value."""
        setting = find(key)
        if text.strip().lower() in RESET_WORDS:
            stored: str | None = None
        else:
            value = setting.parse(text)
            stored = None if value == setting.default else setting.show(value)
        now = self._w.clock.now()
        if setting.per_channel:
            await self._w.store.set_channel_setting(
                channel.platform, channel.space_id, channel.channel_id, setting.key, stored, by,
                now,
            )  # fmt: skip
            log.info("channel=%s %s=%s", channel.key, setting.key, stored)
        else:
            await self._w.store.set_space_setting(
                channel.platform, channel.space_id, setting.key, stored, by, now
            )
            log.info("space=%s:%s %s=%s", channel.platform, channel.space_id, setting.key, stored)
        return self._view(setting, stored)

    async def _stored(self, channel: ChannelRef, setting: SpaceSetting[Any]) -> dict[str, str]:
        if setting.per_channel:
            return await self._w.store.channel_settings(
                channel.platform, channel.space_id, channel.channel_id
            )
        return await self._w.store.space_settings(channel.platform, channel.space_id)

    @staticmethod
    def _view(setting: SpaceSetting[Any], stored: str | None) -> SettingView:
        value = setting.show(setting.default) if stored is None else stored
        return SettingView(setting.key, value, stored is None, setting.kind, setting.help)
