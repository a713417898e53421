"""`practicebot discord ...`: the invite URL, and syncing slash commands by hand.

The lead's bot/cli.py calls `add_commands` on its subparsers and `run` for the `discord`
command. discord.py is imported only when a command runs.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.adapters.discord.config import TOKEN_REJECTED, DiscordConfig
from bot.errors import InputError, TokenRejectedError

if TYPE_CHECKING:
    from bot.core.storage import StoreOpener
    from bot.ops.settings import Settings


def add_commands(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Register `discord sync [--guild ID] [--clear]` and `discord invite-url`.

    `parents` carries the global options, so they work after the sub-command too.
    """
    discord_parser: argparse.ArgumentParser = subparsers.add_parser(
        "discord", help="Discord: the invite URL and slash-command sync", parents=list(parents)
    )
    actions = discord_parser.add_subparsers(dest="discord_command", metavar="ACTION", required=True)
    actions.add_parser(
        "invite-url",
        help="print the URL that adds the bot to a server, with its permissions",
        parents=list(parents),
    )
    sync = actions.add_parser(
        "sync",
        parents=list(parents),
        help="upload the slash commands now: to one server (instant, for development) or globally",
    )
    sync.add_argument("--guild", type=int, metavar="ID", help="the server (guild) id to sync to")
    sync.add_argument(
        "--clear", action="store_true", help="with --guild: remove the server's copies again"
    )


def run(args: argparse.Namespace, settings: Settings, open_store: StoreOpener) -> int:
    """The `discord` command; errors are PracticeErrors, reported by the main command line."""
    environ = settings.env.values
    if args.discord_command == "invite-url":
        print(invite_url_from_env(environ))
        return 0
    if args.discord_command == "sync":
        if args.clear and args.guild is None:
            raise InputError("--clear needs --guild ID.")
        config = DiscordConfig.from_env(environ)
        count = asyncio.run(_sync(args, config, settings, open_store))
        where = f"server {args.guild}" if args.guild is not None else "every server (global)"
        verb = "Removed the server's copies of the" if args.clear else f"Synced {count}"
        print(f"{verb} slash commands for {where}.")
        return 0
    raise AssertionError(f"unhandled discord command {args.discord_command}")


def invite_url_from_env(env: Mapping[str, str]) -> str:
    from bot.adapters.discord.invite import application_id_from_token, invite_url

    config_id = env.get("DISCORD_APPLICATION_ID", "").strip()
    if config_id:
        from bot.adapters.discord.config import application_id as parse_application_id

        return invite_url(parse_application_id(config_id) or 0)
    token = env.get("DISCORD_TOKEN", "").strip()
    application_id = application_id_from_token(token) if token else None
    if application_id is None:
        raise InputError(
            "Set DISCORD_APPLICATION_ID (the developer portal's Application ID) or DISCORD_TOKEN."
        )
    return invite_url(application_id)


async def _sync(
    args: argparse.Namespace, config: DiscordConfig, settings: Settings, open_store: StoreOpener
) -> int:
    return await sync_commands(
        config,
        open_store=open_store,
        db_path=settings.db_path,
        questions_dir=settings.questions_dir,
        guild_id=args.guild,
        clear=args.clear,
    )


async def sync_commands(
    config: DiscordConfig,
    *,
    open_store: StoreOpener,
    db_path: Path,
    questions_dir: Path,
    guild_id: int | None,
    clear: bool = False,
) -> int:
    """Log in over HTTP only (no gateway) and upload the commands; how many were synced."""
    import discord

    from bot.adapters.discord.client import PracticeClient
    from bot.adapters.discord.sync import force_sync
    from bot.bank.loader import load_bank
    from bot.clock import SystemClock
    from bot.core.engine import Engine

    bank = load_bank(questions_dir)
    async with await open_store(db_path) as store:
        engine = Engine(store, bank, SystemClock())
        client = PracticeClient(
            engine, message_content=False, sync_commands=False,
            application_id=config.application_id,
        )  # fmt: skip
        try:
            await client.login(config.token)
            return await force_sync(client.tree, engine, guild_id, clear=clear)
        except discord.LoginFailure:
            raise TokenRejectedError(TOKEN_REJECTED) from None
        finally:
            await client.close()
