"""The store's area for installations on many workspaces (issue 13): each workspace's app
installation and the OAuth states of installs under way, and the channels an uninstall paused.

The core keeps an installation as the platform hands it over (`data`, its own serialisation,
tokens included): it reads only the keys it is found by. Slack's installation store
(`bot.adapters.slack.installs`) is built on these methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

# A workspace's bot (its token), or one person's installation of the app (who installed it).
InstallKind = Literal["bot", "installation"]


@dataclass(frozen=True)
class InstallationRecord:
    platform: str
    kind: InstallKind
    enterprise_id: str  # '' when none
    team_id: str  # '' for an install on a whole organisation
    user_id: str  # who installed it; '' for a bot
    data: str = field(repr=False)  # the platform's own serialisation, tokens included: a secret
    installed_at: datetime


class InstallationStore(Protocol):
    """Installations, OAuth states, and the channels paused while their workspace is gone."""

    async def save_installations(self, records: Sequence[InstallationRecord]) -> None:
        """Save each record, replacing the one with the same key (platform, kind, enterprise,
        team, user), all in one transaction; a saved record is the newest of its key."""
        ...

    async def find_installation(
        self,
        platform: str,
        kind: InstallKind,
        enterprise_id: str,
        team_id: str,
        user_id: str | None = None,
    ) -> InstallationRecord | None:
        """The newest saved record of that kind for the workspace (and that person, if given)."""
        ...

    async def delete_installations(
        self,
        platform: str,
        enterprise_id: str,
        team_id: str,
        *,
        kind: InstallKind | None = None,
        user_id: str | None = None,
    ) -> int:
        """Delete the workspace's records (of one kind, of one person, or all); how many."""
        ...

    async def issue_oauth_state(
        self, platform: str, state: str, expires_at: datetime, now: datetime
    ) -> None:
        """Keep a new state until `expires_at` (and forget the states expired by `now`)."""
        ...

    async def consume_oauth_state(self, platform: str, state: str, now: datetime) -> bool:
        """True once for a state issued and not expired by `now`; it is gone afterwards."""
        ...

    async def pause_space(
        self, platform: str, space_id: str, problem: str, now: datetime
    ) -> list[int]:
        """Pause the space's active subscriptions with `problem`, remembered as paused by this;
        their ids."""
        ...

    async def resume_space(self, platform: str, space_id: str, now: datetime) -> list[int]:
        """Make the subscriptions `pause_space` paused active again, with no problem; their ids."""
        ...
