"""Questions from the team on Discord, through the real client and FakeDiscord: /suggest's
modal, the receipt, the review channel's message, Approve, Edit and Reject (Manage Server
checked on every click), duplicates, the limit, and a post that credits its author."""

from __future__ import annotations

from pathlib import Path

from bot.core.records import SuggestionStatus
from tests.discord.fake_discord import EPHEMERAL, Call, FakeDiscord, FakeUser, Json
from tests.discord.harness import ADMIN, ALICE, BOB, MEMBER, DiscordBot, press

CAROL = FakeUser(700_000_000_000_000_003, "carol")


def fill(fake: FakeDiscord, modal: Call, values: list[str], *, user: FakeUser, channel_id: int,
         on: Call | None = None, permissions: int = MEMBER) -> Json:  # fmt: skip
    """The modal sent back with `values` typed into its inputs, in order."""
    data = modal.body["data"]
    typed: list[Json] = []
    inputs = iter(values)
    for component in data["components"]:
        if component["type"] == 18:
            typed.append({"type": 18, "component": {**component["component"],
                                                     "value": next(inputs, "")}})  # fmt: skip
        elif component["type"] == 1:
            typed.append({"type": 1, "components": [
                {**c, "value": next(inputs, "")} for c in component["components"]]})  # fmt: skip
    message = (
        fake.message_payload(channel_id, fake.bot, components=on.components, flags=on.flags)
        if on is not None
        else None
    )
    return fake.interaction(5, {"custom_id": data["custom_id"], "components": typed}, user=user,
                            channel_id=channel_id, message=message, permissions=permissions)  # fmt: skip


async def suggest(bot: DiscordBot, channel: int, values: list[str], user: FakeUser = ALICE) -> Call:
    fake = bot.fake
    [modal] = await fake.interact(fake.slash("suggest", user=user, channel_id=channel))
    assert modal.body["type"] == 9
    [reply] = await fake.interact(fill(fake, modal, values, user=user, channel_id=channel))
    return reply


async def test_the_whole_flow(tmp_path: Path, fake: FakeDiscord) -> None:
    general, reviews = fake.add_channel("general"), fake.add_channel("reviews")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general, time="09:30", packs="community")
        await fake.interact(fake.slash("practice", {"key": "review-channel",
                                                    "value": f"<#{reviews}>"},
                                       subcommand="config", user=ALICE, channel_id=general,
                                       permissions=ADMIN))  # fmt: skip
        receipt = await suggest(bot, general, ["Tell us about your worst outage."])
        assert receipt.flags & EPHEMERAL and "is waiting for an admin's review" in receipt.text
        await fake.wait_until(lambda: bool(fake.find("POST", f"/channels/{reviews}/messages")))
        [queued] = fake.find("POST", f"/channels/{reviews}/messages")
        assert "Suggested question #1" in queued.text
        assert [b["label"] for b in queued.buttons] == ["Approve", "Edit", "Reject"]

        [refused] = await fake.interact(press(fake, queued, "Approve", user=BOB,
                                              channel_id=reviews))  # fmt: skip
        assert "Only admins" in refused.text
        approve = press(fake, queued, "Approve", user=CAROL, channel_id=reviews)
        approve["member"] = CAROL.member(ADMIN)
        [approved] = await fake.interact(approve)
        assert "Approved by" in approved.text
        again = press(fake, queued, "Approve", user=BOB, channel_id=reviews)
        again["member"] = BOB.member(ADMIN)
        [late] = await fake.interact(again)
        assert "already approved by" in late.text
        await fake.wait_until(lambda: any("was approved" in c.text for c in fake.dms_to(ALICE)))

        await fake.interact(fake.slash("practice", subcommand="post-now", user=ALICE,
                                       channel_id=general, permissions=ADMIN), replies=2)  # fmt: skip
        post = fake.find("POST", f"/channels/{general}/messages")[-1]
        assert "suggested by Alice" in str(post.body)
        await fake.wait_until(lambda: any("just posted" in c.text for c in fake.dms_to(ALICE)))
    finally:
        await bot.stop()


