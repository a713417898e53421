"""Where the database is: a SQLite path (or `sqlite:///path`), or a `postgresql://` URL.

The URL's password is a secret: `mask_url` is the only way a URL is shown or logged.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SQLITE_SCHEME = "sqlite://"


def is_postgres(location: str | Path) -> bool:
    return isinstance(location, str) and location.lower().startswith(POSTGRES_SCHEMES)


def is_url(location: str | Path) -> bool:
    """Any URL (`scheme://…`): never a file name."""
    return isinstance(location, str) and "://" in location


def sqlite_path(location: str | Path) -> Path:
    """The file of a SQLite location: a path, or `sqlite:///relative` / `sqlite:////absolute`."""
    if isinstance(location, Path):
        return location
    if location.lower().startswith(SQLITE_SCHEME):
        rest = location[len(SQLITE_SCHEME) :]
        if not rest.startswith("/"):
            raise ValueError(f"Not a SQLite URL (sqlite:///path): {location!r}")
        return Path(rest[1:] or ".")
    if is_url(location):
        raise ValueError(
            f"Unknown database URL {mask_url(location)!r}: use postgresql://… or a file path."
        )
    return Path(location)


def url_password(url: str) -> str | None:
    try:
        return urlsplit(url).password or None
    except ValueError:
        return None


def mask_url(url: str | Path) -> str:
    """The URL with its password as `***` (a path comes back as it is)."""
    text = str(url)
    if not is_url(text):
        return text
    try:
        parts = urlsplit(text)
    except ValueError:
        return "<an unreadable database URL>"
    if parts.password is None:
        return text
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
