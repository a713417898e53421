"""FakeDiscord's faults and limits, seen through discord.py's own HTTPClient (what the bot uses).

Each test checks what the real client makes of what the fake answers; tests/faults.py keeps the
table of those behaviours. No test waits: discord.py's own sleeps before a retry are recorded
instead of slept (FastSleep).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord.http import HTTPClient, Route, handle_message_parameters

from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import token_for
from tests.faults import plain_text, rate_limited, refused, reset, server_error, slow

MESSAGES = r"/channels/\d+/messages"


class FastSleep:
    """Stands in for the `asyncio` module inside discord.http: `sleep` is recorded, not slept."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, delay: float) -> None:
        if delay > 0:  # discord.py also sleeps 0 to yield
            self.slept.append(delay)
        await asyncio.sleep(0)


@pytest.fixture
async def http(fake: FakeDiscord) -> AsyncIterator[HTTPClient]:
    client = HTTPClient(asyncio.get_running_loop(), max_ratelimit_timeout=30.0)
    await client.static_login(token_for(fake.app_id))
    yield client
    await client.close()


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> FastSleep:
    sleeper = FastSleep()
    monkeypatch.setattr(discord.http, "asyncio", sleeper)
    return sleeper


async def send(http: HTTPClient, channel: int, content: str = "hello", **options: Any) -> Any:
    with handle_message_parameters(content, **options) as params:
        return await http.send_message(channel, params=params)


# -- faults -------------------------------------------------------------------------------------


async def test_a_429_is_waited_out_by_discord_py(fake: FakeDiscord, http: HTTPClient) -> None:
    general = fake.add_channel("general")
    fake.inject(MESSAGES, rate_limited(0.01), method="POST", times=2)
    message = await send(http, general)
    assert message["content"] == "hello"
    assert [c.status for c in fake.find("POST", MESSAGES)] == [429, 429, 200]


async def test_a_global_429_is_waited_out_too(fake: FakeDiscord, http: HTTPClient) -> None:
    general = fake.add_channel("general")
    fake.inject(MESSAGES, rate_limited(0.01, is_global=True), method="POST")
    await send(http, general)
    assert [c.status for c in fake.find("POST", MESSAGES)] == [429, 200]


async def test_a_429_longer_than_the_client_accepts_raises_rate_limited(
    fake: FakeDiscord, http: HTTPClient
) -> None:
    general = fake.add_channel("general")
    http.max_ratelimit_timeout = 5.0
    fake.inject(MESSAGES, rate_limited(60), method="POST")
    with pytest.raises(discord.RateLimited) as raised:
        await send(http, general)
    assert raised.value.retry_after == 60


async def test_a_503_html_page_raises_discord_server_error_at_once(
    fake: FakeDiscord, http: HTTPClient
) -> None:
    general = fake.add_channel("general")
    fake.inject(MESSAGES, server_error(503), method="POST")
    with pytest.raises(discord.DiscordServerError) as raised:
        await send(http, general)
    assert raised.value.status == 503 and raised.value.code == 0
    assert raised.value.text.startswith("<!DOCTYPE html>") and len(raised.value.text) > 2000
    assert len(fake.find("POST", MESSAGES)) == 1


async def test_a_500_is_retried_by_discord_py(
    fake: FakeDiscord, http: HTTPClient, fast: FastSleep
) -> None:
    general = fake.add_channel("general")
    fake.inject(MESSAGES, server_error(500), method="POST")
    await send(http, general)
    assert [c.status for c in fake.find("POST", MESSAGES)] == [500, 200]
    assert fast.slept == [1]


async def test_a_plain_text_502_gives_up_after_five_tries(
    fake: FakeDiscord, http: HTTPClient, fast: FastSleep
) -> None:
    general = fake.add_channel("general")
    fake.inject(MESSAGES, plain_text(502), method="POST", times=None)
    with pytest.raises(discord.DiscordServerError) as raised:
        await send(http, general)
    assert raised.value.status == 502 and raised.value.text == "502 Bad Gateway"
    assert len(fake.find("POST", MESSAGES)) == 5
    assert fast.slept == [1, 3, 5, 7, 9]


