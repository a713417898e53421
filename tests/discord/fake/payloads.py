"""The JSON Discord sends about the fake's state: guilds, messages, threads, interactions."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.discord.fake.state import FakeUser, GuildState, Json


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


class Payloads(GuildState):
    """The payloads, made from the state as the real Discord would send them."""

    def guild_payload(self, guild_id: int | None = None) -> Json:
        guild_id = guild_id or self.guild_id
        everyone = {
            "id": str(guild_id), "name": "@everyone", "permissions": str(1 << 10 | 1 << 11),
            "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False,
            "flags": 0,
        }  # fmt: skip
        bot_role = {
            "id": str(self.bot_role_id), "name": "practicebot",
            "permissions": str(self.bot_permissions), "position": 1, "color": 0, "hoist": False,
            "managed": True, "mentionable": False, "flags": 0,
        }  # fmt: skip
        managers = {  # Manage Server, for the members in `managers`
            "id": str(self.manager_role_id), "name": "Managers", "permissions": str(1 << 5),
            "position": 2, "color": 0, "hoist": False, "managed": False, "mentionable": False,
            "flags": 0,
        }  # fmt: skip
        return {
            "id": str(guild_id),
            "name": "ML team",
            "icon": None,
            "owner_id": str(self.owner.id),
            "roles": [everyone, bot_role, managers],
            "channels": [c for c in self.channels.values() if int(c["guild_id"]) == guild_id],
            "threads": [],
            "members": [self._member(self.bot)],
            "member_count": 3,
            "large": False,
            "unavailable": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "afk_timeout": 300,
        }

    def message_payload(
        self,
        channel_id: int,
        author: FakeUser,
        content: str = "",
        *,
        message_id: int | None = None,
        edited: str | None = None,
        embeds: list[Json] | None = None,
        components: list[Json] | None = None,
        type: int = 0,
        flags: int = 0,
    ) -> Json:
        return {
            "id": str(message_id or self.next_message_id()),
            "channel_id": str(channel_id),
            "guild_id": str(self.guild_of(channel_id)),
            "author": author.payload(),
            "member": {k: v for k, v in self._member(author).items() if k != "user"},
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": edited,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": embeds or [],
            "components": components or [],
            "pinned": False,
            "type": type,
            "flags": flags,
        }

    def _member(self, user: FakeUser, permissions: int | None = None) -> Json:
        roles = [self.bot_role_id] if user == self.bot else []
        return user.member(permissions, roles)

    def interaction(
        self,
        type: int,
        data: Json,
        *,
        user: FakeUser,
        channel_id: int,
        permissions: int = 1 << 10 | 1 << 11,
        message: Json | None = None,
    ) -> Json:
        interaction_id = self.next_id()
        channel = self.channels.get(channel_id) or self._thread_payload(channel_id)
        payload: Json = {
            "id": str(interaction_id),
            "application_id": str(self.app_id),
            "type": type,
            "data": data,
            "guild_id": str(self.guild_id),
            "guild": {"id": str(self.guild_id), "locale": "en-US", "features": []},
            "channel_id": str(channel_id),
            "channel": channel,
            "member": user.member(permissions),
            "token": f"token-{interaction_id}",
            "version": 1,
            "app_permissions": str(self.bot_permissions),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message
        return payload

    def slash(
        self,
        name: str,
        options: Json | None = None,
        *,
        user: FakeUser,
        channel_id: int,
        permissions: int = 1 << 10 | 1 << 11,
        subcommand: str | None = None,
        focused: str | None = None,
    ) -> Json:
        """An application command (or, with `focused`, its autocomplete) interaction.

        A FakeUser as an option value is a user option, resolved as Discord does."""
        values = []
        resolved: Json = {}
        for key, value in (options or {}).items():
            option: Json = {"name": key, "type": _option_type(value), "value": value}
            if isinstance(value, FakeUser):
                option["value"] = str(value.id)
                resolved.setdefault("users", {})[str(value.id)] = value.payload()
                member = {k: v for k, v in self._member(value).items() if k != "user"}
                resolved.setdefault("members", {})[str(value.id)] = member
            if key == focused:
                option["focused"] = True
            values.append(option)
        if subcommand is not None:
            values = [{"name": subcommand, "type": 1, "options": values}]
        data: Json = {"id": str(self.next_id()), "name": name, "type": 1, "options": values}
        if resolved:
            data["resolved"] = resolved
        return self.interaction(
            4 if focused else 2, data, user=user, channel_id=channel_id, permissions=permissions
        )

    def _thread_payload(self, thread_id: int) -> Json:
        message = self.messages.get(thread_id)
        parent = int(message["channel_id"]) if message else next(iter(self.channels))
        return {
            "id": str(thread_id),
            "type": 11,
            "guild_id": str(self.guild_of(parent)),
            "parent_id": str(parent),
            "owner_id": str(self.bot.id),
            "name": "answers",
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": now_iso(),
                "locked": False,
            },
        }


def _option_type(value: object) -> int:
    if isinstance(value, FakeUser):
        return 6
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3
