"""DISCORD_API_URL, DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS: read, checked (one clear message
naming the variable), and the shards a process serves handed to the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.config import DiscordConfig
from bot.core.models import ChannelRef
from bot.ops.settings import validate
from tests.helpers import World
from tests.test_cli_errors import assert_one_clear_line
from tests.test_ops import cli, cli_env

GUILD_ON_0 = "81384788765712384"  # (id >> 22) % 2 == 0
GUILD_ON_1 = "81384788769906688"  # (id >> 22) % 2 == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT: must be a whole number from 1"),
        ({"DISCORD_SHARD_COUNT": "two"}, "DISCORD_SHARD_COUNT: must be a whole number from 1"),
        ({"DISCORD_SHARD_IDS": "0"}, "DISCORD_SHARD_IDS: set without DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1-2"},
         "DISCORD_SHARD_IDS: must be within 0-1, as DISCORD_SHARD_COUNT is 2 (got 2)."),
        ({"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "3-1"},
         "DISCORD_SHARD_IDS: must be shard numbers and ranges like 0,1 or 2-3 (got '3-1')"),
        ({"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "0;1"},
         "DISCORD_SHARD_IDS: must be shard numbers and ranges like 0,1 or 2-3"),
        ({"DISCORD_API_URL": "discord.example/api"}, "DISCORD_API_URL: must be an http(s) URL"),
    ],
)  # fmt: skip
def test_a_bad_value_is_one_message_naming_its_variable(
    values: dict[str, str], message: str
) -> None:
    problems = validate(values)
    assert len(problems) == 1 and problems[0].startswith(message), problems
    with pytest.raises(Exception, match=message.split(":")[0]):
        DiscordConfig.from_env({"DISCORD_TOKEN": "t", **values})


def test_good_values_are_read() -> None:
    env = {"DISCORD_TOKEN": "t", "DISCORD_SHARD_COUNT": "6", "DISCORD_SHARD_IDS": "0, 3-4",
           "DISCORD_API_URL": "http://127.0.0.1:8080/api/v10/"}  # fmt: skip
    assert validate(env) == []
    config = DiscordConfig.from_env(env)
    assert (config.api_url, config.shard_count, config.served_shards) == (
        "http://127.0.0.1:8080/api/v10", 6, (0, 3, 4),
    )  # fmt: skip
    every = DiscordConfig.from_env({"DISCORD_TOKEN": "t", "DISCORD_SHARD_COUNT": "3"})
    assert every.served_shards == (0, 1, 2)
    assert DiscordConfig.from_env({"DISCORD_TOKEN": "t"}).served_shards == ()


def test_practicebot_run_refuses_shard_ids_outside_the_count(tmp_path: Path) -> None:
    env = cli_env(DISCORD_TOKEN="x.y.z", DISCORD_SHARD_COUNT="2", DISCORD_SHARD_IDS="2")
    for args in (["config"], ["run", "--no-console"]):
        result = cli(*args, env=env, cwd=tmp_path)
        assert_one_clear_line(result, "DISCORD_SHARD_IDS: must be within 0-1")
        assert result.returncode == 2
    assert not (tmp_path / "data").exists(), "nothing was started"


async def test_the_adapter_hands_its_shards_to_the_engine(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "bot.db", start=False)
    try:
        on_0 = ChannelRef("discord", GUILD_ON_0, "1")
        on_1 = ChannelRef("discord", GUILD_ON_1, "1")
        elsewhere = ChannelRef("slack", "T1", "C1")
        DiscordAdapter(world.engine, DiscordConfig("t"))  # unsharded: every server
        assert all(world.engine.owns(c) for c in (on_0, on_1, elsewhere))
        DiscordAdapter(world.engine, DiscordConfig("t", shard_count=2, shard_ids=(1,)))
        assert (world.engine.owns(on_0), world.engine.owns(on_1)) == (False, True)
        assert world.engine.owns(elsewhere)
        DiscordAdapter(world.engine, DiscordConfig("t", shard_count=2))  # both shards here
        assert world.engine.owns(on_0) and world.engine.owns(on_1)
    finally:
        await world.close()