async def test_edit_reject_duplicates_and_the_limit(tmp_path: Path, fake: FakeDiscord) -> None:
    general, reviews = fake.add_channel("general"), fake.add_channel("reviews")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general)
        await fake.interact(fake.slash("practice", {"key": "review-channel",
                                                    "value": str(reviews)},
                                       subcommand="config", user=ALICE, channel_id=general,
                                       permissions=ADMIN))  # fmt: skip
        await suggest(bot, general, ["What is a vektor clock?"], user=BOB)
        await fake.wait_until(lambda: bool(fake.find("POST", f"/channels/{reviews}/messages")))
        [queued] = fake.find("POST", f"/channels/{reviews}/messages")
        click = press(fake, queued, "Edit", user=ALICE, channel_id=reviews)
        click["member"] = ALICE.member(ADMIN)
        [modal] = await fake.interact(click)
        assert modal.body["type"] == 9
        [edited] = await fake.interact(fill(fake, modal, ["What is a vector clock?"], user=ALICE,
                                            channel_id=reviews, on=queued, permissions=ADMIN))  # fmt: skip
        assert "is updated" in edited.text
        (record,) = await bot.world.engine.suggestions()
        assert record.fields.text == "What is a vector clock?"

        click = press(fake, queued, "Reject", user=ALICE, channel_id=reviews)
        click["member"] = ALICE.member(ADMIN)
        [modal] = await fake.interact(click)
        # Manage Server taken away while the modal was open: refused at the submission too.
        [refused] = await fake.interact(fill(fake, modal, ["no"], user=ALICE, channel_id=reviews,
                                             on=queued))  # fmt: skip
        assert "Only admins" in refused.text
        click = press(fake, queued, "Reject", user=ALICE, channel_id=reviews)
        click["member"] = ALICE.member(ADMIN)
        [modal] = await fake.interact(click)
        [rejected] = await fake.interact(fill(fake, modal, ["too vague"], user=ALICE,
                                              channel_id=reviews, on=queued, permissions=ADMIN))  # fmt: skip
        assert "Rejected by" in rejected.text and "too vague" in rejected.text
        (record,) = await bot.world.engine.suggestions()
        assert record.status is SuggestionStatus.REJECTED
        await fake.wait_until(lambda: any("too vague" in c.text for c in fake.dms_to(BOB)))

        duplicate = await suggest(bot, general, ["What is alpha one?"])
        assert "nearly the same" in duplicate.text and "What is alpha-one?" in duplicate.text
        bad = await suggest(bot, general, ["Why?", "An answer.", "only one point"])
        assert "3 to 6 key points" in bad.text
        await fake.interact(fake.slash("practice", {"key": "suggestion-limit", "value": "1"},
                                       subcommand="config", user=ALICE, channel_id=general,
                                       permissions=ADMIN))  # fmt: skip
        assert "waiting" in (await suggest(bot, general, ["What is a bloom filter?"])).text
        limited = await suggest(bot, general, ["What is consistent hashing?"])
        assert "1 suggestion waiting for review" in limited.text
        assert len(await bot.world.engine.suggestions()) == 2
    finally:
        await bot.stop()


def in_dm(fake: FakeDiscord, payload: Json, user: FakeUser, dm: int) -> Json:
    """A click as it comes from a DM with the bot: no server, no member, the user alone."""
    for key in ("guild_id", "guild", "member"):
        payload.pop(key, None)
    payload.update({"user": user.payload(), "channel_id": str(dm), "context": 1,
                    "channel": {"id": str(dm), "type": 1, "recipients": [user.payload()]}})  # fmt: skip
    return payload


async def test_without_a_review_channel_the_subscriber_reviews_by_dm(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general)  # by Alice, a manager
        await suggest(bot, general, ["What is a vector clock?"], user=BOB)
        await fake.wait_until(lambda: bool(fake.dms_to(ALICE)))
        [queued] = fake.dms_to(ALICE)
        assert [b["label"] for b in queued.buttons] == ["Approve", "Edit", "Reject"]
        dm = next(c for c, u in fake.dm_channels.items() if u == ALICE.id)

        # Alice no longer manages the server: refused, asked of the server at the click.
        [refused] = await fake.interact(
            in_dm(fake, press(fake, queued, "Approve", user=ALICE, channel_id=dm), ALICE, dm)
        )
        assert "Only admins" in refused.text
        fake.managers.add(ALICE.id)
        [approved] = await fake.interact(
            in_dm(fake, press(fake, queued, "Approve", user=ALICE, channel_id=dm), ALICE, dm)
        )
        assert "Approved by" in approved.text
        (record,) = await bot.world.engine.suggestions()
        assert record.status is SuggestionStatus.APPROVED
    finally:
        await bot.stop()
