"""Every setting comes from an environment variable (or a `.env` file beside the bot).

One table lists them all: it drives validation at start-up, `practicebot config` and
`.env.example`, so a new variable is added in exactly one place.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from bot.core.errors import InputError
from bot.core.schedule import parse_duration, parse_post_time, parse_timezone

Check = Callable[[str], None]


@dataclass(frozen=True)
class Variable:
    name: str
    help: str
    default: str = ""
    secret: bool = False
    check: Check | None = None


def _one_of(*choices: str) -> Check:
    def check(value: str) -> None:
        if value.lower() not in choices:
            raise InputError(f"must be one of {', '.join(choices)} (got '{value}')")

    return check


def _whole_number(low: int, high: int) -> Check:
    def check(value: str) -> None:
        if not value.isdigit() or not low <= int(value) <= high:
            raise InputError(f"must be a whole number from {low} to {high} (got '{value}')")

    return check


def _grace(value: str) -> None:
    if parse_duration(value).total_seconds() > 12 * 3600:
        raise InputError(f"must be 12h at most (got '{value}')")


def _timezone(value: str) -> None:
    parse_timezone(value)


def _utc_time(value: str) -> None:
    parse_post_time(value)


def _digits(value: str) -> None:
    if not value.isdigit():
        raise InputError("must be the numeric application id")


def _user_ids(value: str) -> None:
    if not all(re.fullmatch(r"[A-Z0-9]+", part.strip()) for part in value.split(",")):
        raise InputError("must be Slack user ids separated by commas, like U012AB3CD,U045EF6GH")


VARIABLES: tuple[Variable, ...] = (
    Variable("PRACTICEBOT_DB", "SQLite database file", "data/practicebot.db"),
    Variable("PRACTICEBOT_QUESTIONS", "question bank folder", "the bundled bank"),
    Variable("PRACTICEBOT_TZ", "timezone of the console channel and of new subscriptions without one",
             "this machine's", check=_timezone),
    Variable("PRACTICEBOT_CATCH_UP_GRACE", "how late a missed daily post may still go out", "2h", check=_grace),
    Variable("PRACTICEBOT_LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR", "INFO",
             check=_one_of("debug", "info", "warning", "error")),
    Variable("PRACTICEBOT_LOG_FORMAT", "text, or json for one JSON object per line", "text",
             check=_one_of("text", "json")),
    Variable("PRACTICEBOT_BACKUP_DIR", "where the daily backups go", "backups/ beside the database"),
    Variable("PRACTICEBOT_BACKUP_KEEP_DAYS", "days of daily backups to keep (0 turns them off)", "7",
             check=_whole_number(0, 3650)),
    Variable("PRACTICEBOT_BACKUP_TIME", "when the daily backup runs, HH:MM UTC", "03:30",
             check=_utc_time),
    Variable("PRACTICEBOT_GRADER", "feedback on written answers: auto (lexical), lexical, embedding (the [feedback] extra) or llm",
             "auto", check=_one_of("auto", "lexical", "embedding", "llm")),
    Variable("PRACTICEBOT_LLM_URL", "for the llm grader: base URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1"),
    Variable("PRACTICEBOT_LLM_MODEL", "for the llm grader: the model name the endpoint serves"),
    Variable("PRACTICEBOT_LLM_KEY", "for the llm grader: API key, if the endpoint wants one", secret=True),
    Variable("PRACTICEBOT_LLM_TIMEOUT", "seconds to wait for the llm grader before the lexical grader answers", "6",
             check=_whole_number(1, 9)),
    Variable("SLACK_BOT_TOKEN", "Slack bot token (xoxb-…): turns the Slack adapter on", secret=True),
    Variable("SLACK_APP_TOKEN", "Slack app-level token (xapp-…) for Socket Mode", secret=True),
    Variable("SLACK_SIGNING_SECRET", "Slack signing secret, for HTTP mode instead of Socket Mode", secret=True),
    Variable("SLACK_API_URL", "replaces the Slack Web API base URL (a proxy; tests)"),
    Variable("PRACTICEBOT_SLACK_PORT", "port for Slack HTTP mode (/slack/events)", "3000",
             check=_whole_number(1, 65535)),
    Variable("PRACTICEBOT_SLACK_ADMINS", "Slack user ids allowed to run /practice besides workspace admins",
             check=_user_ids),
    Variable("DISCORD_TOKEN", "Discord bot token: turns the Discord adapter on", secret=True),
    Variable("DISCORD_APPLICATION_ID", "Discord application id (default: read from the token)", check=_digits),
    Variable("DISCORD_MESSAGE_CONTENT", "on: count thread messages (needs the Message Content intent); off: Answer button only",
             "on", check=_one_of("on", "off", "true", "false", "yes", "no", "1", "0")),
)  # fmt: skip
BY_NAME = {v.name: v for v in VARIABLES}


class SettingsError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Configuration problems:\n" + "\n".join(f"  {p}" for p in problems))


def load_dotenv_file(path: Path = Path(".env")) -> list[str]:
    """Put a .env file's values into the environment; real environment variables win."""
    if not path.is_file():
        return []
    loaded = []
    for name, value in dotenv_values(path).items():
        if value is not None and name not in os.environ:
            os.environ[name] = value
            loaded.append(name)
    return loaded


def validate(env: Mapping[str, str]) -> list[str]:
    """Every problem with the settings, each naming its variable."""
    problems = []
    for variable in VARIABLES:
        value = env.get(variable.name, "")
        if value and variable.check is not None:
            try:
                variable.check(value)
            except InputError as error:
                problems.append(f"{variable.name}: {error}")
    if env.get("SLACK_BOT_TOKEN") and not (
        env.get("SLACK_APP_TOKEN") or env.get("SLACK_SIGNING_SECRET")
    ):
        problems.append(
            "SLACK_APP_TOKEN: missing. Socket Mode needs it (or set SLACK_SIGNING_SECRET for HTTP mode)."
        )
    for name in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        if env.get(name) and not env.get("SLACK_BOT_TOKEN"):
            problems.append(f"SLACK_BOT_TOKEN: missing, but {name} is set.")
    return problems


def require_valid(env: Mapping[str, str]) -> None:
    problems = validate(env)
    if problems:
        raise SettingsError(problems)


def mask(value: str) -> str:
    return f"set, {len(value)} characters (hidden)" if value else "not set"


def effective(env: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(name, shown value, where it comes from) for every variable; secrets never shown."""
    rows = []
    for variable in VARIABLES:
        value = env.get(variable.name, "")
        if variable.secret:
            rows.append((variable.name, mask(value), "environment" if value else "-"))
        elif value:
            rows.append((variable.name, value, "environment"))
        else:
            rows.append((variable.name, variable.default or "not set", "default"))
    return rows


def secret_values(env: Mapping[str, str]) -> list[str]:
    """The secrets in use, for the log filter that blanks them out wherever they appear."""
    return [env[v.name] for v in VARIABLES if v.secret and env.get(v.name)]
