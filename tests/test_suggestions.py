"""Questions from the team in the engine: limits, duplicates, decisions, the community pack in
the rotation, its credit, and the notes to authors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.console.render import show
from bot.core.errors import InputError, NotAllowedError
from bot.core.records import SuggestionStatus
from bot.core.suggestions import AuthorNote, DuplicateSuggestion, draft
from bot.present import daily
from bot.present.vocabulary import AnswerRoute
from tests.helpers import CHANNEL, PLATFORM, World

SPACE = CHANNEL.space
POINTS = "Hashes set bits\nFalse positives happen\nNo false negatives"


@dataclass
class Notes:
    notes: list[AuthorNote] = field(default_factory=list)

    async def tell_author(self, note: AuthorNote) -> None:
        self.notes.append(note)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    opened = await World.open(tmp_path / "bot.db")
    yield opened
    await opened.close()


async def test_bad_fields_are_refused_and_nothing_is_stored(world: World) -> None:
    with pytest.raises(InputError, match="over 3,000 characters"):
        await world.engine.suggest(CHANNEL, "u1", "Ann", draft("x" * 3001))
    with pytest.raises(InputError, match="3 to 6 key points"):
        draft("What is a bloom filter?", "A set sketch.", "only one")
    with pytest.raises(InputError, match="need a reference answer"):
        draft("What is a bloom filter?", "", POINTS)
    with pytest.raises(InputError, match="difficulty"):
        draft("What is a bloom filter?", difficulty="impossible")
    assert await world.engine.suggestions(SPACE) == []


async def test_duplicates_are_refused_and_the_limit_holds(world: World) -> None:
    with pytest.raises(DuplicateSuggestion, match="What is alpha-one"):
        await world.engine.suggest(CHANNEL, "u1", "Ann", draft("What is alpha one?"))
    await world.engine.suggest(CHANNEL, "u1", "Ann", draft("Why do bloom filters never miss?"))
    with pytest.raises(DuplicateSuggestion, match="bloom filters never miss"):
        await world.engine.suggest(CHANNEL, "u2", "Bo", draft("Why do Bloom filters never miss?"))
    for text in ("How does a write-ahead log work?", "When is a B-tree better than an LSM?"):
        await world.engine.suggest(CHANNEL, "u1", "Ann", draft(text))
    with pytest.raises(NotAllowedError, match="3 suggestions waiting"):
        await world.engine.suggest(CHANNEL, "u1", "Ann", draft("What is consistent hashing?"))
    await world.engine.set_space_setting(CHANNEL, "suggestion-limit", "4")
    await world.engine.suggest(CHANNEL, "u1", "Ann", draft("What is consistent hashing?"))


async def test_approved_questions_join_the_rotation_once_per_cycle_with_credit(
    world: World,
) -> None:
    notes = Notes()
    world.engine.add_author_notifier(PLATFORM, notes)
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC")
    with_answer = await world.engine.suggest(
        CHANNEL, "u1", "Ann", draft("Why do bloom filters never miss?", "Bits stay set.", POINTS)
    )
    bare = await world.engine.suggest(CHANNEL, "u2", "Bo", draft("Tell us about your worst outage."))
    first = await world.engine.approve_suggestion(SPACE, with_answer.id, "admin", "Admin")
    assert first.decided and first.suggestion.status is SuggestionStatus.APPROVED
    again = await world.engine.reject_suggestion(SPACE, with_answer.id, "admin2", "Other", "no")
    assert not again.decided and again.suggestion.decided_by_name == "Admin"
    await world.engine.approve_suggestion(SPACE, bare.id, "admin", "Admin")
    assert [n.kind for n in notes.notes] == ["approved", "approved"]

    posted = []
    for _ in range(6):  # the fixture bank's 6 questions and the 2 community ones: one cycle
        world.clock.set(world.clock.now() + timedelta(days=1))
        result = await world.engine.post_now(CHANNEL)
        assert result.round is not None
        posted.append(result.round.question_id)
        await world.engine.reveal_now(CHANNEL)
    for _ in range(2):
        world.clock.set(world.clock.now() + timedelta(days=1))
        result = await world.engine.post_now(CHANNEL)
        assert result.round is not None
        posted.append(result.round.question_id)
        await world.engine.reveal_now(CHANNEL)
    assert len(set(posted)) == len(posted) == 8
    community = [p for p in world.publisher.posts if p.question.pack == "community"]
    assert {p.suggested_by for p in community} == {"Ann", "Bo"}
    assert all("suggested by" in show(daily.round_card(p, AnswerRoute.THREAD).context)
               for p in community)  # fmt: skip
    assert sorted(n.kind for n in notes.notes) == ["approved", "approved", "posted", "posted"]
    bare_reveal = next(r for r in world.publisher.reveals if r.question.text.startswith("Tell"))
    sections = daily.reference(bare_reveal.question)
    assert sections[0].markdown == daily.NO_REFERENCE_ANSWER and len(sections) == 1


async def test_a_pack_filter_can_leave_the_community_pack_out(world: World) -> None:
    record = await world.engine.suggest(CHANNEL, "u1", "Ann", draft("What is a vector clock?"))
    await world.engine.approve_suggestion(SPACE, record.id, "admin", "Admin")
    await world.engine.subscribe(CHANNEL, post_time="09:00", timezone="UTC", packs="alpha")
    seen = set()
    for _ in range(4):
        world.clock.set(world.clock.now() + timedelta(days=1))
        result = await world.engine.post_now(CHANNEL)
        assert result.round is not None
        seen.add(result.round.question_id)
    assert all(q.startswith("alpha") for q in seen)
    await world.engine.subscribe(CHANNEL, post_time="09:00", packs="community")
    world.clock.set(world.clock.now() + timedelta(days=1))
    result = await world.engine.post_now(CHANNEL)
    assert result.round is not None and result.round.question_id == f"community-{record.id}"


async def test_edit_then_reject_with_a_reason(world: World) -> None:
    notes = Notes()
    world.engine.add_author_notifier(PLATFORM, notes)
    record = await world.engine.suggest(CHANNEL, "u1", "Ann", draft("What is a vektor clock?"))
    edited = await world.engine.edit_suggestion(SPACE, record.id, draft("What is a vector clock?"))
    assert edited.decided and edited.suggestion.fields.text == "What is a vector clock?"
    rejected = await world.engine.reject_suggestion(SPACE, record.id, "admin", "Admin", "too vague")
    assert rejected.decided and rejected.suggestion.reason == "too vague"
    assert notes.notes[-1].kind == "rejected"
    late = await world.engine.edit_suggestion(SPACE, record.id, draft("What is a Lamport clock?"))
    assert not late.decided
