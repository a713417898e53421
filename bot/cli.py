"""The `practicebot` command line."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import __version__
from bot.adapters.registry import configured_platforms
from bot.bank.loader import BankError, load_bank
from bot.bank.models import Bank
from bot.clock import SystemClock
from bot.config import catch_up_grace, system_timezone
from bot.core.engine import Engine
from bot.core.errors import PracticeError
from bot.core.models import WINDOWS, ChannelRef
from bot.core.schedule import format_duration, parse_timezone
from bot.paths import default_db_path, default_questions_dir
from bot.runtime import Options, run_console, run_platforms
from bot.store import DatabaseTooNewError, Store
from bot.store.migrate import find_migrations


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="practicebot",
        description="One ML interview question a day: answers in a thread, a reference answer later.",
    )
    parser.add_argument("--version", action="version", version=f"practicebot {__version__}")
    parser.add_argument(
        "--db", type=Path, default=None,
        help="SQLite file (default: $PRACTICEBOT_DB or data/practicebot.db)",
    )  # fmt: skip
    parser.add_argument(
        "--questions", type=Path, default=None,
        help="question bank folder (default: $PRACTICEBOT_QUESTIONS or the bundled bank)",
    )  # fmt: skip
    parser.add_argument("--log-level", default=None, help="DEBUG, INFO, WARNING (default: WARNING)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def console_flags(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--clock", choices=["real", "manual"], default="real",
                         help="manual: time moves only with /advance (demo and tests)")  # fmt: skip
        sub.add_argument("--start", help="manual clock start, e.g. 2026-12-01T08:00 (local time)")
        sub.add_argument(
            "--timezone", help="the console channel's timezone (default: this machine's)"
        )
        sub.add_argument("--user", help="your name in the console (default: your login name)")

    run = commands.add_parser(
        "run", help="start every adapter with credentials (none: the console)"
    )
    console_flags(run)
    console = commands.add_parser("console", help="a local channel in this terminal")
    console_flags(console)

    questions = commands.add_parser("questions", help="the question bank")
    question_commands = questions.add_subparsers(
        dest="questions_command", metavar="ACTION", required=True
    )
    validate = question_commands.add_parser("validate", help="check every question file")
    validate.add_argument(
        "path", nargs="?", type=Path, help="bank folder (default: the bot's bank)"
    )
    listing = question_commands.add_parser("list", help="list the questions")
    listing.add_argument("--pack", help="only this pack")

    channels = commands.add_parser("channels", help="subscribed channels")
    channels.add_argument("--json", action="store_true", help="machine-readable output")

    board = commands.add_parser("leaderboard", help="a channel's leaderboard")
    board.add_argument("--channel", required=True, help="channel key, e.g. console:local:general")
    board.add_argument(
        "--window", choices=WINDOWS, help="rank by answers in a window (default: by streak)"
    )
    board.add_argument(
        "--space", action="store_true", help="the whole workspace/server of the channel"
    )
    board.add_argument("--json", action="store_true", help="machine-readable output")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("migrate", help="apply pending schema migrations")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = (args.log_level or os.environ.get("PRACTICEBOT_LOG_LEVEL") or "WARNING").upper()
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    db_path: Path = args.db or default_db_path()
    try:
        if args.command in ("run", "console"):
            return _console(args, db_path)
        if args.command == "questions":
            return _questions(args)
        if args.command == "channels":
            return asyncio.run(_channels(db_path, as_json=args.json))
        if args.command == "leaderboard":
            return asyncio.run(_leaderboard(args, db_path))
        if args.command == "db":
            return asyncio.run(_migrate(db_path))
    except BankError as error:
        print(error, file=sys.stderr)
        return 1
    except (DatabaseTooNewError, PracticeError) as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    raise AssertionError(f"unhandled command {args.command}")


def _console(args: argparse.Namespace, db_path: Path) -> int:
    timezone = parse_timezone(args.timezone) if args.timezone else system_timezone()
    start = None
    if args.clock == "manual":
        start = _parse_start(args.start, timezone)
    elif args.start:
        raise PracticeError("--start needs --clock manual.")
    options = Options(
        db_path=db_path,
        questions_dir=args.questions or default_questions_dir(),
        timezone=timezone,
        catch_up_grace=catch_up_grace(),
        manual_start=start,
    )
    if args.command == "run":
        platforms = configured_platforms(os.environ)
        if platforms:
            names = ", ".join(name for name, _ in platforms)
            print(f"Starting practicebot for: {names}.", file=sys.stderr)
            asyncio.run(run_platforms(options, [factory for _, factory in platforms]))
            return 0
        print(
            "No platform credentials in the environment (DISCORD_TOKEN, SLACK_BOT_TOKEN): "
            "starting the console adapter.",
            file=sys.stderr,
        )
    asyncio.run(run_console(options, user=args.user or _login_name()))
    return 0


def _parse_start(text: str | None, timezone: str) -> datetime:
    if not text:
        return SystemClock().now()
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        raise PracticeError(
            f"--start must be a date and time like 2026-12-01T08:00 (got '{text}')."
        ) from None
    return start if start.tzinfo else start.replace(tzinfo=ZoneInfo(timezone))


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "you"


def _questions(args: argparse.Namespace) -> int:
    if args.questions_command == "validate":
        root = args.path or args.questions or default_questions_dir()
        bank = load_bank(root)
        counts = ", ".join(f"{p.name} {len(p.questions)}" for p in bank.packs)
        print(f"OK: {len(bank)} questions in {len(bank.packs)} packs ({counts})")
        return 0
    bank = load_bank(args.questions or default_questions_dir())
    if args.pack and bank.pack(args.pack) is None:
        raise PracticeError(f"Unknown pack '{args.pack}'. Packs: {', '.join(bank.pack_names)}.")
    for question in bank.questions([args.pack] if args.pack else None):
        first_line = question.text.splitlines()[0]
        print(f"{question.id:<40} {question.difficulty:<7} {first_line}")
    return 0


async def _channels(db_path: Path, *, as_json: bool) -> int:
    async with await Store.open(db_path) as store:
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


async def _leaderboard(args: argparse.Namespace, db_path: Path) -> int:
    channel = ChannelRef.parse(args.channel)
    async with await Store.open(db_path) as store:
        engine = Engine(store, Bank(()), SystemClock())
        board = await engine.leaderboard(channel, window=args.window, whole_space=args.space)
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
    return 0


async def _migrate(db_path: Path) -> int:
    async with await Store.open(db_path):
        pass
    print(f"{db_path}: schema is up to date (version {len(find_migrations())}).")
    return 0