async def test_missing_permissions_raise_forbidden_in_that_channel_only(
    fake: FakeDiscord, http: HTTPClient
) -> None:
    general, locked = fake.add_channel("general"), fake.add_channel("locked")
    fake.inject(MESSAGES, refused(), channel=locked, times=None)
    await send(http, general)
    for _ in range(2):
        with pytest.raises(discord.Forbidden) as raised:
            await send(http, locked)
        assert (raised.value.status, raised.value.code) == (403, 50013)
        assert raised.value.text == "Missing Permissions"
    fake.clear_refusals()
    await send(http, locked)


async def test_refuse_keeps_refusing_until_cleared(fake: FakeDiscord, http: HTTPClient) -> None:
    deleted = fake.add_channel("deleted")
    fake.refuse("POST", f"/channels/{deleted}/messages", status=404, code=10003)
    for _ in range(2):
        with pytest.raises(discord.NotFound) as raised:
            await send(http, deleted)
        assert raised.value.code == 10003 and raised.value.text == "Unknown Channel"
    fake.clear_refusals()
    await send(http, deleted)


async def test_a_reset_connection_raises_client_os_error(
    fake: FakeDiscord, http: HTTPClient
) -> None:
    general = fake.add_channel("general")
    fake.inject(MESSAGES, reset(), method="POST")
    with pytest.raises(aiohttp.ClientOSError) as raised:
        await send(http, general)
    assert raised.value.errno == 104  # ECONNRESET: discord.py retries only 54 and 10054
    assert [c.status for c in fake.find("POST", MESSAGES)] == [0]
    await send(http, general)  # the next call goes through


async def test_a_slow_answer_meets_the_callers_timeout(fake: FakeDiscord, http: HTTPClient) -> None:
    general = fake.add_channel("general")
    fake.inject(MESSAGES, slow(0.3), method="POST")
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            await send(http, general)


# -- limits -------------------------------------------------------------------------------------


def _embed(**fields: Any) -> discord.Embed:
    return discord.Embed.from_dict(fields)


def _field(name: str = "n", value: str = "v") -> dict[str, Any]:
    return {"name": name, "value": value, "inline": False}


@pytest.mark.parametrize(
    ("options", "where", "code"),
    [
        ({"content": "x" * 2001}, ("content",), "BASE_TYPE_MAX_LENGTH"),
        ({"embeds": [_embed(title="x" * 257)]}, ("embeds", "0", "title"), "BASE_TYPE_MAX_LENGTH"),
        (
            {"embeds": [_embed(description="x" * 4097)]},
            ("embeds", "0", "description"),
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            {"embeds": [_embed(fields=[_field()] * 26)]},
            ("embeds", "0", "fields"),
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            {"embeds": [_embed(fields=[_field(name="x" * 257)])]},
            ("embeds", "0", "fields", "0", "name"),
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            {"embeds": [_embed(fields=[_field(value="x" * 1025)])]},
            ("embeds", "0", "fields", "0", "value"),
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            {"embeds": [_embed(footer={"text": "x" * 2049})]},
            ("embeds", "0", "footer", "text"),
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            {"embeds": [_embed(author={"name": "x" * 257})]},
            ("embeds", "0", "author", "name"),
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            {"embeds": [_embed(description="x" * 3001), _embed(description="x" * 3000)]},
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
        ),
        ({"nonce": "x" * 26}, ("nonce",), "BASE_TYPE_BAD_LENGTH"),
    ],
)
async def test_a_message_over_discords_limits_is_invalid_form_body(
    fake: FakeDiscord, http: HTTPClient, options: dict[str, Any], where: tuple[str, ...], code: str
) -> None:
    general = fake.add_channel("general")
    content = options.pop("content", "hello")
    with pytest.raises(discord.HTTPException) as raised:
        await send(http, general, content, **options)
    error = raised.value
    assert (error.status, error.code) == (400, 50035)
    assert error.text.startswith("Invalid Form Body\nIn ")
    node: Any = error._errors
    for part in where:
        node = node[part]
    assert node["_errors"][0]["code"] == code
    assert fake.messages == {}


