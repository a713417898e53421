"""The `practicebot` command line.

Every failure ends in one line naming the cause and the fix, with a non-zero exit code: the
errors the bot can explain (`bot.errors`) are caught here, once. Read-only commands (`channels`,
`leaderboard`, `streak`, `config`, `health`) never create a database or its folder.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import __version__, community_cli
from bot.adapters.discord import cli as discord_cli
from bot.adapters.registry import configured_platforms, configured_platforms_names
from bot.bank.loader import load_bank
from bot.bank.models import Bank
from bot.clock import SystemClock
from bot.core.engine import Engine
from bot.core.models import WINDOWS, ChannelRef
from bot.core.schedule import format_duration, parse_timezone
from bot.core.storage import Store, StoreOpener
from bot.core.storage import SubscriptionStore as ChannelsStore
from bot.errors import ConfigurationError, InputError, NotFoundError, OperatorError, PracticeError
from bot.grading.llm import LlmSettings
from bot.ops import health, logs
from bot.ops.backup import backup_database, restore_database
from bot.ops.settings import (
    LOG_LEVELS,
    Environment,
    Settings,
    effective,
    read_environment,
    read_settings,
    secret_values,
    validate,
)
from bot.runtime import Options, run_console, run_platforms
from bot.store import is_postgres, mask_url, open_store
from bot.store.migrate import find_migrations

log = logging.getLogger(__name__)
EXIT_USAGE = 2  # bad settings or arguments, as argparse does
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports `cmd | head`
EXIT_SOFTWARE = 70  # sysexits' EX_SOFTWARE: an internal error


def _global_options() -> argparse.ArgumentParser:
    """Options accepted before or after the sub-command (`practicebot console --db X`)."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--db", type=str, default=argparse.SUPPRESS,
        help="SQLite file, or postgresql://user:pass@host:5432/db "
        "(default: $PRACTICEBOT_DB or data/practicebot.db)",
    )  # fmt: skip
    options.add_argument(
        "--questions", type=Path, default=argparse.SUPPRESS,
        help="question bank folder (default: $PRACTICEBOT_QUESTIONS or the bundled bank)",
    )  # fmt: skip
    options.add_argument(
        "--log-level", type=str.upper, choices=[level.upper() for level in LOG_LEVELS],
        default=argparse.SUPPRESS,
        help="default: $PRACTICEBOT_LOG_LEVEL, or INFO (WARNING in the console)",
    )  # fmt: skip
    return options


