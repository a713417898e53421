"""The slack-bolt AsyncApp: its Web API client, and the listeners registered on it.

One workspace: the bot token, as ever. Many workspaces (`config.oauth`): Bolt's OAuth flow over
our installation store, whose authorize gives each request its workspace's token; the outbox
gets a client per workspace (`TeamClients`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import listeners, oauth
from bot.adapters.slack.clients import TeamClients
from bot.adapters.slack.config import SlackConfig
from bot.adapters.slack.installs import DatabaseInstallationStore, DatabaseStateStore
from bot.adapters.slack.users import SlackUsers
from bot.adapters.slack.variables import OAUTH_NOT_ON
from bot.core.engine import Engine
from bot.core.errors import PracticeError

RATE_LIMIT_RETRIES = 2  # slack_sdk retries no 429 unless told to
BOLT_LOG = "bot.adapters.slack.bolt"


@dataclass(frozen=True)
class BuiltApp:
    app: AsyncApp
    users: SlackUsers  # the user directory the listeners share
    clients: TeamClients  # the client for each workspace's channels


def build_app(
    engine: Engine, config: SlackConfig, *, process_before_response: bool = True
) -> BuiltApp:
    """The Bolt app, with every listener registered.

    `process_before_response=True` (the default, in HTTP and Socket Mode) finishes each
    listener before Slack gets its answer: an answer, an edit, a delete, a modal submission or
    a rating is acknowledged only after its transaction committed (with False, Bolt
    acknowledges an event before its listener runs, and a crash then loses it: Slack never
    resends an acknowledged event). Slash commands and buttons are answered after their
    listener too: each is a few database trips and at most one reply to Slack, well within
    Slack's 3 s. False is kept for tests of the acknowledge-first timing.
    """
    installations: DatabaseInstallationStore | None = None
    if config.oauth is None:
        app = AsyncApp(
            name="practicebot",
            token=config.bot_token,
            # Socket Mode requests are not signed; Bolt skips the check for them.
            signing_secret=config.signing_secret or "",
            process_before_response=process_before_response,
            logger=logging.getLogger(BOLT_LOG),
        )
        if app.oauth_flow is not None:  # Bolt read SLACK_CLIENT_ID/SECRET from os.environ
            raise PracticeError(OAUTH_NOT_ON.format(names="SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"))
    else:
        installations = DatabaseInstallationStore(engine)
        app = AsyncApp(
            name="practicebot",
            client=AsyncWebClient(),  # no token of its own (and none read from os.environ)
            signing_secret=config.signing_secret or "",
            oauth_settings=oauth.oauth_settings(
                config.oauth, installations, DatabaseStateStore(engine)
            ),
            process_before_response=process_before_response,
            logger=logging.getLogger(BOLT_LOG),
        )
    # Bolt copies these into every per-request client (and the OAuth flow uses this one for
    # oauth.v2.access), so they apply everywhere.
    app.client.base_url = config.api_url
    app.client.retry_handlers.append(
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
    )
    users = SlackUsers(app.client, config.admins)
    if installations is not None:
        app.use(users.per_request)
        oauth.register_uninstalls(app, engine, installations)
    listeners.register(app, listeners.Deps(engine, users))
    return BuiltApp(app, users, TeamClients(app.client, installations))
