"""The Discord adapter's settings, read from the environment. No discord.py import here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.errors import InputError

TOKEN_REJECTED = (
    "Discord rejected DISCORD_TOKEN: copy the bot token again from the developer portal "
    "(your application → Bot → Reset Token)."
)
_ON = {"1", "true", "yes", "on"}
_OFF = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class DiscordConfig:
    token: str = field(repr=False)  # never logged
    application_id: int | None = None  # DISCORD_APPLICATION_ID; else read from the token
    # Read answers from thread messages (the privileged Message Content intent). Off: answers
    # come only through the "Answer" button and its modal.
    message_content: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DiscordConfig:
        token = env.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise InputError(
                "DISCORD_TOKEN is not set: copy the bot token from the developer portal."
            )
        return cls(
            token=token,
            application_id=_application_id(env.get("DISCORD_APPLICATION_ID", "")),
            message_content=_switch("DISCORD_MESSAGE_CONTENT", env.get("DISCORD_MESSAGE_CONTENT")),
        )


def application_id(text: str) -> int | None:
    """DISCORD_APPLICATION_ID as a number; None when unset."""
    return _application_id(text)


def _application_id(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit():
        raise InputError(f"DISCORD_APPLICATION_ID must be a number (got '{value}').")
    return int(value)


def _switch(name: str, value: str | None, default: bool = True) -> bool:
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in _ON:
        return True
    if word in _OFF:
        return False
    raise InputError(f"{name} must be on or off (got '{value}').")
