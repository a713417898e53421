"""Global slash-command sync at start-up, only when the command definitions changed.

Discord rate-limits command uploads and a global update can take a while to reach every
client, so the bot remembers a hash of what it last uploaded (per application) and skips
the upload when nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands

from bot.clock import Clock
from bot.core.ports import StateStore

log = logging.getLogger(__name__)


def commands_hash(tree: app_commands.CommandTree[Any]) -> str:
    definitions = sorted(
        (command.to_dict(tree) for command in tree.get_commands()), key=lambda d: str(d["name"])
    )
    text = json.dumps(definitions, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def state_key(application_id: int | None) -> str:
    return f"discord.commands_hash.{application_id}"


async def sync_if_changed(tree: app_commands.CommandTree[Any], store: StateStore, clock: Clock) -> bool:
    """Upload the global commands when they differ from the last upload. True if uploaded."""
    key = state_key(tree.client.application_id)
    digest = commands_hash(tree)
    if await store.get_state(key) == digest:
        log.info("slash commands unchanged since the last sync: not uploading them")
        return False
    try:
        synced = await tree.sync()
    except discord.HTTPException as error:
        # The commands from the last successful sync still work; try again next start.
        log.error("could not sync slash commands (will retry at the next start): %s", error)
        return False
    await store.set_state(key, digest, clock.now())
    log.info("synced %d slash commands globally", len(synced))
    return True


async def force_sync(
    tree: app_commands.CommandTree[Any],
    store: StateStore,
    clock: Clock,
    guild_id: int | None,
    *,
    clear: bool = False,
) -> int:
    """Upload now: to one server (shows at once, for development) or globally.

    `clear` removes a server's copies again, so only the global commands show there.
    """
    if guild_id is None:
        synced = await tree.sync()
        await store.set_state(
            state_key(tree.client.application_id), commands_hash(tree), clock.now()
        )
        return len(synced)
    guild = discord.Object(id=guild_id)
    if clear:
        tree.clear_commands(guild=guild)
    else:
        tree.copy_global_to(guild=guild)
    return len(await tree.sync(guild=guild))
