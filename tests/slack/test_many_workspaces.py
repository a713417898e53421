"""Slack for many workspaces (issue 13): the real Bolt app in HTTP mode with SLACK_OAUTH=on,
installed through /slack/install and /slack/oauth_redirect into FakeSlack's workspaces; the
installations live in our database; each workspace's channels use its own token; an uninstall
pauses that workspace's channels only, and installing again resumes them."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

from bot.adapters.slack.oauth import BOT_SCOPES
from bot.adapters.slack.refs import PLATFORM, channel_ref, message_ts
from bot.core.models import Round, Subscription
from bot.core.records import DeliveryKind, DeliveryStatus
from bot.present.admin import APP_UNINSTALLED
from tests.slack.conftest import Raw
from tests.slack.fake_oauth import CLIENT_ID, CLIENT_SECRET
from tests.slack.harness import ADMIN, ALICE, SECRET, SlackHarness
from tests.slack.oauth_harness import AUTHORIZE, come_back, install, open_many, start_install

CHANNELS = {"T2": "C2", "T3": "C3"}


@pytest.fixture
async def many(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    harness = await open_many(tmp_path)
    yield harness
    await harness.close()


async def subscription(slack: SlackHarness, team: str) -> Subscription:
    found = await slack.world.engine.subscription(channel_ref(team, CHANNELS[team]))
    assert found is not None
    return found


async def two_workspaces_posted(slack: SlackHarness) -> dict[str, str]:
    """T2 and T3 installed and subscribed, today's question out in both: their tokens."""
    tokens = {team: await install(slack, team) for team in CHANNELS}
    for team, channel in CHANNELS.items():
        reply = await slack.command(
            "/practice", "subscribe 09:30 Europe/Berlin", user=ADMIN, team=team, channel=channel
        )
        assert reply.status == 200 and (await subscription(slack, team)).active, reply.text
    await slack.world.scheduler.advance(timedelta(hours=2))
    return tokens


async def open_round(slack: SlackHarness, team: str) -> Round:
    status = await slack.world.engine.status(channel_ref(team, CHANNELS[team]))
    assert status.open_round is not None
    return status.open_round


def tokens_used(slack: SlackHarness, method: str, channel: str) -> list[str]:
    return [c.token for c in slack.fake.calls_to(method) if c.params.get("channel") == channel]


async def test_install_redirects_to_slacks_authorize_page_with_a_state(many: SlackHarness) -> None:
    started = await start_install(many)
    assert started.status == 302 and started.location.startswith(AUTHORIZE + "?")
    assert started.query["client_id"] == CLIENT_ID
    assert started.query["scope"].split(",") == list(BOT_SCOPES)
    assert started.state and started.cookie == started.state
    assert many.adapter.describe().startswith("Slack (HTTP mode, many workspaces: /slack/events")
    # The state is in our database, good once.
    now = many.world.clock.now()
    assert await many.world.store.consume_oauth_state(PLATFORM, started.state, now)
    assert not await many.world.store.consume_oauth_state(PLATFORM, started.state, now)


async def test_the_redirect_stores_the_installation_in_our_database(many: SlackHarness) -> None:
    started = await start_install(many)
    code = many.fake.installs.approve("T2", ADMIN, started.query["scope"], name="Beta")
    status, page = await come_back(many, code=code, state=started.state, cookie=started.cookie)
    assert status == 200
    [exchange] = many.fake.calls_to("oauth.v2.access")
    assert exchange.params["code"] == code
    [token] = [t for t, w in many.fake.installs.tokens.items() if w.team_id == "T2"]
    assert token not in page  # the browser never sees the token
    bot = await many.world.store.find_installation(PLATFORM, "bot", "", "T2")
    assert bot is not None and json.loads(bot.data)["bot_token"] == token
    assert json.loads(bot.data)["bot_user_id"] == "UBOTT2"
    person = await many.world.store.find_installation(PLATFORM, "installation", "", "T2", ADMIN)
    assert person is not None and json.loads(person.data)["team_name"] == "Beta"
    assert await many.world.store.find_installation(PLATFORM, "bot", "", "T3") is None


@pytest.mark.parametrize("how", ["made up", "reused", "expired", "another browser"])
async def test_a_bad_state_is_refused_and_no_code_is_exchanged(
    many: SlackHarness, how: str
) -> None:
    started = await start_install(many)
    state, cookie = started.state, started.cookie
    if how == "made up":
        state = cookie = "made-up-state"
    elif how == "reused":
        await come_back(many, code=many.fake.installs.approve("T3", ADMIN, ""), state=state,
                        cookie=cookie)  # fmt: skip
    elif how == "expired":
        await many.world.scheduler.advance(timedelta(minutes=11))
    else:
        cookie = "someone-elses-state"
    code = many.fake.installs.approve("T2", ADMIN, started.query["scope"])
    status, _ = await come_back(many, code=code, state=state, cookie=cookie)
    assert status in (400, 401)
    assert code not in [c.params.get("code") for c in many.fake.calls_to("oauth.v2.access")]
    assert await many.world.store.find_installation(PLATFORM, "bot", "", "T2") is None


