"""FakeSlack's faults and limits, seen through slack_sdk's AsyncWebClient (what Bolt uses).

Each test checks what the real client makes of what the fake answers; tests/faults.py keeps the
table of those behaviours. No test waits: slack_sdk's sleeps before a retry are recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_async_handlers
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.faults import plain_text, rate_limited, refused, reset, server_error, slow
from tests.slack.fake_oauth import CLIENT_ID, CLIENT_SECRET
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

POST = r"chat\.postMessage"


class FastSleep:
    """Stands in for the `asyncio` module inside slack_sdk's retry handlers."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, delay: float) -> None:
        self.slept.append(delay)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)


async def _error(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as raised:
        await call
    return raised.value


# -- faults -------------------------------------------------------------------------------------


async def test_a_429_carries_retry_after_and_the_next_call_goes_through(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.inject(POST, rate_limited(2.5))
    error = await _error(client.chat_postMessage(channel="C1", text="hi"))
    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "3"
    assert error.response.data == {"ok": False, "error": "ratelimited"}
    assert (await client.chat_postMessage(channel="C1", text="hi"))["ok"]


async def test_the_rate_limit_retry_handler_waits_retry_after(
    fake: FakeSlack, client: AsyncWebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = FastSleep()
    monkeypatch.setattr(builtin_async_handlers, "asyncio", fast)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    fake.inject(POST, rate_limited(4), times=2)
    assert (await client.chat_postMessage(channel="C1", text="hi"))["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 429, 200]
    assert [int(s) for s in fast.slept] == [4, 4]  # Retry-After plus up to a second


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_an_html_5xx_is_a_slack_api_error_with_empty_data(
    fake: FakeSlack, client: AsyncWebClient, status: int
) -> None:
    fake.inject(POST, server_error(status))
    error = await _error(client.chat_postMessage(channel="C1", text="hi"))
    assert error.response.status_code == status
    assert error.response.data == {}
    assert error.response.headers["Content-Type"].startswith("text/html")


async def test_a_plain_text_502_leaves_a_str_in_response_data(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.inject(POST, plain_text(502))
    error = await _error(client.chat_postMessage(channel="C1", text="hi"))
    assert error.response.status_code == 502
    assert error.response.data == "502 Bad Gateway"


@pytest.mark.parametrize("code", ["not_in_channel", "channel_not_found", "is_archived"])
async def test_a_refusal_is_ok_false_with_http_200(
    fake: FakeSlack, client: AsyncWebClient, code: str
) -> None:
    fake.inject(POST, refused(code), channel="C2", times=None)
    assert (await client.chat_postMessage(channel="C1", text="hi"))["ok"]
    for _ in range(2):
        error = await _error(client.chat_postMessage(channel="C2", text="hi"))
        assert error.response.status_code == 200
        assert error.response.data == {"ok": False, "error": code}
    fake.heal()
    assert (await client.chat_postMessage(channel="C2", text="hi"))["ok"]


async def test_missing_scope_says_what_is_needed(fake: FakeSlack, client: AsyncWebClient) -> None:
    fake.fail("chat.postMessage", "missing_scope")
    error = await _error(client.chat_postMessage(channel="C1", text="hi"))
    assert error.response["error"] == "missing_scope" and error.response["needed"]


async def test_a_reset_is_retried_once_by_the_default_handler(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.inject(POST, reset())
    assert (await client.chat_postMessage(channel="C1", text="hi"))["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [0, 200]
    fake.inject(POST, reset(), times=2)
    with pytest.raises(aiohttp.ClientOSError) as raised:
        await client.chat_postMessage(channel="C1", text="hi")
    assert raised.value.errno == 104


async def test_a_slow_answer_meets_the_clients_timeout(fake: FakeSlack) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.05)) as session:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url, session=session)
        fake.inject(POST, slow(0.3))
        with pytest.raises(TimeoutError):
            await client.chat_postMessage(channel="C1", text="hi")


# -- limits -------------------------------------------------------------------------------------


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([{"type": "divider"}] * 51, "/blocks]"),
        ([_section("x" * 3001)], "/blocks/0/text/text]"),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
            "/blocks/0/text/text]",
        ),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 11}],
            "/blocks/0/elements]",
        ),
        ([{"type": "nonsense"}], "/blocks/0/type]"),
        ("[{not json", "/blocks]"),
    ],
)
@pytest.mark.parametrize("method", ["chat_postMessage", "chat_postEphemeral", "chat_update"])
async def test_blocks_over_slacks_limits_are_invalid_blocks(
    fake: FakeSlack, client: AsyncWebClient, blocks: Any, pointer: str, method: str
) -> None:
    posted = await client.chat_postMessage(channel="C1", text="first")
    if method == "chat_postMessage":
        call = client.chat_postMessage(channel="C1", text="t", blocks=blocks)
    elif method == "chat_postEphemeral":
        call = client.chat_postEphemeral(channel="C1", user="U1", text="t", blocks=blocks)
    else:
        call = client.chat_update(channel="C1", ts=posted["ts"], text="t", blocks=blocks)
    error = await _error(call)
    assert error.response["error"] == "invalid_blocks"
    assert error.response["response_metadata"]["messages"][0].endswith(pointer)


