"""Fitting long reveals into Discord's limits: 4,096 per description, 6,000 per message."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.discord import render
from bot.adapters.discord.limits import (
    DESCRIPTION_LIMIT,
    EMBEDS_PER_MESSAGE,
    MESSAGE_EMBEDS_LIMIT,
    group_embeds,
    split_text,
)
from bot.bank.loader import load_bank
from bot.core.ports import RoundPost
from bot.core.records import Answerer
from tests.helpers import FIXTURE_BANK

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Z", "Cc")), min_size=1, max_size=30)  # fmt: skip
separators = st.sampled_from([" ", "\n", "\n\n", "  "])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(words, separators), max_size=120), st.integers(30, 400))
def test_split_text_keeps_every_word_and_fits(parts: list[tuple[str, str]], limit: int) -> None:
    text = "".join(word + sep for word, sep in parts)
    pieces = split_text(text, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert " ".join(pieces).split() == text.split()  # words shorter than the limit stay whole


def test_split_text_prefers_paragraphs_then_lines() -> None:
    paragraph = " ".join(["word"] * 30)  # 149 characters
    pieces = split_text(f"{paragraph}\n\n{paragraph}\n\n{paragraph}", 320)
    assert pieces == [f"{paragraph}\n\n{paragraph}", paragraph]
    assert split_text("a" * 10, 4) == ["aaaa", "aaaa", "aa"]  # no boundary at all: cut
    assert split_text("", 10) == []


def test_group_embeds_respects_count_and_total() -> None:
    embeds = [discord.Embed(description="x" * 2500) for _ in range(5)]
    assert [len(m) for m in group_embeds(embeds)] == [2, 2, 1]
    small = [discord.Embed(description="x") for _ in range(23)]
    assert [len(m) for m in group_embeds(small)] == [10, 10, 3]


def test_a_huge_reveal_is_split_across_messages_within_the_limits() -> None:
    question = load_bank(FIXTURE_BANK).questions()[0]
    long_answer = "\n\n".join(f"Paragraph {i}. " + "A long sentence. " * 40 for i in range(40))
    question = dataclasses.replace(question, answer=long_answer)
    answerers = [Answerer(str(10**17 + i), f"user {i}") for i in range(700)]
    messages = render.reveal_messages(question, answerers)
    assert len(messages) > 1
    for embeds in messages:
        assert len(embeds) <= EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in embeds) <= MESSAGE_EMBEDS_LIMIT
        assert all(len(e.description or "") <= DESCRIPTION_LIMIT for e in embeds)
    text = "\n".join(e.description or "" for m in messages for e in m)
    assert all(f"Paragraph {i}." in text for i in range(40))
    flat = " ".join(text.split())  # a name may be cut between two embeds at its space
    assert all(re.search(rf"\b{a.name}\b", flat) for a in answerers)
    assert "<@" not in text  # stored names in embeds, never mentions
    assert "Answered by 700" in text
    assert messages[0][0].title is not None and messages[0][0].title.startswith("Reference answer")


def test_the_round_post_shows_local_times_and_how_to_answer() -> None:
    question = load_bank(FIXTURE_BANK).questions()[0]
    reveal_at = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    post = RoundPost(None, None, question, "Alpha", reveal_at)  # type: ignore[arg-type]
    embed = render.round_embed(post, message_content=True)
    stamp = int(reveal_at.timestamp())
    assert embed.fields[2].value == f"<t:{stamp}:t> (<t:{stamp}:R>)"
    assert "Answer in the thread" in (embed.footer.text or "")
    assert "Answer button" in (render.round_embed(post, message_content=False).footer.text or "")
    assert len(render.thread_name(question, date(2026, 12, 1))) <= 100
