"""The question bank as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")


@dataclass(frozen=True)
class Question:
    id: str
    pack: str
    difficulty: Difficulty
    tags: tuple[str, ...]
    key_points: tuple[str, ...]
    further_reading: tuple[str, ...]
    text: str  # Markdown: the question
    answer: str  # Markdown: the reference answer
    source: Path | None = None
    suggested_by: str | None = None  # a community question's author, credited when posted


@dataclass(frozen=True)
class Pack:
    name: str
    title: str
    description: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Bank:
    packs: tuple[Pack, ...]
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)
    # (pack name, its question ids) in bank order: what a channel's pack filter draws from.
    ids_by_pack: tuple[tuple[str, tuple[str, ...]], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index = {q.id: q for p in self.packs for q in p.questions}
        object.__setattr__(self, "_by_id", index)
        ids = tuple((p.name, tuple(q.id for q in p.questions)) for p in self.packs)
        object.__setattr__(self, "ids_by_pack", ids)

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def pack(self, name: str) -> Pack | None:
        return next((p for p in self.packs if p.name == name), None)

    @property
    def pack_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.packs)

    def questions(self, packs: Iterable[str] | None = None) -> list[Question]:
        wanted = set(packs) if packs else None
        return [q for p in self.packs if wanted is None or p.name in wanted for q in p.questions]
