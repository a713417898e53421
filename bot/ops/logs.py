"""Logging: stdlib logging, one line per event, text or JSON, with secrets blanked out."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

REDACTED = "[redacted]"


_DSN_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@\s]*:)[^@\s]+@", re.IGNORECASE)
# Slack tokens (xoxb-, xoxp-, xoxe.xoxb- refresh tokens...): those of the installations kept in
# the database are known to no setting, so they are blanked by their shape.
_SLACK_TOKEN = re.compile(r"\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]+")


class _Redacting(logging.Formatter):
    """Wraps a formatter and blanks out every known secret in what it produces."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self._inner = inner
        # Longest first, so a secret that contains another is blanked whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = self._inner.format(record)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        # A database URL's password, whatever its length, wherever a URL shows up.
        return _SLACK_TOKEN.sub(REDACTED, _DSN_PASSWORD.sub(rf"\1{REDACTED}@", text))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the traceback, if any), and
    the process's name when it has one."""

    def __init__(self, process: str | None = None) -> None:
        super().__init__()
        self._process = process

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if self._process:
            entry["process"] = self._process
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _not_about_voice(record: logging.LogRecord) -> bool:
    """The bot never joins voice: discord.py's notes on missing voice libraries are noise."""
    return not (record.name == "discord.client" and "voice will NOT be supported" in str(record.msg))


def configure(level: str, fmt: str, secrets: Iterable[str], process: str | None = None) -> None:
    """`process`: this process's name, in every line (several processes on one database)."""
    named = f"[{process}] " if process else ""  # the name is letters, digits and ._- only
    inner: logging.Formatter = (
        JsonFormatter(process)
        if fmt.lower() == "json"
        else logging.Formatter(f"%(asctime)s %(levelname)s {named}%(name)s: %(message)s")
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Redacting(inner, secrets))
    handler.addFilter(_not_about_voice)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Chatty libraries stay quiet unless we are debugging.
    for name in (
        "apscheduler",
        "discord",
        "slack_bolt",
        "slack_sdk",
        "aiohttp.access",
    ):
        logging.getLogger(name).setLevel(max(logging.getLogger().level, logging.WARNING))
