"""A space's community pack: its approved suggestions, read as bank questions."""

from __future__ import annotations

from bot.bank.models import Pack, Question
from bot.core.records import (
    COMMUNITY_PACK,
    SuggestionRecord,
    SuggestionStatus,
    community_question_id,
)

COMMUNITY_TITLE = "Community questions"
COMMUNITY_DESCRIPTION = "Questions suggested by the team and approved by its admins."


def question_of(record: SuggestionRecord) -> Question:
    """An approved suggestion as a question of the community pack."""
    fields = record.fields
    return Question(
        id=community_question_id(record.id),
        pack=COMMUNITY_PACK,
        difficulty=fields.difficulty,
        tags=fields.tags,
        key_points=fields.key_points if fields.answer.strip() else (),
        further_reading=fields.further_reading,
        text=fields.text,
        answer=fields.answer,
        suggested_by=record.author_name,
    )


def pack_of(records: list[SuggestionRecord]) -> Pack:
    questions = tuple(question_of(r) for r in records if r.status is SuggestionStatus.APPROVED)
    return Pack(COMMUNITY_PACK, COMMUNITY_TITLE, COMMUNITY_DESCRIPTION, questions)
