"""Slack text: escaping, Markdown to mrkdwn, and splitting to Slack's limits."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.slack import render
from bot.adapters.slack.mrkdwn import SECTION_LIMIT, escape, from_markdown, split_sections
from bot.bank.models import Question
from bot.core.models import ChannelRef, Round, RoundStatus, Subscription
from bot.core.ports import RevealPost, RoundPost
from bot.core.records import Answerer
from bot.core.results import QuizCard
from bot.core.schedule import Schedule, parse_post_time
from bot.grading.base import Feedback, KeyPointVerdict
from tests.slack.fake_slack import check_message


def test_escape_defuses_markup_and_broadcast_mentions() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    for word in ("@here", "@channel", "@everyone", "@HERE"):
        assert word not in escape(f"hi {word}!")
    assert escape("mail me@example.org") == "mail me@example.org"


def test_markdown_becomes_mrkdwn() -> None:
    markdown = "\n".join([
        "## Heading",
        "Some **bold**, *italic* and `a **literal** <tag>` here.",
        "- a bullet with [a link](https://example.org/a?b=1&c=2)",
        "```",
        "x = a < b and **not bold**",
        "```",
    ])  # fmt: skip
    assert from_markdown(markdown).splitlines() == [
        "*Heading*",
        "Some *bold*, _italic_ and `a **literal** &lt;tag&gt;` here.",
        "• a bullet with <https://example.org/a?b=1&amp;c=2|a link>",
        "```",
        "x = a &lt; b and **not bold**",
        "```",
    ]


def test_short_text_is_one_section() -> None:
    assert split_sections("hello") == ["hello"]
    assert split_sections("  \n ") == []


def test_long_text_is_split_at_paragraphs() -> None:
    paragraphs = [f"Paragraph {i}: " + "word " * 150 for i in range(12)]
    pieces = split_sections("\n\n".join(p.strip() for p in paragraphs))
    assert len(pieces) > 1
    assert all(len(piece) <= SECTION_LIMIT for piece in pieces)
    assert all(piece.startswith("Paragraph") for piece in pieces)  # whole paragraphs only
    assert sum(piece.count("Paragraph") for piece in pieces) == 12


def test_a_code_block_cut_in_two_is_closed_and_reopened() -> None:
    code = "```\n" + "\n".join(f"line {i} " + "x" * 60 for i in range(100)) + "\n```"
    pieces = split_sections(code)
    assert len(pieces) > 1
    for piece in pieces:
        assert len(piece) <= SECTION_LIMIT
        assert piece.startswith("```") and piece.endswith("```")


def test_an_unbroken_word_is_cut_without_splitting_an_entity() -> None:
    text = ("a" * 2989 + "&amp;") * 2
    pieces = split_sections(text)
    assert all(len(p) <= SECTION_LIMIT for p in pieces)
    assert "".join(pieces) == text
    assert all(not p.endswith(("&", "&a", "&am", "&amp")) for p in pieces)


@given(st.text(alphabet=st.sampled_from("ab &\n`*<>@"), max_size=9000))
def test_splitting_never_exceeds_the_limit_or_loses_words(text: str) -> None:
    pieces = split_sections(text, limit=400)
    assert all(len(piece) <= 400 for piece in pieces)
    assert "".join(pieces).replace("`", "").split() == text.replace("`", "").split()


def _question(answer: str) -> Question:
    return Question(
        id="q-long",
        pack="ml",
        difficulty="hard",
        tags=(),
        key_points=("One <b>point</b> @here.", "Two."),
        further_reading=("https://example.org/read",),
        text="Why is **this** long?",
        answer=answer,
    )


def _subscription() -> Subscription:
    schedule = Schedule(
        parse_post_time("09:30"), "Europe/Berlin", frozenset(range(5)), timedelta(hours=8)
    )
    return Subscription(1, ChannelRef("slack", "T1", "C1"), schedule, None, True, None, "U1")


def _round() -> Round:
    now = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    return Round(
        1, 1, now.date(), "q-long", 1, "scheduled", RoundStatus.REVEALED, now + timedelta(hours=8),
        now, now + timedelta(hours=8), "C1:1.000001", "C1:1.000001",
    )  # fmt: skip


def test_a_long_reveal_fits_slacks_limits() -> None:
    answer = "\n\n".join(f"Paragraph {i}. " + "Lorem ipsum dolor. " * 60 for i in range(8))
    names = tuple(Answerer(f"U{i}", f"Person number {i}") for i in range(200))
    message = render.reveal(RevealPost(_subscription(), _round(), _question(answer), names))
    assert len(message.blocks) <= render.MAX_BLOCKS
    sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert len(sections) > 3 and all(len(s) <= SECTION_LIMIT for s in sections)
    # The whole answer and all 200 names are more text than Slack takes in one message
    # (check_message: msg_blocks_too_long): the first names are shown, the rest counted.
    assert check_message({"text": message.text, "blocks": message.blocks}) is None
    assert "Answered by 200:" in sections[-1] and "Person number 0, " in sections[-1]
    assert re.search(r"Person number \d+, …and \d+ more\. Streaks are updated", sections[-1])
    assert "Paragraph 7." in json.dumps(message.blocks)  # the reference answer is whole
    assert all(b["text"].get("verbatim") for b in message.blocks if "Answered by" in json.dumps(b))
    text = json.dumps(message.blocks)
    assert "@here" not in text and "<b>" not in text
    # The rating buttons survive the shortening: they are what answerers click next.
    assert message.blocks[-1]["type"] == "actions" and len(message.blocks[-1]["elements"]) == 4


def test_the_question_post_shows_pack_difficulty_and_local_reveal_time() -> None:
    reveal_at = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    post = RoundPost(_subscription(), _round(), _question("Short."), "Machine learning", reveal_at)
    message = render.round_post(post)
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert "*Machine learning* · hard" in text
    assert "Why is *this* long?" in text
    assert (
        f"<!date^{int(reveal_at.timestamp())}^{{date_short_pretty}} at {{time}}|"
        "Tue 01 Dec 17:30 (Europe/Berlin)>" in text
    )
    assert message.text == "Question of the day (Machine learning): Why is *this* long?"


def test_a_long_quiz_answer_keeps_its_feedback_rules_and_rating_buttons() -> None:
    answer = "\n\n".join(f"Paragraph {i}. " + "Lorem ipsum dolor. " * 60 for i in range(150))
    question = _question(answer)
    feedback = Feedback.from_verdicts(
        [KeyPointVerdict(question.key_points[0], True, 1.0), KeyPointVerdict("Two.", False, 0.0)]
    )
    card = QuizCard(7, question, "ML", written_answer="x" * 5000, feedback=feedback)
    message = render.quiz_answer(card)
    # 150 long paragraphs: the text limit, not the block count, decides where it is cut.
    assert len(message.blocks) <= render.MAX_BLOCKS
    assert check_message({"text": message.text, "blocks": message.blocks}) is None
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert "shortened to fit" in text
    assert "Your answer covered 1 of 2 key points." in text and ":x: Missed: Two." in text
    assert "x" * 1499 + "…" in text and "x" * 1500 not in text  # quoted, not all of it
    buttons = message.blocks[-2]["elements"]
    assert [b["value"] for b in buttons] == ["7"] * 4
    assert [b.get("style") for b in buttons] == [None, "primary", None, None]  # 1 of 2: hard
