"""Acknowledge only what is durable (issue 18, item 1): Slack gets its HTTP 200 for an answer,
an edit or a delete only after the store has committed it, never before (Slack does not send
an acknowledged event again, so a crash in between would lose it). The store's write is held
open here: the request must still be waiting for its answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.adapters.slack import SlackAdapter
from tests.slack.harness import ALICE, SlackHarness
from tests.slack.test_messages import _changed, _deleted, _open_round

Write = Callable[..., Awaitable[Any]]


def held(slack: SlackHarness, method: str) -> tuple[asyncio.Event, asyncio.Event]:
    """Make the store's `method` wait for `release` (and say when it `entered`)."""
    entered, release = asyncio.Event(), asyncio.Event()
    store = slack.world.store
    original: Write = getattr(store, method)

    async def gated(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        await release.wait()
        return await original(*args, **kwargs)

    setattr(store, method, gated)
    return entered, release


async def acknowledged_only_after(
    slack: SlackHarness, method: str, event: dict[str, Any]
) -> None:
    entered, release = held(slack, method)
    request = asyncio.create_task(
        slack.send(slack.event_body(event), "application/json")
    )
    await asyncio.wait_for(entered.wait(), 5)
    await asyncio.sleep(0.05)
    assert not request.done(), f"Slack got its answer before {method} committed"
    release.set()
    status, _ = await asyncio.wait_for(request, 5)
    assert status == 200


@pytest.mark.parametrize("path", ["message", "edit", "delete"])
async def test_an_event_is_acknowledged_only_once_stored(slack: SlackHarness, path: str) -> None:
    round = await _open_round(slack)
    if path == "message":
        await acknowledged_only_after(
            slack, "record_thread_message", slack.reply(round, ALICE, "Bias is variance.")
        )
        assert await slack.answer_text(round, ALICE) == "Bias is variance."
        return
    original = await slack.answer(round, ALICE, "Bias is variance.")
    if path == "edit":
        await acknowledged_only_after(slack, "edit_message", _changed(original, "Trade-off."))
        assert await slack.answer_text(round, ALICE) == "Trade-off."
    else:
        await acknowledged_only_after(slack, "delete_message", _deleted(original))
        assert not await slack.world.store.answered(round.id, ALICE)


async def test_the_adapter_finishes_every_listener_before_answering_slack(
    slack: SlackHarness,
) -> None:
    """Modal submissions and ratings too: built as the runtime builds it, the Bolt app answers
    Slack when the listener returns (their `ack()` only sets the answer)."""
    built = SlackAdapter(slack.world.engine, slack.adapter.config)
    assert built.app.process_before_response
