"""Contract: named values, the health probe, and durability of what a call acknowledged."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.core.ports import Store, StoreOpener
from tests.contract.builders import NOW, posted_round, say, subscribe


async def test_named_values(store: Store) -> None:
    assert await store.get_state("commands") is None
    await store.set_state("commands", "abc", NOW)
    await store.set_state("commands", "def", NOW + timedelta(minutes=1))
    await store.set_state("other", "x", NOW)
    assert await store.get_state("commands") == "def"
    assert await store.get_state("other") == "x"


async def test_ping(store: Store) -> None:
    assert await store.ping()


async def test_what_a_call_acknowledged_is_seen_by_another_store_at_once(
    open_store: StoreOpener, location: Path
) -> None:
    """A write returns only once durable: a second store on the same database (another
    process, or the bot after a crash) sees each answer as soon as its call returned."""
    async with await open_store(location) as store, await open_store(location) as other:
        round = await posted_round(store, await subscribe(store))

        async def answer(user: str) -> None:
            await say(store, round, user)
            assert await other.answered(round.id, user), user

        await asyncio.gather(*(answer(f"user{i}") for i in range(30)))


async def test_everything_survives_a_reopen(open_store: StoreOpener, location: Path) -> None:
    async with await open_store(location) as store:
        round = await posted_round(store, await subscribe(store))
        await say(store, round, "ana", "kept")
        await store.set_state("k", "v", NOW)
    async with await open_store(location) as again:
        assert await again.answer_text(round.id, "ana") == "kept"
        assert await again.get_state("k") == "v"
        assert await again.round(round.id) == round