async def test_text_and_cumulative_block_text_limits(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    error = await _error(client.chat_postMessage(channel="C1", text="x" * 40_001))
    assert error.response["error"] == "msg_too_long"
    assert (await client.chat_postMessage(channel="C1", text="x" * 40_000))["ok"]
    # Each block is within its 3000 characters; together they pass the ~12,000 Slack allows.
    error = await _error(
        client.chat_postMessage(channel="C1", text="t", blocks=[_section("x" * 2500)] * 5)
    )
    assert error.response["error"] == "msg_blocks_too_long"
    assert (
        await client.chat_postMessage(channel="C1", text="t", blocks=[_section("x" * 2500)] * 4)
    )["ok"]


# -- history --------------------------------------------------------------------------------------


async def test_history_keeps_metadata_and_pages_newest_first(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    metadata = {"event_type": "practicebot_delivery", "event_payload": {"delivery": 7}}
    posted = [
        await client.chat_postMessage(channel="C1", text=f"m{i}", metadata=metadata)
        for i in range(5)
    ]
    ts = [p["ts"] for p in posted]
    await client.chat_postMessage(channel="C1", text="reply", thread_ts=ts[0])
    await client.chat_postMessage(channel="C2", text="elsewhere")

    plain = await client.conversations_history(channel="C1")
    assert [m["text"] for m in plain["messages"]] == ["m4", "m3", "m2", "m1", "m0"]
    assert all("metadata" not in m for m in plain["messages"])
    assert plain["messages"][-1]["reply_count"] == 1

    page = await client.conversations_history(
        channel="C1", include_all_metadata=True, oldest=ts[0], limit=2
    )
    assert [m["text"] for m in page["messages"]] == ["m4", "m3"]
    assert page["messages"][0]["metadata"] == metadata
    assert page["has_more"]
    rest = await client.conversations_history(
        channel="C1", oldest=ts[0], limit=2, cursor=page["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in rest["messages"]] == ["m2", "m1"]
    between = await client.conversations_history(
        channel="C1", oldest=ts[1], latest=ts[3], inclusive=True
    )
    assert [m["text"] for m in between["messages"]] == ["m3", "m2", "m1"]


async def test_replies_give_the_parent_then_the_thread_oldest_first(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    parent = (await client.chat_postMessage(channel="C1", text="question"))["ts"]
    first = fake.add_message("C1", "UALICE", "answer one", thread_ts=parent)
    fake.add_message("C1", "UBOB", "answer two", thread_ts=parent)
    replies = await client.conversations_replies(channel="C1", ts=parent)
    assert [m["text"] for m in replies["messages"]] == ["question", "answer one", "answer two"]
    later = await client.conversations_replies(channel="C1", ts=parent, oldest=first["ts"])
    assert [m["text"] for m in later["messages"]] == ["question", "answer two"]
    error = await _error(client.conversations_replies(channel="C1", ts="1.000001"))
    assert error.response["error"] == "thread_not_found"


async def test_a_history_rate_limit_answers_429_until_the_window_passes(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    now = [0.0]
    fake.clock = lambda: now[0]
    fake.distributed_outside_marketplace()  # 1 a minute, at most 15 a page
    for i in range(20):
        await client.chat_postMessage(channel="C1", text=f"m{i}")
    first = await client.conversations_history(channel="C1", limit=100)
    assert len(first["messages"]) == 15 and first["has_more"]
    now[0] += 20
    error = await _error(client.conversations_history(channel="C1"))
    assert error.response.status_code == 429 and error.response.headers["Retry-After"] == "40"
    assert (await client.conversations_replies(channel="C1", ts=first["messages"][0]["ts"]))["ok"]
    now[0] += 40
    assert (await client.conversations_history(channel="C1"))["ok"]


async def test_oauth_v2_access_answers_like_slack_and_each_token_is_its_workspace(
    fake: FakeSlack,
) -> None:
    client = AsyncWebClient(base_url=fake.api_url)
    code = fake.installs.approve("T2", "UADMIN", "chat:write,commands")
    with pytest.raises(SlackApiError, match="bad_client_secret"):
        await client.oauth_v2_access(client_id=CLIENT_ID, client_secret="wrong", code=code)
    answer = await client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)
    token = answer["access_token"]
    assert token.startswith("xoxb-") and answer["token_type"] == "bot"
    assert answer["team"] == {"id": "T2", "name": "Team T2"} and answer["enterprise"] is None
    assert answer["bot_user_id"] == "UBOTT2" and answer["authed_user"] == {"id": "UADMIN"}
    assert answer["scope"] == "chat:write,commands"
    with pytest.raises(SlackApiError, match="invalid_code"):  # a code is good once
        await client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)
    assert (await client.auth_test(token=token))["team_id"] == "T2"
    assert (await client.auth_test(token=BOT_TOKEN))["team_id"] == "T1"
    fake.installs.revoke("T2")
    with pytest.raises(SlackApiError, match="token_revoked"):
        await client.auth_test(token=token)
    with pytest.raises(SlackApiError, match="invalid_auth"):
        await client.auth_test(token="xoxb-never-issued")
