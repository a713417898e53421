"""The shipped question bank: size, shape and the house rules for reference answers."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bot.bank.duplicates import THRESHOLD, similarity
from bot.bank.loader import load_bank
from bot.bank.models import Bank
from bot.bank.tags import TAG, read_vocabulary
from bot.paths import default_questions_dir

SEED_PACKS = {"ml": 10, "cv": 10, "nlp": 9, "systems": 7}  # systems: seed 2 split into four
NEW_PACKS = ("classic", "llm", "mlops")
# Issue 14: a year of weekday questions, and the areas ML teams are asked about.
YEAR_PACKS = ("recsys", "detection", "scale", "nn", "rl", "timeseries", "xai", "causal", "llmapps", "ssl")  # fmt: skip
README = Path(__file__).resolve().parent.parent / "README.md"
IMPERATIVES = {"explain", "describe", "list", "design", "compare", "give", "outline", "estimate"}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(default_questions_dir())


def test_bank_size_and_pack_counts(bank: Bank) -> None:
    assert len(bank) >= 260
    assert len(bank.packs) >= 15
    counts = {pack.name: len(pack.questions) for pack in bank.packs}
    for name, expected in SEED_PACKS.items():
        assert counts[name] == expected, name
    assert sum(counts[name] for name in NEW_PACKS) >= 34
    assert all(counts[name] >= 10 for name in NEW_PACKS)
    for name in YEAR_PACKS:
        assert 15 <= counts[name] <= 25, name
        easy = sum(q.difficulty == "easy" for q in bank.pack(name).questions)  # type: ignore[union-attr]
        assert easy >= counts[name] // 3 - 1, f"{name}: a third easy"


def test_the_readme_table_is_the_banks(bank: Bank) -> None:
    rows = re.findall(
        r"^\| `([a-z]+)` \| (\d+) \| (\d+) / (\d+) / (\d+) \|", README.read_text(), re.MULTILINE
    )
    shown = {name: tuple(map(int, numbers)) for name, *numbers in rows}
    actual = {
        pack.name: (
            len(pack.questions),
            *(
                sum(q.difficulty == level for q in pack.questions)
                for level in ("easy", "medium", "hard")
            ),
        )
        for pack in bank.packs
    }
    assert shown == actual


def test_ids_are_unique_and_prefixed_by_their_pack(bank: Bank) -> None:
    ids = [q.id for q in bank.questions()]
    assert len(ids) == len(set(ids))
    assert all(q.id.startswith(f"{q.pack}-") for q in bank.questions())


def test_each_question_follows_the_house_rules(bank: Bank) -> None:
    for q in bank.questions():
        words = len(q.answer.split())
        assert 120 <= words <= 300, f"{q.id}: {words} words"
        assert 3 <= len(q.key_points) <= 6, q.id
        assert 1 <= len(q.further_reading) <= 3, q.id
        for url in q.further_reading:
            parsed = urlparse(url)
            assert parsed.scheme == "https" and "." in parsed.netloc, f"{q.id}: {url}"
        first_word = q.text.split()[0].lower().strip(",.:")
        assert q.text.endswith("?") or first_word in IMPERATIVES, f"{q.id}: {q.text!r}"
        assert not re.search(r"\$|\\frac|\\\(", q.answer), f"{q.id}: LaTeX in the answer"
        assert not re.search(r"^#", q.answer, re.MULTILINE), f"{q.id}: heading inside the answer"
        assert all(TAG.fullmatch(tag) for tag in q.tags), q.id


def test_difficulty_is_spread_roughly_in_thirds(bank: Bank) -> None:
    spread = Counter(q.difficulty for q in bank.questions())
    for level in ("easy", "medium", "hard"):
        assert 0.25 <= spread[level] / len(bank) <= 0.42, spread


def test_no_question_is_asked_twice(bank: Bank) -> None:
    texts = Counter(re.sub(r"\W+", " ", q.text.lower()).strip() for q in bank.questions())
    assert max(texts.values()) == 1
    questions = bank.questions()
    closest = max(
        (similarity(a.text, b.text), a.id, b.id)
        for i, a in enumerate(questions)
        for b in questions[i + 1 :]
    )
    assert closest[0] < THRESHOLD, closest


def test_every_tag_is_in_the_vocabulary_and_follows_the_convention(bank: Bank) -> None:
    vocabulary, problems = read_vocabulary(default_questions_dir())
    assert vocabulary is not None and not problems
    used = {tag for q in bank.questions() for tag in q.tags}
    assert used <= vocabulary.tags, sorted(used - vocabulary.tags)
    for tag in vocabulary.tags:
        assert TAG.fullmatch(tag), tag
        # Singular nouns: never both a tag and its plural.
        assert f"{tag}s" not in vocabulary.tags, tag
        # US spelling: optimization, behavior, center, analyze.
        assert not re.search(r"isation|iour|our-|colour|tre$|yse$", tag), tag


def test_seed_links_are_kept(bank: Bank) -> None:
    links = {url for q in bank.questions() for url in q.further_reading}
    assert (
        "https://towardsdatascience.com/seven-questions-to-ask-before-introducing-ai-to-your-project-b969d591c98b"
        in links
    )
    assert (
        "https://medium.com/towards-data-science/even-google-does-not-get-it-right-a9685f7f63c9"
        in links
    )
