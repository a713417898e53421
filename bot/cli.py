"""The `practicebot` command line."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import __version__
from bot.adapters.discord import cli as discord_cli
from bot.adapters.registry import configured_platforms, configured_platforms_names
from bot.bank.loader import BankError, load_bank
from bot.bank.models import Bank
from bot.clock import SystemClock
from bot.config import catch_up_grace, system_timezone
from bot.core.engine import Engine
from bot.core.errors import PracticeError
from bot.core.models import WINDOWS, ChannelRef
from bot.core.schedule import format_duration, parse_post_time, parse_timezone
from bot.grading.llm import LlmSettings
from bot.ops import health, logs
from bot.ops.backup import backup_database, restore_database
from bot.ops.settings import (
    SettingsError,
    effective,
    load_dotenv_file,
    require_valid,
    secret_values,
    validate,
)
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
    run.add_argument(
        "--no-console", action="store_true",
        help="fail instead of starting the console when no platform credentials are set (servers)",
    )  # fmt: skip
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
    backup = db_commands.add_parser("backup", help="copy the database, safe while the bot runs")
    backup.add_argument("path", type=Path, help="the backup file to write")
    restore = db_commands.add_parser(
        "restore", help="replace the database with a backup (bot stopped)"
    )
    restore.add_argument("path", type=Path, help="the backup file to restore")

    discord_cli.add_commands(commands)
    commands.add_parser("config", help="the effective configuration, secrets masked")
    commands.add_parser("health", help="exit 0 only when the running bot is really serving")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    load_dotenv_file()
    quiet = args.command == "console" or (
        args.command == "run" and not configured_platforms_names(os.environ)
    )
    level = (
        args.log_level
        or os.environ.get("PRACTICEBOT_LOG_LEVEL")
        or ("WARNING" if quiet else "INFO")
    )
    logs.configure(
        level, os.environ.get("PRACTICEBOT_LOG_FORMAT", "text"), secret_values(os.environ)
    )
    db_path: Path = args.db or default_db_path()
    try:
        if args.command == "config":
            return _config()
        if args.command in ("run", "console"):
            require_valid(os.environ)
            return _console(args, db_path)
        if args.command == "health":
            healthy, lines = health.check(db_path)
            print("\n".join(lines))
            return 0 if healthy else 1
        if args.command == "questions":
            return _questions(args)
        if args.command == "channels":
            return asyncio.run(_channels(db_path, as_json=args.json))
        if args.command == "leaderboard":
            return asyncio.run(_leaderboard(args, db_path))
        if args.command == "db":
            return _db(args, db_path)
        if args.command == "discord":
            return discord_cli.run(args)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
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
    backup_dir = os.environ.get("PRACTICEBOT_BACKUP_DIR")
    options = Options(
        db_path=db_path,
        questions_dir=args.questions or default_questions_dir(),
        timezone=timezone,
        catch_up_grace=catch_up_grace(),
        manual_start=start,
        backup_dir=Path(backup_dir) if backup_dir else None,
        backup_keep_days=int(os.environ.get("PRACTICEBOT_BACKUP_KEEP_DAYS", "7")),
        backup_time=parse_post_time(os.environ.get("PRACTICEBOT_BACKUP_TIME", "03:30")),
        grader=os.environ.get("PRACTICEBOT_GRADER", "auto").lower(),
        llm=LlmSettings.from_env(os.environ),
    )
    if args.command == "run":
        platforms = configured_platforms(os.environ)
        if platforms:
            names = ", ".join(name for name, _ in platforms)
            print(f"Starting practicebot for: {names}.", file=sys.stderr)
            asyncio.run(run_platforms(options, [factory for _, factory in platforms]))
            return 0
        if args.no_console:
            raise PracticeError(
                "No platform credentials: set SLACK_BOT_TOKEN (with SLACK_APP_TOKEN) or "
                "DISCORD_TOKEN, e.g. in .env. See .env.example."
            )
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


def _config() -> int:
    rows = effective(os.environ)
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        print(f"{name:<{width}}  {value}  ({source})")
    problems = validate(os.environ)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 2 if problems else 0


def _db(args: argparse.Namespace, db_path: Path) -> int:
    if args.db_command == "backup":
        version = backup_database(db_path, args.path)
        print(f"Backed up {db_path} to {args.path} (schema version {version}).")
        return 0
    if args.db_command == "restore":
        restore_database(args.path, db_path)
        print(f"Restored {db_path} from {args.path}. Start the bot to apply any newer migrations.")
        return 0
    return asyncio.run(_migrate(db_path))


async def _migrate(db_path: Path) -> int:
    async with await Store.open(db_path):
        pass
    print(f"{db_path}: schema is up to date (version {len(find_migrations())}).")
    return 0