async def test_more_than_ten_embeds_are_refused(fake: FakeDiscord, http: HTTPClient) -> None:
    general = fake.add_channel("general")
    with pytest.raises(ValueError, match="maximum of 10"):  # discord.py checks this one itself
        await send(http, general, embeds=[_embed(title="t")] * 11)
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=general)
    with pytest.raises(discord.HTTPException) as raised:  # the same request, sent as it is
        await http.request(route, json={"embeds": [{"title": "t"}] * 11})
    assert raised.value.code == 50035
    assert (raised.value._errors or {})["embeds"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"


async def test_messages_at_the_limits_are_accepted(fake: FakeDiscord, http: HTTPClient) -> None:
    general = fake.add_channel("general")
    await send(http, general, "x" * 2000)
    # 256 + 4096 + 1000 + 24 * (2 + 25) = 6000 characters: exactly Discord's limit.
    full = _embed(
        title="x" * 256, description="x" * 4096, footer={"text": "x" * 1000},
        fields=[_field("n" * 2, "v" * 25)] * 24,
    )  # fmt: skip
    await send(http, general, embeds=[full])
    assert len(fake.channel_messages(general)) == 2


async def test_an_edit_over_the_limit_is_refused_too(fake: FakeDiscord, http: HTTPClient) -> None:
    general = fake.add_channel("general")
    message = await send(http, general)
    with (
        handle_message_parameters("x" * 2001) as params,
        pytest.raises(discord.HTTPException) as raised,
    ):
        await http.edit_message(general, int(message["id"]), params=params)
    assert raised.value.code == 50035 and "content" in (raised.value._errors or {})
    assert fake.messages[int(message["id"])]["content"] == "hello"


async def test_a_repeated_nonce_returns_the_first_message(
    fake: FakeDiscord, http: HTTPClient
) -> None:
    general, other = fake.add_channel("general"), fake.add_channel("other")
    now = [1000.0]
    fake.clock = lambda: now[0]
    fake.nonce_window = 120
    first = await send(http, general, nonce="delivery-17")
    [call] = fake.find("POST", MESSAGES)
    assert call.body["enforce_nonce"] is True  # discord.py sets it with any nonce
    again = await send(http, general, "hello again", nonce="delivery-17")
    assert again["id"] == first["id"] and again["content"] == "hello"
    elsewhere = await send(http, other, nonce="delivery-17")  # per channel
    assert elsewhere["id"] != first["id"]
    now[0] += 121  # past the window: a new message
    late = await send(http, general, nonce="delivery-17")
    assert late["id"] != first["id"]
    assert len(fake.channel_messages(general)) == 2


async def test_history_is_newest_first_with_after_before_and_limit(
    fake: FakeDiscord, http: HTTPClient
) -> None:
    general = fake.add_channel("general")
    ids = [int((await send(http, general, f"m{i}"))["id"]) for i in range(6)]

    def contents(page: list[Any]) -> list[str]:
        return [m["content"] for m in page]

    assert contents(await http.logs_from(general, 3)) == ["m5", "m4", "m3"]
    assert contents(await http.logs_from(general, 2, after=ids[1])) == ["m3", "m2"]
    assert contents(await http.logs_from(general, 2, before=ids[3])) == ["m2", "m1"]
    assert contents(await http.logs_from(general, 100, after=ids[5])) == []
    assert contents(await http.logs_from(general, 4, around=ids[2])) == ["m3", "m2", "m1", "m0"]
    with pytest.raises(discord.HTTPException) as raised:
        await http.logs_from(general, 101)
    assert (raised.value.status, raised.value.code) == (400, 50035)
    assert await http.get_message(general, ids[0]) == fake.messages[ids[0]]
    with pytest.raises(discord.NotFound):
        await http.get_message(general, 1)
