"""The bank loader: a valid bank loads; every problem is reported as path:line: message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.bank.duplicates import THRESHOLD, similarity
from bot.bank.loader import BankError, load_bank
from tests.helpers import FIXTURE_BANK

GOOD = """\
---
id: {id}
difficulty: easy
tags: [basics]
key_points:
  - One point.
  - Two points.
  - Three points.
further_reading:
  - https://example.org/{id}
---
What is {id}?

## Answer
It is a test.
"""


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, root)
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(BankError) as error:
        load_bank(root)
    return [str(p) for p in error.value.problems]


def test_fixture_bank_loads() -> None:
    bank = load_bank(FIXTURE_BANK)
    assert len(bank) == 6
    assert bank.pack_names == ("alpha", "beta")
    question = bank.get("alpha-two")
    assert question is not None
    assert question.text == "What is alpha-two?"
    assert question.answer.startswith("alpha-two is a **test** question.")
    assert len(question.key_points) == 3
    assert [q.id for q in bank.questions(["beta"])] == ["beta-one", "beta-three", "beta-two"]


def test_every_problem_is_reported_with_its_line(bank_dir: Path) -> None:
    bad = bank_dir / "alpha" / "alpha-bad.md"
    bad.write_text(
        "---\n"
        "id: Alpha Bad\n"  # line 2
        "difficulty: trivial\n"  # line 3
        "tags: [Basics]\n"  # line 4
        "key_points:\n"  # line 5
        "  - only one\n"
        "further_reading:\n"  # line 7
        "  - not a url\n"
        "colour: blue\n"  # line 9
        "---\n"
        "Question?\n",
        encoding="utf-8",
    )
    found = problems(bank_dir)
    prefix = f"{bad}:"
    assert (
        f"{prefix}9: unknown field 'colour' (allowed: difficulty, further_reading, id, key_points, tags)"
        in found
    )
    assert f"{prefix}2: 'id' must be a slug: lowercase letters, digits and '-'" in found
    assert f"{prefix}3: 'difficulty' must be one of easy, medium, hard" in found
    assert f"{prefix}4: tag 'Basics' must be lowercase" in found
    assert f"{prefix}5: 'key_points' needs 3 to 6 items (has 1)" in found
    assert f"{prefix}7: 'not a url' is not a well-formed http(s) URL" in found
    assert f"{prefix}11: the body needs exactly one '## Answer' heading (found 0)" in found


def test_yaml_syntax_error_points_at_the_line(bank_dir: Path) -> None:
    bad = bank_dir / "beta" / "beta-broken.md"
    bad.write_text(
        "---\nid: beta-broken\ntags: [a, b\ndifficulty: easy\n---\nQ?\n## Answer\nA\n",
        encoding="utf-8",
    )
    found = problems(bank_dir)
    assert any(p.startswith(f"{bad}:") and "invalid YAML" in p for p in found)


def test_duplicate_ids_and_mismatched_names(bank_dir: Path) -> None:
    (bank_dir / "beta" / "alpha-one.md").write_text(GOOD.format(id="alpha-one"), encoding="utf-8")
    (bank_dir / "beta" / "beta-four.md").write_text(GOOD.format(id="beta-five"), encoding="utf-8")
    found = problems(bank_dir)
    assert any("duplicate id 'alpha-one'" in p for p in found)
    assert any("'id' is 'beta-five' but the file is named 'beta-four.md'" in p for p in found)


def test_missing_pack_yaml_and_front_matter(bank_dir: Path) -> None:
    (bank_dir / "beta" / "pack.yaml").unlink()
    (bank_dir / "alpha" / "alpha-plain.md").write_text("Just text\n", encoding="utf-8")
    found = problems(bank_dir)
    assert (
        f"{bank_dir / 'beta' / 'pack.yaml'}:1: missing pack.yaml (with 'title' and 'description')"
        in found
    )
    assert (
        f"{bank_dir / 'alpha' / 'alpha-plain.md'}:1: must start with YAML front matter between '---' lines"
        in found
    )


def test_an_empty_bank_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert problems(tmp_path / "empty") == [
        f"{tmp_path / 'empty'}:1: no questions found: add a pack folder with Markdown files"
    ]
    assert "question bank folder not found" in problems(tmp_path / "missing")[0]


# --- the tag vocabulary -------------------------------------------------------------------------

TAGS_MD = """\
# Tags

