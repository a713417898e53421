"""Writing a pack as Markdown files the loader reads back (`questions export`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.bank.models import Pack, Question


def question_file(question: Question) -> str:
    meta: dict[str, Any] = {
        "id": question.id,
        "difficulty": question.difficulty,
        "tags": list(question.tags),
        "key_points": list(question.key_points),
        "further_reading": list(question.further_reading),
    }
    if question.suggested_by:
        meta["suggested_by"] = question.suggested_by
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    answer = f"{question.answer.strip()}\n" if question.answer.strip() else ""
    return f"---\n{front}---\n{question.text.strip()}\n\n## Answer\n{answer}"


def write_pack(pack: Pack, root: Path, *, community: bool = True) -> Path:
    """Write `pack` as root/<pack name>/ (pack.yaml and one file per question); the folder."""
    folder = root / pack.name
    folder.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {"title": pack.title, "description": pack.description}
    if community:
        meta["community"] = True
    (folder / "pack.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for question in pack.questions:
        (folder / f"{question.id}.md").write_text(question_file(question), encoding="utf-8")
    return folder
