"""The command line of questions from the team: export a space's community pack as Markdown
that `questions validate` accepts, import it back to the same questions, list suggestions."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.bank.loader import load_bank
from bot.core.suggestions import draft
from tests.helpers import CHANNEL, World
from tests.test_cli_errors import assert_one_clear_line
from tests.test_ops import cli

POINTS = "Hashes set bits\nFalse positives happen\nNo false negatives"


async def _seed(db: Path) -> None:
    world = await World.open(db, start=False)
    try:
        engine, space = world.engine, CHANNEL.space
        full = await engine.suggest(CHANNEL, "u1", "Ann", draft(
            "Why do bloom filters never miss?", "Bits only get set.", POINTS, "data", "hard"))  # fmt: skip
        bare = await engine.suggest(CHANNEL, "u2", "Bo", draft("Tell us about your worst outage."))
        await engine.suggest(CHANNEL, "u2", "Bo", draft("What is a vector clock?"))
        for record in (full, bare):
            await engine.approve_suggestion(space, record.id, "admin", "Admin")
    finally:
        await world.close()


def test_export_validates_and_reimports_to_the_same_questions(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    asyncio.run(_seed(db))
    out = tmp_path / "team-pack"
    exported = cli("--db", str(db), "questions", "export", "--space", "test:space1", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "Wrote 2 questions" in exported.stdout
    validated = cli("questions", "validate", str(out))
    assert validated.returncode == 0 and "OK: 2 questions" in validated.stdout, validated.stderr
    first = load_bank(out)

    imported = cli("--db", str(db), "questions", "import", "--space", "slack:T9", str(out))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 2 questions" in imported.stdout
    again = tmp_path / "again"
    assert cli("--db", str(db), "questions", "export", "--space", "slack:T9", str(again)).returncode == 0

    def content(path: Path) -> list[tuple[object, ...]]:
        return sorted((q.text, q.answer, q.key_points, q.difficulty, q.suggested_by)
                      for q in load_bank(path).questions())  # fmt: skip

    assert content(out) == content(again)
    assert {q.suggested_by for q in first.questions()} == {"Ann", "Bo"}

    listed = cli("--db", str(db), "suggestions", "list", "--space", "test:space1", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [r["status"] for r in rows] == ["pending", "approved", "approved"]
    assert rows[0]["question"] == "What is a vector clock?"
    plain = cli("--db", str(db), "suggestions", "list")
    assert "pending" in plain.stdout and "slack:T9" in plain.stdout


def test_bad_spaces_and_packs_get_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    asyncio.run(_seed(db))
    assert_one_clear_line(
        cli("--db", str(db), "questions", "export", "--space", "nocolon", str(tmp_path / "x")),
        "A space looks like 'platform:id'",
    )
    assert_one_clear_line(
        cli("--db", str(db), "questions", "export", "--space", "slack:T0", str(tmp_path / "x")),
        "no approved questions",
    )
    broken = tmp_path / "broken" / "mine"
    broken.mkdir(parents=True)
    (broken / "pack.yaml").write_text("title: Mine\ndescription: d\ncommunity: true\n")
    (broken / "q.md").write_text("---\nid: q\ndifficulty: easy\nkey_points: [a]\n---\nWhy?\n\n## Answer\n")
    assert_one_clear_line(
        cli("--db", str(db), "questions", "import", "--space", "slack:T1", str(tmp_path / "broken")),
        "key points need a reference answer",
    )
    assert_one_clear_line(cli("--db", str(tmp_path / "none.db"), "suggestions", "list"))
