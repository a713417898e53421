"""The console's pure parts: wrapping, widths, wording, cleaning a typed line, redrawing."""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path

import pytest

from bot.adapters.console import render, terminal
from bot.adapters.console.terminal import Terminal, clean_line
from bot.bank.loader import load_bank
from bot.core.records import Answerer
from bot.core.reviews import ReviewStats

BANK = load_bank(Path(__file__).parent.parent / "questions")


@pytest.mark.parametrize("question", BANK.questions(), ids=lambda q: q.id)
def test_a_heading_holds_the_whole_first_paragraph(question: object) -> None:
    text = question.text  # type: ignore[attr-defined]
    shown = render.heading("Reveal: ", text)
    first_paragraph = " ".join(render.plain(text).split("\n\n")[0].split())
    assert " ".join(shown.split()) == f"Reveal: {first_paragraph}"
    assert all(render.columns(line) <= render.WIDTH for line in shown.splitlines())


def test_wording_plurals_and_nobody() -> None:
    assert render.answered_by(()) == "Nobody answered this time. The next question is a fresh start."
    assert render.answered_by((Answerer("a", "Ann"),)) == "Answered by 1: Ann"
    stats = ReviewStats(cards=1, due_now=0, due_this_week=0, reviews_done=1, retention=0.9)
    assert "1 review done over 1 question;" in render.review_stats(stats)


@pytest.mark.parametrize(
    ("name", "width"),
    [("Alice", 5), ("🔥 Zoë", 6), ("名前", 4), ("e\u0301", 1), ("❤️", 2), ("👩\u200d💻", 2)],
)
def test_columns_count_wide_and_zero_width_characters(name: str, width: int) -> None:
    assert render.columns(name) == width


def test_fit_pads_or_cuts_with_an_ellipsis() -> None:
    assert render.fit("Bob", 6) == "Bob   "
    cut = render.fit("名前がとても長い人の名前です", 9)
    assert cut.endswith("…") or cut.endswith("… ")
    assert render.columns(cut) == 9


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("hello\x0c there\n", "hello there"), ("a\x1b[Ab\r\n", "ab"), ("tab\there", "tab here"),
     ("\x00\x7f\x9b2Jx", "x"), ("naïve 🔥", "naïve 🔥")],
)  # fmt: skip
def test_clean_line_drops_control_characters(typed: str, kept: str) -> None:
    assert clean_line(typed) == kept


async def test_a_post_while_typing_redraws_the_prompt_and_the_typed_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = threading.Event()
    release = threading.Event()

    def fake_input(prompt: str) -> str:
        asked.set()
        release.wait(5)
        return "done"

    monkeypatch.setattr(terminal, "input", fake_input, raising=False)
    monkeypatch.setattr(terminal, "readline", None)
    out = io.StringIO()
    term = Terminal(io.StringIO(), out, interactive=True)
    reading = asyncio.create_task(term.read("Alice> "))
    assert await asyncio.to_thread(asked.wait, 5)
    term.write("Question of the day")
    assert out.getvalue() == "\r\x1b[2KQuestion of the day\nAlice> "
    release.set()
    assert await reading == "done"
    term.write("after")
    assert out.getvalue().endswith("Alice> after\n")
