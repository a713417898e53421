"""What a Slack Web API error says, read one way everywhere.

`SlackApiError.response.data` is Slack's JSON answer, a dict, when there is one; behind a proxy
that answers `text/plain` (a 502 "Bad Gateway") it is a str, and after an HTML error page it is
an empty dict. Nothing else in the adapter reads it.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError


def error_data(error: SlackApiError) -> dict[str, Any]:
    """Slack's JSON answer, or {} when the body was not JSON."""
    data = getattr(error.response, "data", None)
    return data if isinstance(data, dict) else {}


def error_code(error: SlackApiError) -> str:
    """Slack's error code (not_in_channel, ratelimited...), or `http_502` and the like when the
    answer carried none."""
    code = error_data(error).get("error")
    if isinstance(code, str) and code:
        return code
    status = getattr(error.response, "status_code", None)
    return f"http_{status}" if isinstance(status, int) and status else "unknown_error"


def reason(error: BaseException) -> str:
    """Slack's error code, or the exception's type: safe to log (no tokens, no user text)."""
    if isinstance(error, SlackApiError):
        return error_code(error)
    return type(error).__name__