async def test_each_workspace_uses_its_own_token(many: SlackHarness) -> None:
    tokens = await two_workspaces_posted(many)
    assert tokens["T2"] != tokens["T3"]
    for team, channel in CHANNELS.items():
        assert tokens_used(many, "chat.postMessage", channel) == [tokens[team]]
    # Each /practice asked users.info (is the caller an admin?) with its workspace's token.
    assert {c.token for c in many.fake.calls_to("users.info")} == set(tokens.values())
    round = await open_round(many, "T2")
    reply = many.reply(round, ALICE, "An answer from the second workspace.")
    assert await many.event(reply, team="T2") == 200
    assert await many.world.store.answered(round.id, ALICE)
    await many.world.scheduler.advance(timedelta(hours=9))  # the reveals
    for team, channel in CHANNELS.items():
        assert tokens_used(many, "chat.postMessage", channel) == [tokens[team]] * 2
    # A delivery in doubt is looked up with the workspace's token too, through a client that
    # keeps slack_sdk's retry handlers (429s are retried) and the API URL.
    since = datetime(2025, 11, 30, tzinfo=UTC)  # FakeSlack's own ts start on 2025-12-01
    third = await subscription(many, "T3")
    latest = await many.world.store.latest_round(third.id)
    assert latest is not None
    post = await many.world.store.round_delivery(latest.id, DeliveryKind.POST)
    assert post is not None
    found = await many.adapter.publisher.find_delivery(  # type: ignore[attr-defined]
        third, post.id, None, since
    )
    assert found is not None and tokens_used(many, "conversations.history", "C3") == [tokens["T3"]]
    client = await many.adapter.clients.for_team("T2")
    assert client.token == tokens["T2"] and client.base_url == many.fake.api_url
    assert any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in client.retry_handlers)


@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": [ADMIN], "bot": ["UBOTT2"]}},
    ],
    ids=["app_uninstalled", "tokens_revoked"],
)
async def test_an_uninstall_pauses_that_workspace_and_a_reinstall_resumes_it(
    many: SlackHarness, event: dict[str, object]
) -> None:
    tokens = await two_workspaces_posted(many)
    round = await open_round(many, "T2")
    many.fake.installs.revoke("T2")
    assert await many.event(event, team="T2") == 200
    assert await many.world.store.find_installation(PLATFORM, "bot", "", "T2") is None
    assert await many.world.store.find_installation(PLATFORM, "installation", "", "T2") is None
    paused = await subscription(many, "T2")
    assert not paused.active and paused.problem == APP_UNINSTALLED
    status = await many.world.engine.status(paused.channel)
    assert status.subscription == paused and status.next_post is None
    assert (await subscription(many, "T3")).active

    # The reveal is parked, not retried: nothing goes to Slack for T2 over the next days.
    calls = len(many.fake.calls)
    await many.world.scheduler.advance(timedelta(days=2))
    assert [c for c in many.fake.calls[calls:] if c.params.get("channel") == "C2"] == []
    assert len(tokens_used(many, "chat.postMessage", "C3")) > 2  # T3 carries on
    [parked] = await many.world.store.deliveries(paused.id, [DeliveryStatus.PARKED])
    assert parked.kind is DeliveryKind.REVEAL and parked.round_id == round.id

    again = await install(many, "T2")
    assert again != tokens["T2"]
    resumed = await subscription(many, "T2")
    assert resumed.active and resumed.problem is None
    await many.world.scheduler.advance(timedelta(0))  # the outbox worker's next step
    reveal = [c for c in many.fake.calls_to("chat.postMessage") if c.params["channel"] == "C2"][-1]
    assert reveal.token == again and round.thread_id is not None
    assert reveal.params["thread_ts"] == message_ts(round.thread_id)
    assert await many.world.store.deliveries(paused.id, [DeliveryStatus.PARKED]) == []
    await many.world.scheduler.advance(timedelta(days=1))
    assert tokens_used(many, "chat.postMessage", "C2")[-1] == again  # posting again


async def test_a_persons_token_revoked_keeps_the_workspace_going(many: SlackHarness) -> None:
    await two_workspaces_posted(many)
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [ADMIN], "bot": []}}
    assert await many.event(revoked, team="T2") == 200
    assert await many.world.store.find_installation(PLATFORM, "installation", "", "T2") is None
    assert await many.world.store.find_installation(PLATFORM, "bot", "", "T2") is not None
    assert (await subscription(many, "T2")).active


async def test_the_client_secret_never_shows(many: SlackHarness) -> None:
    config = many.adapter.config
    assert config.oauth is not None and config.bot_token is None
    assert CLIENT_SECRET not in repr(config)


async def test_no_token_or_client_secret_reaches_the_logs(
    many: SlackHarness, captured: tuple[io.StringIO, Raw]
) -> None:
    formatted, raw = captured
    tokens = await two_workspaces_posted(many)
    many.fake.installs.revoke("T2")
    await many.event({"type": "app_uninstalled"}, team="T2")
    tokens["again"] = await install(many, "T2")
    everything = formatted.getvalue() + "\n".join(raw.lines)
    assert "installed in workspace T2" in everything and "uninstalled from workspace T2" in everything
    for secret in (*tokens.values(), CLIENT_SECRET, SECRET):
        assert secret not in everything
