"""Questions from the team: members suggest, admins approve or reject, and the approved ones
make the space's community pack (issue 15).

The rules are the bank's (bot/bank/loader.py), except that a community question may have no
reference answer (then no key points either: the thread is the answer). A suggestion that
nearly duplicates a bank question or another suggestion of the space is refused
(bot/bank/duplicates.py). Whether the caller is an admin is the adapter's check, made again on
every click; this part keeps the queue, the limits and the notes to authors.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol, cast

from bot.bank.duplicates import THRESHOLD, similarity
from bot.bank.loader import KEY_POINTS_RANGE, MAX_QUESTION_CHARS, SLUG
from bot.bank.models import DIFFICULTIES, Pack
from bot.core.community import pack_of
from bot.core.errors import InputError, NotAllowedError, NotFoundError
from bot.core.models import ChannelRef
from bot.core.records import (
    SuggestionFields,
    SuggestionRecord,
    SuggestionStatus,
    community_suggestion_id,
)
from bot.core.results import PostResult, PostStatus
from bot.core.spaces import SUGGESTION_LIMIT, Spaces
from bot.core.wiring import Wiring

log = logging.getLogger(__name__)
MAX_ANSWER_CHARS = 3000
MAX_KEY_POINT_CHARS = 300
MAX_PACK_CHARS = 40
MAX_REASON_CHARS = 500
Space = tuple[str, str]  # (platform, space id)
NoteKind = Literal["approved", "rejected", "posted"]


@dataclass(frozen=True)
class AuthorNote:
    """A private note to a suggestion's author."""

    kind: NoteKind
    suggestion: SuggestionRecord


class AuthorNotifier(Protocol):
    """An adapter's way to tell an author, privately, what became of their suggestion."""

    async def tell_author(self, note: AuthorNote) -> None: ...


@dataclass(frozen=True)
class Decision:
    """An approve or a reject: `decided` False when someone had decided before (see who in
    `suggestion.decided_by_name`)."""

    suggestion: SuggestionRecord
    decided: bool


class DuplicateSuggestion(InputError):
    def __init__(self, text: str, of: str, score: float) -> None:
        first = next((ln.strip() for ln in of.splitlines() if ln.strip()), of)
        super().__init__(
            f"This question is nearly the same as one already here (similarity {score:.0f}): "
            f"“{first[:200]}”"
        )
        self.of = of


def draft(
    text: str,
    answer: str = "",
    key_points: str | Sequence[str] = (),
    pack: str | None = None,
    difficulty: str | None = None,
) -> SuggestionFields:
    """A suggestion's fields from what was typed (key points one per line), validated."""
    points = key_points.splitlines() if isinstance(key_points, str) else list(key_points)
    fields = SuggestionFields(
        text=text.strip(),
        answer=(answer or "").strip(),
        key_points=tuple(p.strip().lstrip("-• ").strip() for p in points if p.strip()),
        pack=(pack or "").strip().lower() or None,
        difficulty=cast("Literal['easy', 'medium', 'hard']", (difficulty or "medium").strip().lower()),
    )
    return validate(fields)


def validate(fields: SuggestionFields) -> SuggestionFields:
    """The bank's rules, with an optional reference answer; InputError naming every problem."""
    problems = []
    if not fields.text:
        problems.append("The question is empty: write the question you would ask.")
    if len(fields.text) > MAX_QUESTION_CHARS:
        problems.append(f"The question is over {MAX_QUESTION_CHARS:,} characters.")
    if len(fields.answer) > MAX_ANSWER_CHARS:
        problems.append(f"The reference answer is over {MAX_ANSWER_CHARS:,} characters.")
    if any(len(p) > MAX_KEY_POINT_CHARS for p in fields.key_points):
        problems.append(f"A key point is over {MAX_KEY_POINT_CHARS} characters.")
    low, high = KEY_POINTS_RANGE
    if fields.answer and not low <= len(fields.key_points) <= high:
        problems.append(
            f"With a reference answer, give {low} to {high} key points, one per line "
            f"(got {len(fields.key_points)})."
        )
    if not fields.answer and fields.key_points:
        problems.append("Key points need a reference answer: add one, or leave both out.")
    if fields.pack is not None and (
        len(fields.pack) > MAX_PACK_CHARS or not SLUG.fullmatch(fields.pack)
    ):
        problems.append(
            f"The pack is lowercase words joined by '-', at most {MAX_PACK_CHARS} characters."
        )
    if fields.difficulty not in DIFFICULTIES:
        problems.append(f"The difficulty is one of {', '.join(DIFFICULTIES)}.")
    if problems:
        raise InputError(" ".join(problems))
    return fields


