"""The slack-bolt AsyncApp: its Web API client, and the listeners registered on it."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

from bot.adapters.slack import listeners
from bot.adapters.slack.config import SlackConfig
from bot.adapters.slack.users import SlackUsers
from bot.core.engine import Engine

RATE_LIMIT_RETRIES = 2  # slack_sdk retries no 429 unless told to


def build_app(
    engine: Engine, config: SlackConfig, *, process_before_response: bool = True
) -> tuple[AsyncApp, SlackUsers]:
    """The Bolt app, with every listener registered, and the user directory they share.

    `process_before_response=True` (the default, in HTTP and Socket Mode) finishes each
    listener before Slack gets its answer: an answer, an edit, a delete, a modal submission or
    a rating is acknowledged only after its transaction committed (with False, Bolt
    acknowledges an event before its listener runs, and a crash then loses it: Slack never
    resends an acknowledged event). Slash commands and buttons are answered after their
    listener too: each is a few database trips and at most one reply to Slack, well within
    Slack's 3 s. False is kept for tests of the acknowledge-first timing.
    """
    app = AsyncApp(
        name="practicebot",
        token=config.bot_token,
        # Socket Mode requests are not signed; Bolt skips the check for them.
        signing_secret=config.signing_secret or "",
        process_before_response=process_before_response,
        logger=logging.getLogger("bot.adapters.slack.bolt"),
    )
    # Bolt copies these into every per-request client, so they apply everywhere.
    app.client.base_url = config.api_url
    app.client.retry_handlers.append(
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
    )
    users = SlackUsers(app.client, config.admins)
    listeners.register(app, listeners.Deps(engine, users))
    return app, users
