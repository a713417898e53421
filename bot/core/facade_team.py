"""The engine's facade for questions from the team: suggestions, their review, the community pack."""

from __future__ import annotations

from bot.bank.models import Pack
from bot.core.models import ChannelRef
from bot.core.records import SuggestionFields, SuggestionRecord, SuggestionStatus
from bot.core.spaces import REVIEW_CHANNEL, Spaces
from bot.core.suggestions import AuthorNotifier, Decision, Space, Suggestions


class TeamFacade:
    """`Engine`'s queries about members' suggestions (its `community` and `spaces` parts)."""

    community: Suggestions
    spaces: Spaces

    # -- questions from the team --------------------------------------------------------------

    def add_author_notifier(self, platform: str, notifier: AuthorNotifier) -> None:
        """How authors on `platform` are told, privately, what became of their suggestions."""
        self.community.notifiers[platform] = notifier

    async def suggest(
        self, channel: ChannelRef, author_id: str, author_name: str, fields: SuggestionFields
    ) -> SuggestionRecord:
        """A member's suggestion, pending; InputError/NotAllowedError and nothing stored when
        it is bad, a near-duplicate or over the limit."""
        return await self.community.suggest(channel, author_id, author_name, fields)

    async def suggestion(self, space: Space, suggestion_id: int) -> SuggestionRecord:
        return await self.community.get(space, suggestion_id)

    async def suggestions(
        self, space: Space | None = None, status: SuggestionStatus | None = None
    ) -> list[SuggestionRecord]:
        return await self.community.listing(space, status)

    async def approve_suggestion(
        self, space: Space, suggestion_id: int, by: str, by_name: str
    ) -> Decision:
        return await self.community.approve(space, suggestion_id, by, by_name)

    async def reject_suggestion(
        self, space: Space, suggestion_id: int, by: str, by_name: str, reason: str | None = None
    ) -> Decision:
        return await self.community.reject(space, suggestion_id, by, by_name, reason)

    async def edit_suggestion(
        self, space: Space, suggestion_id: int, fields: SuggestionFields
    ) -> Decision:
        return await self.community.edit(space, suggestion_id, fields)

    async def set_suggestion_review_ref(self, suggestion_id: int, ref: str) -> None:
        await self.community.set_review_ref(suggestion_id, ref)

    async def community_pack(self, space: Space) -> Pack:
        return await self.community.community_pack(space)

    async def import_community(
        self, space: Space, pack: Pack, by: str
    ) -> list[SuggestionRecord]:
        return await self.community.import_pack(space, pack, by)

    async def review_channel(self, channel: ChannelRef) -> str | None:
        """Where the space reviews suggestions (`/practice config review-channel`)."""
        return await self.spaces.value(channel, REVIEW_CHANNEL)
