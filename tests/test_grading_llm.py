"""The llm grader against a loopback fake of an OpenAI-compatible chat API, and the bound on
grading that keeps a reveal from waiting on any grader."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import bot.grading
from bot.core.engine import Engine
from bot.grading import GraderUnavailable, LexicalGrader, LlmGrader, LlmSettings, make_grader
from bot.grading.base import Feedback
from bot.grading.llm import RULE, LlmError, parse_reply, quoted_in
from tests.helpers import World

KEY = "sk-test-secret-key-9876"
POINTS = (
    "It converges only to a local optimum, so k-means++ initialisation and several restarts are "
    "used.",
    "Results depend on feature scaling and are pulled by outliers, so features need "
    "standardising or transforming first.",
)
ANSWER = "k-means only reaches a local optimum, so restart it. Outliers drag the centroids."

Reply = Callable[[dict[str, Any]], web.StreamResponse]


def chat(content: str | None, **message: Any) -> web.Response:
    body = {"choices": [{"message": {"role": "assistant", "content": content, **message}}]}
    return web.json_response(body)


def points(*entries: tuple[int, str, str]) -> str:
    return json.dumps(
        {"points": [{"index": i, "verdict": v, "evidence": e} for i, v, e in entries]}
    )


GOOD = points((0, "covered", "only reaches a local optimum"), (1, "missed", ""))


@dataclass
class FakeChatApi:
    """The endpoint: each test sets `reply`; requests are kept to check what was sent."""

    reply: Reply = field(default=lambda _: chat(GOOD))
    requests: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append((body, request.headers.get("Authorization", "")))
        result = self.reply(body)
        if isinstance(result, web.StreamResponse):
            return result
        return await result  # type: ignore[unreachable]


@pytest.fixture
async def api() -> AsyncIterator[FakeChatApi]:
    fake = FakeChatApi()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    fake.url = f"http://127.0.0.1:{port}/v1"
    yield fake
    await runner.cleanup()


def grader(api: FakeChatApi, timeout: float = 2.0) -> LlmGrader:
    return LlmGrader(LlmSettings(api.url, "tiny", KEY, timeout), fallback=LexicalGrader())


async def test_the_models_verdicts_and_quotes_become_the_feedback(api: FakeChatApi) -> None:
    feedback = await grader(api).grade(POINTS, ANSWER)
    assert [v.status for v in feedback.verdicts] == ["covered", "missed"]
    assert feedback.verdicts[0].evidence == "only reaches a local optimum"
    body, authorization = api.requests[0]
    assert authorization == f"Bearer {KEY}" and body["model"] == "tiny"
    assert body["messages"][0]["content"] == RULE
    assert "naming a technique" in RULE.lower() and "wrong version" in RULE.lower()
    assert POINTS[1] in body["messages"][1]["content"] and ANSWER in body["messages"][1]["content"]


async def test_a_contradiction_is_reported_with_its_quote(api: FakeChatApi) -> None:
    api.reply = lambda _: chat(
        "```json\n" + points((0, "contradicted", "local optimum"), (1, "covered", "Outliers drag"))
        + "\n```"
    )  # fmt: skip
    feedback = await grader(api).grade(POINTS, ANSWER)
    assert [v.status for v in feedback.verdicts] == ["contradicted", "covered"]
    assert feedback.contradicted == [POINTS[0]]


def html(status: int) -> Reply:
    return lambda _: web.Response(status=status, text="<html><h1>Busy</h1></html>",
                                  content_type="text/html")  # fmt: skip


async def never(_: dict[str, Any]) -> web.StreamResponse:
    await asyncio.Event().wait()  # a model that never answers; the client gives up first
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (lambda _: chat("Sure! Here is my assessment: the answer is good."), "not JSON"),
        (lambda _: chat('{"points": [{"index": 0'), "not JSON"),
        (lambda _: chat(json.dumps({"verdicts": []})), "no 'points'"),
        (lambda _: chat(points((0, "covered", "only reaches a local optimum"))), "not judged"),
        (lambda _: chat(points((0, "yes", ""), (1, "missed", ""))), "bad verdict"),
        (lambda _: chat(points((0, "covered", "x"), (0, "missed", ""))), "not in the answer"),
        (
            lambda _: chat(
                points((0, "covered", "it finds the global optimum"), (1, "missed", ""))
            ),
            "not in the answer",
        ),
        (lambda _: chat(points((7, "covered", "k-means"), (1, "missed", ""))), "bad or repeated"),
        (lambda _: chat(None, refusal="I can't help with grading."), "refused"),
        (lambda _: web.json_response({"error": "nope"}), "no choices"),
        (html(429), "HTTP 429"),
        (html(500), "HTTP 500"),
    ],
)
async def test_any_bad_reply_falls_back_to_the_local_grader(
    api: FakeChatApi, caplog: pytest.LogCaptureFixture, reply: Reply, why: str
) -> None:
    api.reply = reply
    with caplog.at_level(logging.WARNING, logger="bot.grading.llm"):
        feedback = await grader(api).grade(POINTS, ANSWER)
    assert feedback == LexicalGrader().grade_now(POINTS, ANSWER)
    assert why in caplog.text and "local grader used" in caplog.text
    assert KEY not in caplog.text


async def test_a_slow_model_costs_at_most_the_timeout(
    api: FakeChatApi, caplog: pytest.LogCaptureFixture
) -> None:
    api.reply = never  # type: ignore[assignment]
    with caplog.at_level(logging.WARNING, logger="bot.grading.llm"):
        feedback = await grader(api, timeout=0.2).grade(POINTS, ANSWER)
    assert feedback == LexicalGrader().grade_now(POINTS, ANSWER)
    assert "no reply within 0.2s" in caplog.text


async def test_an_unreachable_endpoint_falls_back() -> None:
    closed = LlmSettings("http://127.0.0.1:9/v1", "tiny", KEY, 1.0)  # the discard port: refused
    feedback = await LlmGrader(closed, LexicalGrader()).grade(POINTS, ANSWER)
    assert feedback == LexicalGrader().grade_now(POINTS, ANSWER)


def test_quotes_must_really_be_in_the_answer() -> None:
    assert quoted_in("ONLY reaches a local-optimum", ANSWER)
    assert not quoted_in("reaches the global optimum", ANSWER)
    assert not quoted_in("", ANSWER)
    with pytest.raises(LlmError, match="not JSON"):
        parse_reply("I refuse", POINTS, ANSWER)


def test_settings_come_from_the_environment_and_hide_the_key() -> None:
    assert LlmSettings.from_env({}) is None
    assert LlmSettings.from_env({"PRACTICEBOT_LLM_URL": "http://x/v1"}) is None
    settings = LlmSettings.from_env(
        {"PRACTICEBOT_LLM_URL": "http://x/v1/", "PRACTICEBOT_LLM_MODEL": "m",
         "PRACTICEBOT_LLM_KEY": KEY, "PRACTICEBOT_LLM_TIMEOUT": "3"}
    )  # fmt: skip
    assert settings == LlmSettings("http://x/v1", "m", KEY, 3.0)
    assert KEY not in repr(settings) and KEY not in str(settings)
    assert isinstance(make_grader("llm", settings), LlmGrader)
    with pytest.raises(GraderUnavailable, match="PRACTICEBOT_LLM_URL"):
        make_grader("llm")


class HangingGrader:
    name = "hanging"

    async def grade(self, key_points: Sequence[str], answer: str, reference: str = "") -> Feedback:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_a_hanging_grader_never_holds_up_a_reveal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.grading, "GRADING_DEADLINE", 0.1)
    world = await World.open(tmp_path / "bot.db")
    world.engine = Engine(world.store, world.bank, world.clock, grader=HangingGrader())
    try:
        await world.engine.quiz("test", "ana")
        await world.engine.answer_quiz("test", "ana", "my attempt")
        revealed = await world.engine.reveal_quiz("test", "ana")
        assert revealed.written_answer == "my attempt" and revealed.feedback is None
    finally:
        await world.close()
