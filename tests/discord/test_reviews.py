"""Spaced repetition and feedback on Discord, through the real client and FakeDiscord: a written
quiz answer in a modal, covered and missed key points, rating buttons on the quiz and on the
daily reveal, /review, and feedback by DM for those who opted in."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.discord import replies
from bot.adapters.discord.commands import FEEDBACK_OFF, FEEDBACK_ON, FEEDBACK_ON_DMS_CLOSED
from bot.adapters.discord.quiz_views import SAVED_NOTE, WriteAnswerButton
from bot.adapters.discord.render import NO_REVIEWS
from bot.bank.loader import load_bank
from bot.bank.models import Bank
from bot.core.models import Round
from bot.grading.base import Feedback
from tests.discord.fake_discord import EPHEMERAL, Call, FakeDiscord, FakeUser, eventually
from tests.discord.harness import ALICE, BOB, DiscordBot, OrdinalGrader, press, submit
from tests.helpers import FIXTURE_BANK

CAROL = FakeUser(700_000_000_000_000_003, "carol")
RATINGS = ["Again", "Hard", "Good", "Easy"]
PRIMARY, SECONDARY = 1, 2  # Discord's button styles
UPDATE_MESSAGE, DEFERRED_UPDATE = 7, 6  # interaction callback types that edit the clicked message


@pytest.fixture
async def graded(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[DiscordBot]:
    """A bot whose engine grades written answers with OrdinalGrader."""
    fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake, grader=OrdinalGrader())
    yield bot
    await bot.stop()


def general(fake: FakeDiscord) -> int:
    return next(iter(fake.channels))


async def quiz(bot: DiscordBot, user: FakeUser = ALICE, pack: str = "alpha") -> Call:
    fake = bot.fake
    [card] = await fake.interact(
        fake.slash("quiz", {"pack": pack}, user=user, channel_id=general(fake))
    )
    return card


async def click(bot: DiscordBot, message: Call, label: str, user: FakeUser = ALICE) -> Call:
    """Press a button and return the bot's one answer to it."""
    [reply] = await bot.fake.interact(
        press(bot.fake, message, label, user=user, channel_id=general(bot.fake))
    )
    return reply


async def rate_quiz(bot: DiscordBot, rating: str, user: FakeUser = ALICE) -> Call:
    answer = await click(bot, await quiz(bot, user), "Show answer", user)
    return await click(bot, answer, rating, user)


async def test_write_an_answer_show_it_with_feedback_and_rate_it(graded: DiscordBot) -> None:
    bot, fake = graded, graded.fake
    card = await quiz(bot)
    assert card.flags & EPHEMERAL
    assert [b["label"] for b in card.buttons] == ["Write an answer", "Show answer"]
    quiz_id = int(card.buttons[1]["custom_id"].rsplit(":", 1)[1])

    modal = await click(bot, card, "Write an answer")
    assert modal.body["type"] == 9 and modal.body["data"]["title"] == "Your answer"
    shown, answer_box = modal.body["data"]["components"]
    assert shown["type"] == 10 and "What is alpha-one?" in shown["content"]  # the question
    assert answer_box["component"]["max_length"] == 4000

    [saved] = await fake.interact(
        submit(fake, modal, "The first one, and the third.", user=ALICE,
               channel_id=general(fake), on=card)
    )  # fmt: skip
    assert saved.body["type"] == UPDATE_MESSAGE  # the card itself says the answer is kept
    assert saved.body["data"]["content"] == SAVED_NOTE
    assert [b["label"] for b in saved.buttons] == ["Rewrite my answer", "Show answer"]
    assert await bot.world.store.quiz_answer(quiz_id) == "The first one, and the third."

    answer = await click(bot, saved, "Show answer")
    assert answer.body["type"] == UPDATE_MESSAGE  # the card turns into the answer
    assert "Reference answer" in answer.text and "Key points" in answer.text
    assert "> The first one, and the third." in answer.text  # what they wrote
    assert "Your answer covered 2 of 3 key points." in answer.text
    assert "✅ The first point about alpha-one is stated." in answer.text
    assert "✅ The third point about alpha-one is stated." in answer.text
    assert "❌ Missed: The second point about alpha-one is stated." in answer.text
    assert "Suggested rating: Good" in answer.text
    assert "Suggested: **good**." in answer.body["data"]["content"]
    assert [b["label"] for b in answer.buttons] == RATINGS
    assert [b["style"] for b in answer.buttons] == [SECONDARY, SECONDARY, PRIMARY, SECONDARY]
    assert answer.buttons[2]["custom_id"] == f"practicebot:rate-quiz:{quiz_id}:good"

    rated = await click(bot, answer, "Good")
    assert rated.body["type"] == UPDATE_MESSAGE
    assert rated.body["data"]["content"].splitlines()[0] == (
        "Rated good: it comes back in 10 minutes."
    )
    assert rated.components == []  # the buttons gave way to the rating
    assert "embeds" not in rated.body["data"]  # the answer and feedback stay as they were

    # A second click (a double click, an old copy) rates nothing and leaves the message.
    twice = await click(bot, answer, "Easy")
    assert twice.body["type"] == 4 and twice.flags & EPHEMERAL
    assert twice.text == "You have already rated this one."
    assert (await bot.world.engine.review_stats("discord", str(ALICE.id))).reviews_done == 1

    # The next /quiz says what is coming rather than repeating the question.
    again = await quiz(bot)
    assert again.body["data"]["content"] == (
        "Nothing due, next review in 10 minutes; here is a new question."
    )
    assert str(quiz_id) not in again.buttons[1]["custom_id"]


