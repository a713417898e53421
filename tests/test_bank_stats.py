"""`practicebot questions stats`: counts per pack, difficulty and tag, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.bank.loader import load_bank
from bot.bank.stats import bank_stats, render
from bot.paths import default_questions_dir
from tests.helpers import FIXTURE_BANK


def stats(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN")}
    env["PRACTICEBOT_QUESTIONS"] = str(FIXTURE_BANK)
    return subprocess.run(
        [sys.executable, "-m", "bot", "questions", "stats", *args],
        capture_output=True, text=True, env=env, timeout=60, check=check,
    )  # fmt: skip


def test_stats_as_json_counts_packs_difficulties_and_tags() -> None:
    result = json.loads(stats("--json").stdout)
    assert result == {
        "total": 6,
        "packs": [
            {"name": "alpha", "title": "Alpha pack", "questions": 3,
             "difficulty": {"easy": 1, "medium": 1, "hard": 1}},
            {"name": "beta", "title": "Beta pack", "questions": 3,
             "difficulty": {"easy": 1, "medium": 1, "hard": 1}},
        ],
        "difficulty": {"easy": 2, "medium": 2, "hard": 2},
        "tags": {"testing": 6},
    }  # fmt: skip


def test_stats_as_text_has_a_row_per_pack_and_the_tags(tmp_path: Path) -> None:
    lines = stats().stdout.splitlines()
    assert lines[0].split() == ["pack", "title", "questions", "easy", "medium", "hard"]
    assert lines[1].split() == ["alpha", "Alpha", "pack", "3", "1", "1", "1"]
    assert lines[3].split() == ["total", "6", "2", "2", "2"]
    assert "6 questions in 2 packs" in lines
    assert "difficulty: easy 2 (33%), medium 2 (33%), hard 2 (33%)" in lines
    assert lines[-2:] == ["tags (1):", "  testing     6"]


def test_stats_takes_a_path_and_reports_an_invalid_bank(tmp_path: Path) -> None:
    bundled = json.loads(stats(str(default_questions_dir()), "--json").stdout)
    assert bundled["total"] == len(load_bank(default_questions_dir()))
    (tmp_path / "empty").mkdir()
    result = stats(str(tmp_path / "empty"), check=False)
    assert result.returncode == 1
    assert "no questions found" in result.stderr


def test_tags_are_sorted_by_count_then_name() -> None:
    summary = bank_stats(load_bank(default_questions_dir()))
    counts = [count for _, count in summary.by_tag]
    assert counts == sorted(counts, reverse=True)
    for (tag, count), (next_tag, next_count) in zip(
        summary.by_tag, summary.by_tag[1:], strict=False
    ):
        assert count > next_count or tag < next_tag
    assert sum(p.questions for p in summary.packs) == summary.total
    assert sum(summary.by_difficulty.values()) == summary.total
    assert render(summary).splitlines()[0].startswith("pack")
