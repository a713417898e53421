"""The read-only commands: `channels`, `leaderboard` and `streak` (they never create a database)."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from bot.bank.models import Bank
from bot.clock import SystemClock
from bot.core.engine import Engine
from bot.core.models import ChannelRef
from bot.core.schedule import format_duration
from bot.core.storage import SubscriptionStore as ChannelsStore
from bot.errors import InputError, NotFoundError
from bot.store import mask_url, open_store


async def run_channels(db_path: str | Path, *, as_json: bool) -> int:
    async with await open_store(db_path, read_only=True) as store:
        subscriptions = await store.subscriptions(active_only=False)
    rows = [
        {
            "channel": s.channel.key,
            "post_time": f"{s.schedule.post_time:%H:%M}",
            "timezone": s.schedule.timezone,
            "days": sorted(s.schedule.days),
            "reveal_after": format_duration(s.schedule.reveal_after),
            "packs": list(s.packs) if s.packs else None,
            "active": s.active,
            "problem": s.problem,
        }
        for s in subscriptions
    ]
    if as_json:
        print(json.dumps(rows, indent=2))
    elif not rows:
        print("No channels are subscribed yet.")
    else:
        for s in subscriptions:
            state = "active" if s.active else "paused"
            problem = f"  problem: {s.problem}" if s.problem else ""
            print(f"{s.channel.key:<40} {s.schedule.describe()} [{state}]{problem}")
    return 0


async def _known_channel(
    store: ChannelsStore, channel: ChannelRef, db_path: str | Path
) -> None:
    known = {s.channel for s in await store.subscriptions(active_only=False)}
    if channel not in known:
        keys = ", ".join(sorted(c.key for c in known)) or "none yet"
        raise NotFoundError(
            f"No channel {channel.key} in {mask_url(db_path)}. Subscribed channels: {keys} "
            "(`practicebot channels` lists them)."
        )


def _image_target(path: Path) -> Path:
    """Where `--image` writes: checked before anything is read, so a typo fails at once."""
    if path.is_dir():
        raise InputError(
            f"--image {path} is a folder: give a file name, e.g. {path / 'board.png'}."
        )
    if not path.parent.is_dir():
        raise InputError(f"--image {path}: the folder {path.parent} does not exist.")
    return path


async def run_leaderboard(args: argparse.Namespace, db_path: str | Path) -> int:
    channel = ChannelRef.parse(args.channel)
    target = _image_target(args.image) if args.image else None
    async with await open_store(db_path, read_only=True) as store:
        await _known_channel(store, channel, db_path)
        engine = Engine(store, Bank(()), SystemClock())
        if target is None:
            board = await engine.leaderboard(
                channel, window=args.window, whole_space=args.space, caller_id=args.user
            )
        else:
            from bot.images import card, gather

            data = await gather.card_data(
                engine, channel, window=args.window, whole_space=args.space, caller_id=args.user
            )
            board = data.board
            picture = await asyncio.to_thread(card.render, data)
            target.write_bytes(picture.png)
    if args.json:
        entries = [
            {"user": e.user_id, "name": e.name, "current_streak": e.current_streak,
             "best_streak": e.best_streak, "answers": e.answers, "rank": e.rank}
            for e in board.entries
        ]  # fmt: skip
        print(json.dumps({"channel": board.scope, "window": board.window,
                          "ranked_by": board.ranked_by, "entries": entries}, indent=2))  # fmt: skip
        return 0
    from bot.adapters.console.render import leaderboard

    print(leaderboard(board))
    if target is not None:
        print(f"Image: {target} ({picture.width}×{picture.height})")
    return 0


async def run_streak(args: argparse.Namespace, db_path: str | Path) -> int:
    channel = ChannelRef.parse(args.channel)
    target = _image_target(args.image) if args.image else None
    async with await open_store(db_path, read_only=True) as store:
        await _known_channel(store, channel, db_path)
        engine = Engine(store, Bank(()), SystemClock())
        view = await engine.streak(channel, args.user)
        name = await store.user_name(channel.platform, args.user) or args.user
        if target is not None:
            from bot.images import calendar, gather

            data = await gather.calendar_data(engine, channel, args.user, name)
            picture = await asyncio.to_thread(calendar.render, data)
            target.write_bytes(picture.png)
    from bot.adapters.console.render import streak
    from bot.present.parts import Who

    print(streak(view, Who(args.user, name)))
    if target is not None:
        print(f"Image: {target} ({picture.width}×{picture.height})")
    return 0