def _parser() -> argparse.ArgumentParser:
    common = _global_options()
    parser = argparse.ArgumentParser(
        prog="practicebot",
        description="One ML interview question a day: answers in a thread, a reference answer later.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"practicebot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(group: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help: str) -> argparse.ArgumentParser:  # fmt: skip
        return group.add_parser(name, help=help, parents=[common])

    def console_flags(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--clock", choices=["real", "manual"], default="real",
                         help="manual: time moves only with /advance (demo and tests)")  # fmt: skip
        sub.add_argument("--start", help="manual clock start, e.g. 2026-12-01T08:00 (local time)")
        sub.add_argument(
            "--timezone", help="the console channel's timezone (default: this machine's)"
        )
        sub.add_argument("--user", help="your name in the console (default: your login name)")

    run = command(commands, "run", "start every adapter with credentials (none: the console)")
    console_flags(run)
    run.add_argument(
        "--no-console", action="store_true",
        help="fail instead of starting the console when no platform credentials are set (servers)",
    )  # fmt: skip
    console_flags(command(commands, "console", "a local channel in this terminal"))

    questions = command(commands, "questions", "the question bank")
    question_commands = questions.add_subparsers(
        dest="questions_command", metavar="ACTION", required=True
    )
    validate_cmd = command(question_commands, "validate", "check every question file")
    validate_cmd.add_argument(
        "path", nargs="?", type=Path, help="bank folder (default: the bot's bank)"
    )
    listing = command(question_commands, "list", "list the questions")
    listing.add_argument("--pack", help="only this pack")
    stats = command(question_commands, "stats", "counts per pack, difficulty and tag")
    stats.add_argument("path", nargs="?", type=Path, help="bank folder (default: the bot's bank)")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    community_cli.add_question_commands(question_commands, command)
    community_cli.add_commands(commands, command)

    channels = command(commands, "channels", "subscribed channels")
    channels.add_argument("--json", action="store_true", help="machine-readable output")

    board = command(commands, "leaderboard", "a channel's leaderboard")
    board.add_argument("--channel", required=True, help="channel key, e.g. console:local:general")
    board.add_argument(
        "--window", choices=WINDOWS, help="rank by answers in a window (default: by streak)"
    )
    board.add_argument(
        "--space", action="store_true", help="the whole workspace/server of the channel"
    )
    board.add_argument("--json", action="store_true", help="machine-readable output")
    board.add_argument("--user", help="highlight this person (a user id), and show their row")
    board.add_argument("--image", type=Path, help="also write the board as a PNG card here")

    streak = command(commands, "streak", "one person's streak in a channel")
    streak.add_argument("--channel", required=True, help="channel key, e.g. console:local:general")
    streak.add_argument("--user", required=True, help="the person's user id")
    streak.add_argument("--image", type=Path, help="also write their 26-week calendar as a PNG")

    db = command(commands, "db", "database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    command(db_commands, "migrate", "apply pending schema migrations")
    backup = command(db_commands, "backup", "copy the database, safe while the bot runs")
    backup.add_argument("path", help="the backup file to write, or a folder (ending in /) for it")
    backup.add_argument("--force", action="store_true", help="replace an existing backup file")
    restore = command(db_commands, "restore", "replace the database with a backup (bot stopped)")
    restore.add_argument("path", type=Path, help="the backup file to restore")
    copy = command(db_commands, "copy", "copy a whole database, SQLite ↔ PostgreSQL, checked")
    copy.add_argument("--from", dest="source", required=True, help="SQLite file or postgresql:// URL")
    copy.add_argument("--to", dest="target", required=True, help="SQLite file or postgresql:// URL")
    copy.add_argument("--force", action="store_true", help="empty a target that has data first")

    discord_cli.add_commands(commands, parents=[common])
    command(commands, "config", "the effective configuration, secrets masked")
    command(commands, "health", "exit 0 only when the running bot is really serving")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()  # inside the try: a closed pipe fails here, not at exit
        return code
    except BrokenPipeError:
        # The reader went away (`practicebot config | head -1`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    flags = {name: getattr(args, name, None) for name in ("db", "questions", "log_level")}
    env = read_environment(os.environ, Path(".env"), flags)
    if args.command == "config":
        return _config(env)
    try:
        settings = read_settings(env)
        _configure_logging(args, settings)
        return _dispatch(args, settings)
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except PracticeError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise  # main() ends quietly
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        print(f"practicebot: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: still one line for the person, the details in the log
        log.debug("unexpected error", exc_info=True)
        print(
            f"practicebot: unexpected error ({type(error).__name__}: {error}). This is a bug: "
            "please report it; --log-level DEBUG shows where it happened.",
            file=sys.stderr,
        )
        return EXIT_SOFTWARE


def _configure_logging(args: argparse.Namespace, settings: Settings) -> None:
    chosen = "PRACTICEBOT_LOG_LEVEL" in settings.env.values
    quiet = args.command == "console" or (
        args.command == "run" and not configured_platforms_names(settings.env.values)
    )
    level = settings.log_level if chosen or not quiet else "WARNING"
    logs.configure(level, settings.log_format, secret_values(settings.env))


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command in ("run", "console"):
        return _console(args, settings)
    if args.command == "health":
        healthy, lines = health.check(
            settings.db_path, database=settings.db if is_postgres(settings.db) else None
        )
        print("\n".join(lines))
        return 0 if healthy else 1
    if args.command == "questions" and args.questions_command in ("export", "import"):
        return community_cli.run_questions(args, settings)
    if args.command == "questions":
        return _questions(args, settings)
    if args.command == "suggestions":
        return community_cli.run_suggestions(args, settings)
    if args.command == "channels":
        return asyncio.run(_channels(_location(settings), as_json=args.json))
    if args.command == "leaderboard":
        return asyncio.run(_leaderboard(args, _location(settings)))
    if args.command == "streak":
        return asyncio.run(_streak(args, _location(settings)))
    if args.command == "db":
        return _db(args, settings)
    if args.command == "discord":
        return discord_cli.run(args, settings, _opener(settings))
    raise AssertionError(f"unhandled command {args.command}")


def _location(settings: Settings) -> str | Path:
    """What `open_store` opens: the PostgreSQL URL, or the SQLite file."""
    return settings.db if is_postgres(settings.db) else settings.db_path


def _opener(settings: Settings) -> StoreOpener:
    """A `StoreOpener` for the configured database (the path it is given is the SQLite file)."""

    async def opener(path: Path) -> Store:
        return await open_store(settings.db if is_postgres(settings.db) else path)

    return opener


def _console(args: argparse.Namespace, settings: Settings) -> int:
    timezone = parse_timezone(args.timezone) if args.timezone else settings.timezone
    start = None
    if args.clock == "manual":
        start = _parse_start(args.start, timezone)
    elif args.start:
        raise InputError("--start needs --clock manual.")
    options = Options(
        db_path=settings.db_path,
        db=settings.db,
        questions_dir=settings.questions_dir,
        timezone=timezone,
        catch_up_grace=settings.catch_up_grace,
        manual_start=start,
        backup_dir=settings.backup_dir,
        backup_keep_days=settings.backup_keep_days,
        backup_time=settings.backup_time,
        grader=settings.grader,
        llm=LlmSettings.from_env(settings.env.values),
    )
    if args.command == "run":
        platforms = configured_platforms(settings.env.values)
        if platforms:
            names = ", ".join(name for name, _ in platforms)
            print(f"Starting practicebot for: {names}.", file=sys.stderr)
            asyncio.run(run_platforms(options, [factory for _, factory in platforms]))
            return 0
        if args.no_console:
            raise OperatorError(
                "No platform credentials: set SLACK_BOT_TOKEN (with SLACK_APP_TOKEN) or "
                "DISCORD_TOKEN, e.g. in .env. See .env.example."
            )
        print(
            "No platform credentials in the environment (DISCORD_TOKEN, SLACK_BOT_TOKEN): "
            "starting the console adapter.",
            file=sys.stderr,
        )
    if start is not None and "PRACTICEBOT_DB" not in settings.env.values:
        # A manual-clock demo never writes its simulated days into the real database.
        with tempfile.TemporaryDirectory(prefix="practicebot-demo-") as folder:
            demo = replace(options, db_path=Path(folder) / "demo.db", db=None)
            asyncio.run(run_console(demo, user=args.user or _login_name(), demo_db=True))
        return 0
    asyncio.run(run_console(options, user=args.user or _login_name()))
    return 0


def _parse_start(text: str | None, timezone: str) -> datetime:
    if not text:
        return SystemClock().now()
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"--start must be a date and time like 2026-12-01T08:00 (got '{text}')."
        ) from None
    return start if start.tzinfo else start.replace(tzinfo=ZoneInfo(timezone))


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "you"


def _questions(args: argparse.Namespace, settings: Settings) -> int:
    if args.questions_command == "validate":
        bank = load_bank(args.path or settings.questions_dir)
        counts = ", ".join(f"{p.name} {len(p.questions)}" for p in bank.packs)
        print(f"OK: {len(bank)} questions in {len(bank.packs)} packs ({counts})")
        return 0
    if args.questions_command == "stats":
        from bot.bank import stats

        summary = stats.bank_stats(load_bank(args.path or settings.questions_dir))
        print(json.dumps(stats.as_json(summary), indent=2) if args.json else stats.render(summary))
        return 0
    bank = load_bank(settings.questions_dir)
    if args.pack and bank.pack(args.pack) is None:
        raise InputError(f"Unknown pack '{args.pack}'. Packs: {', '.join(bank.pack_names)}.")
    for question in bank.questions([args.pack] if args.pack else None):
        first_line = question.text.splitlines()[0]
        print(f"{question.id:<40} {question.difficulty:<7} {first_line}")
    return 0


async def _channels(db_path: str | Path, *, as_json: bool) -> int:
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


async def _leaderboard(args: argparse.Namespace, db_path: str | Path) -> int:
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


async def _streak(args: argparse.Namespace, db_path: str | Path) -> int:
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


def _config(env: Environment) -> int:
    """Exactly what `run` would use, and every problem with it (exit 2 when there is one)."""
    rows = effective(env)
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        print(f"{name:<{width}}  {value}  ({source})")
    problems = validate(env)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return EXIT_USAGE if problems else 0


def _db(args: argparse.Namespace, settings: Settings) -> int:
    if args.db_command == "copy":
        from bot.ops.copy import copy_command

        return copy_command(args.source, args.target, force=args.force)
    if is_postgres(settings.db):
        return _db_postgres(args, settings.db)
    db_path = settings.db_path
    if args.db_command == "backup":
        folder = args.path.endswith(("/", os.sep))
        target, version = backup_database(
            db_path, Path(args.path), replace=args.force, into_folder=folder
        )
        print(f"Backed up {db_path} to {target} (schema version {version}).")
        return 0
    if args.db_command == "restore":
        kept = restore_database(args.path, db_path)
        if kept is not None:
            print(f"Kept the database it replaced as {kept}.")
        print(f"Restored {db_path} from {args.path}. Start the bot to apply any newer migrations.")
        return 0
    return asyncio.run(_migrate(db_path))


async def _migrate(db_path: str | Path) -> int:
    async with await open_store(db_path):
        pass
    print(f"{mask_url(db_path)}: schema is up to date (version {len(find_migrations())}).")
    return 0


def _db_postgres(args: argparse.Namespace, url: str) -> int:
    """Backups of a PostgreSQL database are PostgreSQL's own tools' job: say how."""
    shown = mask_url(url)
    if args.db_command == "backup":
        raise OperatorError(
            f"practicebot does not back up PostgreSQL itself. Use pg_dump, e.g.\n"
            f"  pg_dump --format=custom --file={args.path or 'practicebot.dump'} '{shown}'\n"
            "(with the real password, or PGPASSWORD / ~/.pgpass), or your server's own backups."
        )
    if args.db_command == "restore":
        raise OperatorError(
            "practicebot does not restore PostgreSQL itself. With the bot stopped, use "
            f"pg_restore, e.g.\n  pg_restore --clean --if-exists --dbname='{shown}' {args.path}"
        )
    return asyncio.run(_migrate(url))