Prose and headings are ignored.

## Testing

- `testing`: test questions
- `basics`: the first things
"""


def test_unknown_tags_are_problems_when_the_bank_has_a_tags_file(bank_dir: Path) -> None:
    (bank_dir / "TAGS.md").write_text(TAGS_MD, encoding="utf-8")
    assert len(load_bank(bank_dir)) == 6
    odd = bank_dir / "beta" / "beta-four.md"
    odd.write_text(
        GOOD.format(id="beta-four").replace("tags: [basics]", "tags: [basics, gans]"),
        encoding="utf-8",
    )
    assert problems(bank_dir) == [f"{odd}:4: unknown tag 'gans' (see bank/TAGS.md)"]


def test_a_bank_without_a_tags_file_accepts_any_lowercase_tag(bank_dir: Path) -> None:
    (bank_dir / "beta" / "beta-four.md").write_text(
        GOOD.format(id="beta-four").replace("[basics]", "[anything-goes]"), encoding="utf-8"
    )
    assert load_bank(bank_dir).get("beta-four") is not None


def test_a_malformed_tags_file_is_reported_by_line(bank_dir: Path) -> None:
    tags = bank_dir / "TAGS.md"
    tags.write_text(TAGS_MD + "- `Testing`: capitalised\n- `testing`: again\n", encoding="utf-8")
    assert problems(bank_dir) == [
        f"{tags}:9: tag 'Testing' must be lowercase words joined by '-'",
        f"{tags}:10: tag 'testing' is listed twice (also on line 7)",
    ]
    tags.write_text("# Tags\n\nNothing listed yet.\n", encoding="utf-8")
    found = problems(bank_dir)
    assert found[0] == f"{tags}:1: TAGS.md lists no tags (lines like '- `tag`: meaning')"
    assert f"{bank_dir / 'alpha' / 'alpha-one.md'}:4: unknown tag 'testing'" in found[1]


# --- near-duplicate questions -------------------------------------------------------------------


def test_near_duplicate_question_texts_are_rejected_across_packs(bank_dir: Path) -> None:
    first = bank_dir / "alpha" / "alpha-four.md"
    second = bank_dir / "beta" / "beta-four.md"
    first.write_text(
        GOOD.format(id="alpha-four").replace(
            "What is alpha-four?", "How would you prevent a neural network from overfitting?"
        ),
        encoding="utf-8",
    )
    second.write_text(
        GOOD.format(id="beta-four").replace(
            "What is beta-four?", "How would you stop a neural network\nfrom overfitting?"
        ),
        encoding="utf-8",
    )
    assert problems(bank_dir) == [
        f"{second}:12: question text is nearly the same as in {first} (similarity 86)"
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("What is instance normalization?", "What is batch normalization?"),
        ("What is a kernel in an SVM?", "What is a kernel in a CNN?"),
        ("How would you design a spam detector?", "How would you design a fraud detector?"),
        ("What is alpha-one?", "What is alpha-two?"),
    ],
)
def test_short_questions_that_differ_in_their_subject_are_not_duplicates(
    first: str, second: str
) -> None:
    assert similarity(first, second) < THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("What is instance normalization?", "What is instance normalisation?"),
        ("Explain the bias-variance trade-off.", "Explain the bias–variance trade-off!"),
        (
            "Why are transformers challenging to apply to images?",
            "Why are transformers so challenging to apply to images?",
        ),
        (
            "You have two trained models for the same task. How would you tell which one is better?",
            "How would you tell which of two models trained for the same task is better?",
        ),
    ],
)
def test_copies_with_small_edits_are_duplicates(first: str, second: str) -> None:
    assert similarity(first, second) >= THRESHOLD
