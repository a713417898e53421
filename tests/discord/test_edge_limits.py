"""Discord's limits, enforced before sending: admin replies that quote a platform's error page
stay within 2,000 characters, and the problem is stored short and without markup."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.adapters.discord.limits import CONTENT_LIMIT
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADMIN, ALICE, DiscordBot
from tests.faults import html_page, server_error


def _practice(fake: FakeDiscord, subcommand: str, channel: int) -> dict[str, object]:
    return fake.slash(
        "practice", subcommand=subcommand, user=ALICE, channel_id=channel, permissions=ADMIN
    )


async def test_an_html_error_page_fits_post_now_and_status(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    general = fake.add_channel("general")
    # A load balancer's 503 page (about 2.5 kB): discord.py raises DiscordServerError at once.
    fake.inject(f"/channels/{general}/messages", server_error(503), method="POST")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general)
        _, failed = await fake.interact(_practice(fake, "post-now", general), replies=2)
        assert failed.status == 200 and len(failed.text) <= CONTENT_LIMIT
        # A 5xx is transient: the outbox keeps the post and retries it (issue 18).
        assert failed.text == (
            "Today's question is queued, not posted yet: Discord answered 503: 503 Service "
            "Unavailable The server encountered a temporary error and could not complete your "
            "request. Please try again in 30 seconds. It is retried while the post is still useful."
        )
        # Stored as shown: short, no HTML.
        state = await bot.world.engine.status(bot.channel(general))
        [(kind, queued, error)] = state.waiting  # the outbox keeps the post, with its error
        assert (kind, queued) == ("post", "queued") and error is not None
        assert "<" not in error and len(error) < 400

        [status] = await fake.interact(_practice(fake, "status", general))
        assert status.status == 200 and len(status.text) <= CONTENT_LIMIT
        assert "the post (queued): Discord answered 503: 503 Service" in status.text
        assert "Sorry" not in status.text
    finally:
        await bot.stop()


async def test_reveal_now_and_status_shorten_a_page_stored_whole(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    """A problem stored before error texts were shortened (a whole HTML page) is shown short."""
    general = fake.add_channel("general")
    bot = await DiscordBot.start(tmp_path / "bot.db", fake)
    try:
        await bot.subscribe(general)
        await bot.world.scheduler.advance(timedelta(hours=2))  # today's question is posted
        state = await bot.world.engine.status(bot.channel(general))
        assert state.subscription is not None and state.open_round is not None
        page = f"Discord answered 503: {html_page(503)}"
        assert len(page) > CONTENT_LIMIT
        await bot.world.store.set_subscription_state(
            state.subscription.id, active=True, problem=page, now=bot.world.clock.now()
        )

        [status] = await fake.interact(_practice(fake, "status", general))
        assert len(status.text) <= CONTENT_LIMIT and "<" not in status.text.replace("<t:", "")
        assert "The last post here failed: Discord answered 503: 503 Service" in status.text

        _, revealed = await fake.interact(_practice(fake, "reveal-now", general), replies=2)
        assert revealed.status == 200 and len(revealed.text) <= CONTENT_LIMIT
        assert revealed.text.startswith("Revealed in <#")
        assert "<html" not in revealed.text and "<style" not in revealed.text
    finally:
        await bot.stop()
