"""Discord refusing a post: the channel is flagged or paused, the other channels go on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADMIN, ALICE, DiscordBot

CREATE_PUBLIC_THREADS = 1 << 35


async def test_a_refused_post_leaves_the_other_channels_posts_intact(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    locked = fake.add_channel("locked")  # Discord answers 403 though the cache sees no problem
    no_threads = fake.add_channel("no-threads", deny_bot=CREATE_PUBLIC_THREADS)
    thread_refused = fake.add_channel("thread-refused")
    deleted = fake.add_channel("deleted")
    fake.refuse("POST", f"/channels/{locked}/messages")
    fake.refuse("POST", rf"/channels/{thread_refused}/messages/\d+/threads")
    fake.refuse("POST", f"/channels/{deleted}/messages", status=404, code=10003)
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        for channel in (locked, no_threads, thread_refused, general, deleted):
            await bot.subscribe(channel)
        await bot.world.scheduler.advance(timedelta(hours=2))

        # #general got its question and thread, whatever happened elsewhere.
        [post] = fake.find("POST", f"/channels/{general}/messages")
        assert post.status == 200
        assert fake.find("POST", rf"/channels/{general}/messages/\d+/threads")
        state = await bot.world.engine.status(bot.channel(general))
        assert state.open_round is not None and state.subscription is not None
        assert state.subscription.problem is None

        problems = {}
        for channel in (locked, no_threads, thread_refused, deleted):
            status = await bot.world.engine.status(bot.channel(channel))
            assert status.subscription is not None and status.open_round is None
            problems[channel] = (status.subscription.active, status.subscription.problem)
        assert problems[locked] == (
            True,
            "The bot needs the Send Messages and Embed Links permissions in this channel.",
        )
        # Known from the cache before posting: nothing was sent there.
        assert problems[no_threads] == (
            True,
            "The bot needs the Create Public Threads permission in this channel.",
        )
        assert not fake.find("POST", f"/channels/{no_threads}/messages")
        # The thread was refused after the question went out: the question is taken back.
        assert problems[thread_refused] == (
            True,
            "The bot needs the Create Public Threads permission in this channel.",
        )
        [withdrawn] = fake.find("DELETE", rf"/channels/{thread_refused}/messages/\d+")
        assert int(withdrawn.path.rsplit("/", 1)[1]) not in fake.messages
        # A deleted channel pauses its subscription.
        assert problems[deleted] == (
            False,
            "The channel was deleted, or the bot can no longer see it.",
        )

        # The next admin command there says what is missing.
        [status_reply] = await fake.interact(
            fake.slash("practice", subcommand="status", user=ALICE, channel_id=no_threads,
                       permissions=ADMIN)
        )  # fmt: skip
        assert (
            "⚠️ The last post here failed: The bot needs the Create Public Threads permission"
            in status_reply.text
        )
        # ...and subscribing there warns straight away, from the interaction's app permissions.
        fake.bot_permissions &= ~CREATE_PUBLIC_THREADS
        [again] = await bot.subscribe(no_threads)
        assert "⚠️ The bot needs the Create Public Threads permission" in again.text
    finally:
        await bot.stop()


async def test_post_now_reports_the_refusal(tmp_path: Path, fake: FakeDiscord) -> None:
    locked = fake.add_channel("locked")
    fake.refuse("POST", f"/channels/{locked}/messages", code=50001, message="Missing Access")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(locked)
        _, followup = await fake.interact(
            fake.slash("practice", subcommand="post-now", user=ALICE, channel_id=locked,
                       permissions=ADMIN),
            replies=2,
        )  # fmt: skip
        assert followup.text == (
            "Could not post: The bot needs the View Channel permission in this channel."
        )
        # Once the permission is granted, the next post clears the flag.
        fake.clear_refusals()
        _, retried = await fake.interact(
            fake.slash("practice", subcommand="post-now", user=ALICE, channel_id=locked,
                       permissions=ADMIN),
            replies=2,
        )  # fmt: skip
        assert retried.text.startswith("Posted today's question")
        status = await bot.world.engine.status(bot.channel(locked))
        assert status.subscription is not None and status.subscription.problem is None
    finally:
        await bot.stop()