async def test_due_reviews_come_first_and_buttons_work_after_a_restart(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        for _ in range(2):
            await rate_quiz(bot, "Again")
        bot.world.clock.set(bot.world.clock.now() + timedelta(minutes=5))
        card = await quiz(bot)
        assert card.body["data"]["content"] == "2 reviews due — here is the first."
        # Without a written answer: no feedback, no suggestion, no button stands out.
        answer = await click(bot, card, "Show answer")
        assert "covered" not in answer.text and "Your answer" not in answer.text
        assert "Suggested" not in answer.body["data"]["content"]
        assert [b["style"] for b in answer.buttons] == [SECONDARY] * 4
        unopened = await quiz(bot)
        assert unopened.buttons[1]["custom_id"] != card.buttons[1]["custom_id"]  # a new quiz
        now = bot.world.clock.now()
    finally:
        await bot.stop()

    # Messages sent before the restart: their buttons' ids carry all the new process needs.
    restarted = await DiscordBot.start(tmp_path / "bot.db", fake)
    restarted.world.clock.set(now)
    try:
        rated = await click(restarted, answer, "Hard")
        assert rated.body["data"]["content"].startswith("Rated hard: it comes back in")
        modal = await click(restarted, unopened, "Write an answer")
        assert modal.body["type"] == 9
        shown = await click(restarted, unopened, "Show answer")
        assert shown.body["type"] == UPDATE_MESSAGE and "Reference answer" in shown.text
    finally:
        await restarted.stop()


async def test_a_long_answer_spills_into_a_follow_up_with_the_buttons_last(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    fake.add_channel("general")
    long_answer = "\n\n".join(f"Paragraph {i}. " + "A long sentence. " * 40 for i in range(10))
    fixture = load_bank(FIXTURE_BANK)
    assert fixture.get("alpha-one") is not None
    bank = Bank(
        tuple(
            dataclasses.replace(pack, questions=tuple(
                dataclasses.replace(q, answer=long_answer) if q.id == "alpha-one" else q
                for q in pack.questions
            ))
            for pack in fixture.packs
        )
    )  # fmt: skip
    bot = await DiscordBot.start(tmp_path / "bot.db", fake, bank=bank)
    try:
        card = await quiz(bot)  # alpha-one: the pack's one easy question comes first
        first, last = await fake.interact(
            press(fake, card, "Show answer", user=ALICE, channel_id=general(fake)), replies=2
        )
        assert first.body["type"] == UPDATE_MESSAGE and first.components == []
        assert "Paragraph 0." in first.text
        assert last.path.startswith(f"/webhooks/{fake.app_id}/") and last.flags & EPHEMERAL
        assert "Paragraph 9." in last.text and "Key points" in last.text
        assert last.body["content"].startswith("**How did you do?**")
        assert [b["label"] for b in last.buttons] == RATINGS
    finally:
        await bot.stop()


async def test_review_shows_due_now_this_week_done_and_retention(graded: DiscordBot) -> None:
    bot, fake = graded, graded.fake

    async def review(user: FakeUser = ALICE) -> Call:
        [reply] = await fake.interact(fake.slash("review", user=user, channel_id=general(fake)))
        assert reply.flags & EPHEMERAL
        return reply

    assert (await review()).text == NO_REVIEWS
    for rating in ("Again", "Good", "Easy"):
        await rate_quiz(bot, rating)
    # Five minutes on: "again" (1 minute) is due, "good" (10 minutes) is due this week, and
    # "easy" (days away) is neither.
    bot.world.clock.set(bot.world.clock.now() + timedelta(minutes=5))
    stats = await bot.world.engine.review_stats("discord", str(ALICE.id))
    assert stats.retention is not None
    [embed] = (await review()).embeds
    assert embed["title"] == "Your reviews"
    assert {f["name"]: f["value"] for f in embed["fields"]} == {
        "Due now": "1",
        "Due this week": "1 more",
        "Reviews done": "3 over 3 questions",
        "Estimated retention": f"{stats.retention:.0%}",
    }
    assert embed["footer"]["text"] == "/quiz serves what is due first."
    assert (await review(BOB)).text == NO_REVIEWS

    # After a graded answer, its feedback comes too, as it was given.
    engine, user = bot.world.engine, str(BOB.id)
    card = await engine.quiz("discord", user, pack="alpha")
    await engine.answer_quiz("discord", user, "the second one", quiz_id=card.quiz_id)
    await engine.reveal_quiz("discord", user, card.quiz_id)
    [last] = (await review(BOB)).embeds
    assert last["description"].startswith("**Your last feedback:** ")
    assert "Your answer covered 1 of 3 key points." in last["description"]
    assert f"✅ {card.question.key_points[1]}" in last["description"]


async def _answer_and_reveal(bot: DiscordBot, answers: dict[FakeUser, str]) -> tuple[Round, Call]:
    """Subscribe, post, answer in the thread, reveal; the round and the reveal's last message."""
    fake, channel = bot.fake, general(bot.fake)
    if not (await bot.world.engine.status(bot.channel(channel))).subscription:
        await bot.subscribe(channel)
    await bot.world.scheduler.advance(timedelta(hours=2))
    open_round = (await bot.world.engine.status(bot.channel(channel))).open_round
    assert open_round is not None and open_round.thread_id is not None
    thread = int(open_round.thread_id)
    for user, text in answers.items():
        await fake.dispatch("MESSAGE_CREATE", fake.message_payload(thread, user, text))

    async def all_in() -> bool:
        texts = [await bot.world.store.answer_text(open_round.id, str(u.id)) for u in answers]
        return all(texts)

    await eventually(all_in)
    await bot.world.scheduler.advance(timedelta(hours=8))
    reveal = fake.find("POST", f"/channels/{thread}/messages")
    return open_round, reveal[-1]


async def test_the_reveal_lets_those_who_answered_rate_themselves(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        round, reveal = await _answer_and_reveal(bot, {ALICE: "Bias is a wrong assumption."})
        assert "Answered? Rate yourself" in reveal.text
        assert [b["label"] for b in reveal.buttons] == RATINGS
        assert {b["custom_id"].rsplit(":", 1)[0] for b in reveal.buttons} == {
            f"practicebot:rate-round:{round.id}"
        }

        now = bot.world.clock.now()
    finally:
        await bot.stop()

    # The buttons keep working after a restart: their ids carry the round.
    restarted = await DiscordBot.start(tmp_path / "bot.db", fake)
    restarted.world.clock.set(now)
    try:
        rated = await click(restarted, reveal, "Good")
        assert rated.flags & EPHEMERAL and rated.body["type"] == 4
        assert rated.text == "Rated good: this question comes back in your `/quiz` in 10 minutes."
        refused = await click(restarted, reveal, "Easy", user=BOB)
        assert refused.flags & EPHEMERAL
        assert refused.text == "Only people who answered this round can rate it; try /quiz."
        twice = await click(restarted, reveal, "Easy")
        assert twice.text == "You have already rated this one."
        assert not fake.find("PATCH", f"/channels/{round.thread_id}/messages/.*")  # reveal intact
        engine = restarted.world.engine
        assert (await engine.review_stats("discord", str(BOB.id))).cards == 0
        alice = await engine.review_stats("discord", str(ALICE.id))
        assert (alice.cards, alice.reviews_done) == (1, 1)
    finally:
        await restarted.stop()


async def test_feedback_by_dm_after_the_reveal_to_those_who_opted_in(
    graded: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot, fake = graded, graded.fake
    channel = general(fake)
    fake.closed_dms.add(CAROL.id)

    async def feedback(user: FakeUser, turn: str) -> str:
        [reply] = await fake.interact(
            fake.slash("feedback", {"turn": turn}, user=user, channel_id=channel)
        )
        assert reply.flags & EPHEMERAL
        return reply.text

    # Anyone may opt in (no Manage Server needed); the bot checks its DMs can reach them.
    assert await feedback(ALICE, "on") == FEEDBACK_ON
    [hello] = fake.dms_to(ALICE)
    assert "Feedback is on" in hello.text
    assert await feedback(CAROL, "on") == FEEDBACK_ON_DMS_CLOSED

    round, reveal = await _answer_and_reveal(bot, {
        ALICE: "The first, then the second.", BOB: "The third.", CAROL: "The first.",
    })  # fmt: skip
    assert "Answered by 3" in reveal.text  # the reveal went out, Carol's closed DMs or not
    revealed = await bot.world.store.round(round.id)
    assert revealed is not None and revealed.revealed_at is not None

    _, note = fake.dms_to(ALICE)
    assert note.status == 200
    assert note.text.startswith("Your answer to: What is")
    assert "Your answer covered 2 of 3 key points." in note.text
    assert "✅ The first point" in note.text and "❌ Missed: The third point" in note.text
    [embed] = note.embeds
    assert embed["url"] == f"https://discord.com/channels/{fake.guild_id}/{round.thread_id}"
    # The DM carries the round's rating buttons, the suggested one standing out.
    assert [b["style"] for b in note.buttons] == [SECONDARY, SECONDARY, PRIMARY, SECONDARY]
    assert note.buttons[2]["custom_id"] == f"practicebot:rate-round:{round.id}:good"
    assert fake.dms_to(BOB) == []  # Bob did not opt in
    assert [c.status for c in fake.dms_to(CAROL)] == [403, 403]  # the check, then the note
    # Refused for good: Carol's note waits alone (parked); the channel is not flagged.
    assert (
        "(feedback) parked channel=discord:910000000000000001:1000000000000000003 "
        "failure=forbidden: Discord refused the direct message (error code 50007)" in caplog.text
    )

    # Off again: the next reveal sends nothing.
    assert await feedback(ALICE, "off") == FEEDBACK_OFF
    await bot.world.scheduler.advance(timedelta(hours=14))  # to the next morning
    await _answer_and_reveal(bot, {ALICE: "The first."})
    assert len(fake.dms_to(ALICE)) == 2


class HeldGrader(OrdinalGrader):
    """Grades only once released: stands for a slow embedding model."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def grade(self, key_points: Sequence[str], answer: str, reference: str = "") -> Feedback:
        await self.release.wait()
        return await super().grade(key_points, answer, reference)


async def test_a_slow_grade_is_deferred_then_the_card_is_edited(
    tmp_path: Path, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replies, "DEFER_AFTER_S", 0.01)
    fake.add_channel("general")
    grader = HeldGrader()
    bot = await DiscordBot.start(tmp_path / "bot.db", fake, grader=grader)
    try:
        card = await quiz(bot)
        modal = await click(bot, card, "Write an answer")
        [saved] = await fake.interact(
            submit(fake, modal, "The second.", user=ALICE, channel_id=general(fake), on=card)
        )
        payload = press(fake, saved, "Show answer", user=ALICE, channel_id=general(fake))
        shown = asyncio.create_task(fake.interact(payload, replies=2))
        deferral = await fake.wait_for_call(lambda call: payload["token"] in call.path)
        assert deferral.body["type"] == DEFERRED_UPDATE  # in time, and no "thinking…" message
        assert not shown.done()
        grader.release.set()
        _, edit = await shown
        assert (edit.method, edit.path.rsplit("/", 1)[1]) == ("PATCH", "@original")
        assert "Your answer covered 1 of 3 key points." in edit.text
        assert [b["label"] for b in edit.buttons] == RATINGS
    finally:
        await bot.stop()


def test_a_write_button_keeps_within_discords_custom_id_limit() -> None:
    assert WriteAnswerButton(7, "alpha-one").item.custom_id == "practicebot:quiz-write:7:alpha-one"
    long = WriteAnswerButton(7, "-".join(["word"] * 30)).item.custom_id
    assert long == "practicebot:quiz-write:7:"  # the modal then shows no question, but works