class Suggestions:
    def __init__(self, wiring: Wiring, spaces: Spaces) -> None:
        self._w = wiring
        self._spaces = spaces
        self.notifiers: dict[str, AuthorNotifier] = {}

    async def suggest(
        self, channel: ChannelRef, author_id: str, author_name: str, fields: SuggestionFields
    ) -> SuggestionRecord:
        """Store a member's suggestion as pending; InputError (nothing stored) when it is bad,
        a near-duplicate, or over the member's limit."""
        fields = validate(fields)
        await self._refuse_duplicate(channel.space, fields.text)
        limit = await self._spaces.value(channel, SUGGESTION_LIMIT)
        record = await self._w.store.add_suggestion(
            channel.platform, channel.space_id, channel.channel_id, author_id, author_name,
            fields, self._w.clock.now(), pending_limit=limit,
        )  # fmt: skip
        if record is None:
            if limit == 0:
                raise NotAllowedError("Suggestions are turned off here (suggestion-limit 0).")
            raise NotAllowedError(
                f"You have {limit} suggestion{'s' if limit != 1 else ''} waiting for review, "
                "the most allowed here: wait until an admin decides on them."
            )
        log.info("suggestion=%s space=%s:%s by=%s", record.id, *channel.space, author_id)
        return record

    async def _refuse_duplicate(
        self, space: Space, text: str, skip: int | None = None
    ) -> None:
        best: tuple[float, str] | None = None
        others = [q.text for q in self._w.bank.questions()]
        for record in await self._w.store.suggestions(*space):
            if record.id != skip and record.status is not SuggestionStatus.REJECTED:
                others.append(record.fields.text)
        for other in others:
            score = similarity(text, other)
            if score >= THRESHOLD and (best is None or score > best[0]):
                best = (score, other)
        if best is not None:
            raise DuplicateSuggestion(text, best[1], best[0])

    async def get(self, space: Space, suggestion_id: int) -> SuggestionRecord:
        record = await self._w.store.suggestion(suggestion_id)
        if record is None or (record.platform, record.space_id) != space:
            raise NotFoundError(f"There is no suggestion {suggestion_id} here.")
        return record

    async def listing(
        self, space: Space | None = None, status: SuggestionStatus | None = None
    ) -> list[SuggestionRecord]:
        platform, space_id = space if space else (None, None)
        return await self._w.store.suggestions(platform, space_id, status)

    async def approve(
        self, space: Space, suggestion_id: int, by: str, by_name: str
    ) -> Decision:
        await self.get(space, suggestion_id)
        return await self._decide(suggestion_id, SuggestionStatus.APPROVED, by, by_name, None)

    async def reject(
        self, space: Space, suggestion_id: int, by: str, by_name: str, reason: str | None
    ) -> Decision:
        reason = (reason or "").strip() or None
        if reason is not None and len(reason) > MAX_REASON_CHARS:
            raise InputError(f"The reason is over {MAX_REASON_CHARS} characters.")
        await self.get(space, suggestion_id)
        return await self._decide(suggestion_id, SuggestionStatus.REJECTED, by, by_name, reason)

    async def _decide(
        self, suggestion_id: int, status: SuggestionStatus, by: str, by_name: str,
        reason: str | None,
    ) -> Decision:  # fmt: skip
        record, decided = await self._w.store.decide_suggestion(
            suggestion_id, status, by, by_name, reason, self._w.clock.now()
        )
        assert record is not None
        if decided:
            log.info("suggestion=%s %s by=%s", suggestion_id, status.value, by)
            await self._tell(AuthorNote(cast(NoteKind, status.value), record))
        return Decision(record, decided)

    async def edit(
        self, space: Space, suggestion_id: int, fields: SuggestionFields
    ) -> Decision:
        """An admin's edit of a pending suggestion; `decided` False (nothing changed) when
        someone decided on it before."""
        current = await self.get(space, suggestion_id)
        if current.status is not SuggestionStatus.PENDING:
            return Decision(current, False)
        fields = validate(fields)
        await self._refuse_duplicate(space, fields.text, skip=suggestion_id)
        edited = await self._w.store.edit_suggestion(suggestion_id, fields)
        if edited is None:  # decided meanwhile
            return Decision(await self.get(space, suggestion_id), False)
        return Decision(edited, True)

    async def set_review_ref(self, suggestion_id: int, ref: str) -> None:
        await self._w.store.set_suggestion_review_ref(suggestion_id, ref)

    async def community_pack(self, space: Space) -> Pack:
        return pack_of(await self.listing(space, SuggestionStatus.APPROVED))

    async def import_pack(self, space: Space, pack: Pack, by: str) -> list[SuggestionRecord]:
        """Add a pack's questions to the space's community pack, approved; near-duplicates of
        what is there are skipped."""
        added = []
        for question in pack.questions:
            fields = SuggestionFields(
                text=question.text, answer=question.answer,
                key_points=question.key_points if question.answer else (),
                pack=None, difficulty=question.difficulty, tags=question.tags,
                further_reading=question.further_reading,
            )  # fmt: skip
            try:
                await self._refuse_duplicate(space, fields.text)
            except InputError:
                log.info("import space=%s:%s: skipped a near-duplicate", *space)
                continue
            author = question.suggested_by or by
            record = await self._w.store.add_suggestion(
                space[0], space[1], None, author, author, fields, self._w.clock.now(),
                status=SuggestionStatus.APPROVED,
            )  # fmt: skip
            assert record is not None
            added.append(replace(record))
        return added

    async def after_post(self, result: PostResult) -> PostResult:
        """Tell a community question's author the first time it goes out."""
        if result.status is not PostStatus.POSTED or result.round is None:
            return result
        suggestion_id = community_suggestion_id(result.round.question_id)
        if suggestion_id is None:
            return result
        if await self._w.store.mark_suggestion_posted(suggestion_id, self._w.clock.now()):
            record = await self._w.store.suggestion(suggestion_id)
            if record is not None:
                await self._tell(AuthorNote("posted", record))
        return result

    async def _tell(self, note: AuthorNote) -> None:
        notifier = self.notifiers.get(note.suggestion.platform)
        if notifier is None:
            return
        try:
            await notifier.tell_author(note)
        except Exception:  # a note is a courtesy: the decision stands
            log.exception("note to author failed suggestion=%s", note.suggestion.id)
