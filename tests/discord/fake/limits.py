"""Discord's limits on a message, and its JSON error answers (400 for a body over them)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from tests.discord.fake.state import Json


class DiscordError(Exception):
    """An error answer of Discord's: `status` with a JSON body."""

    def __init__(self, status: int, body: Json) -> None:
        super().__init__(body.get("message"))
        self.status = status
        self.body = body


MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBEDS_TOTAL = 6000  # title, description, field names and values, footer, author name
EMBED_LIMITS = {"title": 256, "description": 4096}
MAX_FIELDS = 25
FIELD_LIMITS = {"name": 256, "value": 1024}
MAX_NONCE = 25


def field_error(code: str, message: str) -> Json:
    """One field's entry in the `errors` of a 400 Invalid Form Body."""
    return {"_errors": [{"code": code, "message": message}]}


def _too_long(most: int) -> Json:
    return field_error("BASE_TYPE_MAX_LENGTH", f"Must be {most} or fewer in length.")


def invalid_form_body(errors: Json) -> DiscordError:
    return DiscordError(400, {"code": 50035, "errors": errors, "message": "Invalid Form Body"})


def check_message(body: Json, *, creating: bool = False, at: tuple[str, ...] = ()) -> None:
    """Raise Discord's 400 for a message body over its limits (under `at` in `errors`, e.g.
    "data" for an interaction callback); `creating`: an empty message is refused too."""
    errors: Json = {}

    def put(path: tuple[str, ...], error: Json) -> None:
        node = errors
        for part in at + path:
            node = node.setdefault(part, {})
        node.update(error)

    content = body.get("content")
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        put(("content",), _too_long(MAX_CONTENT))
    nonce = body.get("nonce")
    if isinstance(nonce, str) and not 1 <= len(nonce) <= MAX_NONCE:
        put(
            ("nonce",),
            field_error("BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {MAX_NONCE} in length."),
        )
    embeds = body.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        put(("embeds",), _too_long(MAX_EMBEDS))
    total = 0
    for i, embed in enumerate(embeds):
        where = ("embeds", str(i))
        for key, most in EMBED_LIMITS.items():
            text = embed.get(key) or ""
            total += len(text)
            if len(text) > most:
                put((*where, key), _too_long(most))
        fields = embed.get("fields") or []
        if len(fields) > MAX_FIELDS:
            put((*where, "fields"), _too_long(MAX_FIELDS))
        for j, item in enumerate(fields):
            for key, most in FIELD_LIMITS.items():
                text = item.get(key)
                if not text:
                    put(
                        (*where, "fields", str(j), key),
                        field_error("BASE_TYPE_REQUIRED", "This field is required"),
                    )
                    continue
                total += len(text)
                if len(text) > most:
                    put((*where, "fields", str(j), key), _too_long(most))
        for key, most in (("footer", 2048), ("author", 256)):
            part = embed.get(key) or {}
            text = part.get("text" if key == "footer" else "name") or ""
            total += len(text)
            if len(text) > most:
                put((*where, key, "text" if key == "footer" else "name"), _too_long(most))
    if total > MAX_EMBEDS_TOTAL:
        put(
            ("embeds",),
            field_error(
                "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {MAX_EMBEDS_TOTAL}"
            ),
        )
    if errors:
        raise invalid_form_body(errors)
    empty = not any(
        body.get(k)
        for k in ("content", "embeds", "components", "sticker_ids", "attachments", "poll")
    )
    if creating and empty:
        raise DiscordError(400, {"code": 50006, "message": "Cannot send an empty message"})


def json_response(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when the content type is exactly this.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )
