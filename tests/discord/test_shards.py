"""Two real `practicebot run` processes split Discord's shards on one PostgreSQL database.

Each process is the whole bot as deployed (a subprocess, `DISCORD_API_URL` pointing its REST
calls at the loopback fake in this test, which names the gateway in GET /gateway/bot), with
`DISCORD_SHARD_COUNT=2` and its own `DISCORD_SHARD_IDS`. The fake sends each shard's
connection only its guilds, as Discord does. Every channel is due when they start: each must
be posted exactly once, by the process that owns its guild's shard, and an answer in a
thread reaches the process of that thread's shard.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.core.models import ChannelRef, RoundStatus
from bot.core.schedule import Schedule
from bot.store.postgres.store import PostgresStore
from tests.discord.fake_discord import FakeDiscord, eventually
from tests.discord.harness import ALICE, token_for
from tests.helpers import FIXTURE_BANK

SHARDS = 2
CHANNELS_PER_GUILD = 3
STOP_WITHIN_S = 20.0  # guards against a hang; not a timing figure


def process_token(fake: FakeDiscord, shard: int) -> str:
    """The same bot's token, with a middle part naming the process (the fake records it)."""
    return token_for(fake.app_id).replace("Gfake0", f"Gshard{shard}")


async def start_process(
    fake: FakeDiscord, db: str, shard: int, folder: Path
) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env |= {
        "DISCORD_TOKEN": process_token(fake, shard),
        "DISCORD_APPLICATION_ID": str(fake.app_id),
        "DISCORD_API_URL": fake.api_url,
        "DISCORD_SHARD_COUNT": str(SHARDS),
        "DISCORD_SHARD_IDS": str(shard),
        "PRACTICEBOT_DB": db,
        "PRACTICEBOT_QUESTIONS": str(FIXTURE_BANK),
        "PRACTICEBOT_STATE_DIR": str(folder / f"state{shard}"),
        "PRACTICEBOT_LOG_LEVEL": "INFO",
    }
    log = (folder / f"shard{shard}.log").open("w")
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--no-console",
        env=env, cwd=folder, stdout=log, stderr=log,
    )  # fmt: skip


@pytest.fixture
async def store(postgres_db: str) -> AsyncIterator[PostgresStore]:
    opened = await PostgresStore.open(postgres_db)
    yield opened
    await opened.close()


async def test_two_processes_post_each_channel_once_from_its_own_shard(
    fake: FakeDiscord, store: PostgresStore, postgres_db: str, tmp_path: Path
) -> None:
    guild_shards = {fake.guild_id: (fake.guild_id >> 22) % SHARDS}
    for shard in (0, 1, 1):
        guild_shards[fake.add_guild(shard, SHARDS)] = shard
    now = datetime.now(UTC)
    due = (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    schedule = Schedule(time(due.hour, due.minute), "UTC", frozenset(range(7)), timedelta(hours=8))
    channel_shard: dict[int, int] = {}
    for guild, shard in guild_shards.items():
        for number in range(CHANNELS_PER_GUILD):
            channel = fake.add_channel(f"practice-{number}", guild=guild)
            channel_shard[channel] = shard
            ref = ChannelRef("discord", str(guild), str(channel))
            await store.save_subscription(ref, schedule, None, "admin", now)
    assert set(channel_shard.values()) == {0, 1}

    def posts(channel: int) -> list[str]:
        """Who posted in a channel: the token of each process that did."""
        return [
            c.token for c in fake.find("POST", f"/channels/{channel}/messages") if c.status == 200
        ]

    processes = [await start_process(fake, postgres_db, shard, tmp_path) for shard in (0, 1)]
    try:
        await fake.wait_until(lambda: all(posts(c) for c in channel_shard), within=60)
        shards = sorted(tuple(i["shard"]) for i in fake.identifies)
        assert shards == [(0, SHARDS), (1, SHARDS)], "one connection per shard"

        # An answer in a thread of a shard-1 guild goes to process 1, which stores it.
        channel = next(c for c, s in channel_shard.items() if s == 1)
        [thread] = fake.channel_messages(channel)  # a thread started from a post has its id
        ref = ChannelRef("discord", str(fake.guild_of(channel)), str(channel))
        subscription = await store.subscription(ref)
        assert subscription is not None
        open_round = await store.latest_round(subscription.id)
        assert open_round is not None and open_round.thread_id == thread["id"]
        await fake.dispatch("MESSAGE_CREATE", fake.message_payload(
            int(thread["id"]), ALICE, "gradient clipping bounds the update",
        ))  # fmt: skip

        async def answered() -> bool:
            return await store.answered(open_round.id, str(ALICE.id))

        await eventually(answered, within=20)
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(p.wait(), STOP_WITHIN_S) for p in processes]
    logs = {s: (tmp_path / f"shard{s}.log").read_text() for s in (0, 1)}
    assert codes == [0, 0], logs

    for channel, shard in channel_shard.items():
        assert posts(channel) == [f"Bot {process_token(fake, shard)}"], (channel, shard, logs)
    rounds = [r for s in await store.subscriptions() for r in [await store.latest_round(s.id)]]
    assert all(r is not None and r.status is RoundStatus.POSTED for r in rounds)
    assert len(rounds) == len(channel_shard)
    for shard, text in logs.items():
        assert f"shards {shard} of {SHARDS}" in text
