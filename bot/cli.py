"""The `practicebot` command line.

Every failure ends in one line naming the cause and the fix, with a non-zero exit code: the
errors the bot can explain (`bot.errors`) are caught here, once. Read-only commands (`channels`,
`leaderboard`, `streak`, `config`, `health`) never create a database or its folder.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import __version__
from bot.adapters.discord import cli as discord_cli
from bot.adapters.registry import configured_platforms, configured_platforms_names
from bot.clock import SystemClock
from bot.commands import bank, database, reading
from bot.core.models import WINDOWS
from bot.core.ports import Store, StoreOpener
from bot.core.schedule import parse_timezone
from bot.errors import ConfigurationError, InputError, OperatorError, PracticeError
from bot.grading.llm import LlmSettings
from bot.ops import health, logs
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
from bot.store import is_postgres, open_store

log = logging.getLogger(__name__)
EXIT_USAGE = 2  # bad settings or arguments, as argparse does
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports `cmd | head`
EXIT_SOFTWARE = 70  # sysexits' EX_SOFTWARE: an internal error
DEFAULT_SPEED = 600.0  # a fast clock: ten simulated minutes a second
MOST_SPEED = 86_400  # a day a second: beyond it a tick would skip whole days


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
        sub.add_argument("--clock", choices=["real", "manual", "fast"], default="real",
                         help="manual: time moves only with /advance; fast: time runs --speed "
                         "times as fast from --start (demos and tests)")  # fmt: skip
        sub.add_argument(
            "--start", help="manual or fast clock start, e.g. 2026-12-01T08:00 (local time)"
        )
        sub.add_argument(
            "--speed", type=str, help="fast clock: simulated seconds per second, e.g. 600"
        )
        sub.add_argument(
            "--origin", type=str,
            help="fast clock: the Unix time at which it reads --start (default: when it "
            "starts); processes given the same --start and --origin share one time",
        )  # fmt: skip
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
    bank.add_question_commands(question_commands, command)
    bank.add_commands(commands, command)

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
    logs.configure(
        level, settings.log_format, secret_values(settings.env), process=settings.process_name
    )


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command in ("run", "console"):
        return _console(args, settings)
    if args.command == "health":
        healthy, lines = health.check(
            settings.db_path, database=settings.db if is_postgres(settings.db) else None,
            process=settings.env.get("PRACTICEBOT_PROCESS_NAME") or None,
        )  # fmt: skip
        print("\n".join(lines))
        return 0 if healthy else 1
    if args.command == "questions":
        return bank.run_questions(args, settings)
    if args.command == "suggestions":
        return bank.run_suggestions(args, settings)
    if args.command == "channels":
        return asyncio.run(reading.run_channels(_location(settings), as_json=args.json))
    if args.command == "leaderboard":
        return asyncio.run(reading.run_leaderboard(args, _location(settings)))
    if args.command == "streak":
        return asyncio.run(reading.run_streak(args, _location(settings)))
    if args.command == "db":
        return database.run_db(args, settings)
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
    if args.clock in ("manual", "fast"):
        start = _parse_start(args.start, timezone)
    elif args.start:
        raise InputError("--start needs --clock manual or --clock fast.")
    speed = _parse_speed(args.speed) if args.clock == "fast" else None
    if args.speed is not None and speed is None:
        raise InputError("--speed needs --clock fast.")
    origin = _parse_origin(args.origin) if args.clock == "fast" else None
    if args.origin is not None and origin is None:
        raise InputError("--origin needs --clock fast.")
    options = Options(
        db_path=settings.db_path,
        db=settings.db,
        questions_dir=settings.questions_dir,
        timezone=timezone,
        catch_up_grace=settings.catch_up_grace,
        process_name=settings.process_name,
        manual_start=start,
        clock_speed=speed,
        clock_origin=origin,
        backup_dir=settings.backup_dir,
        backup_keep_days=settings.backup_keep_days,
        backup_time=settings.backup_time,
        grader=settings.grader,
        llm=LlmSettings.from_env(settings.env.values),
    )
    if args.command == "run":
        platforms = configured_platforms(settings.env.values)
        if platforms and start is not None and "PRACTICEBOT_DB" not in settings.env.values:
            raise InputError(
                f"--clock {args.clock} writes simulated days: give the bot a database of its "
                "own with --db FILE (or PRACTICEBOT_DB), not the real one."
            )
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


def _parse_speed(text: str | None) -> float:
    """A fast clock's speed: simulated seconds per wall-clock second (default 600)."""
    if text is None:
        return DEFAULT_SPEED
    try:
        speed = float(text)
    except ValueError:
        speed = -1.0
    if not 1 <= speed <= MOST_SPEED:
        raise InputError(
            f"--speed must be a number from 1 to {MOST_SPEED:,} (simulated seconds per "
            f"second, e.g. 600: a day in 2.4 minutes); got '{text}'."
        )
    return speed


def _parse_origin(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(
            f"--origin must be a Unix time in seconds, like 1796112000 (got '{text}')."
        ) from None


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "you"


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
