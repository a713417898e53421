"""Start-up: command sync only on change, the Message Content fallback, the CLI, the invite."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from bot.adapters.discord import adapter_from_env
from bot.adapters.discord.cli import invite_url_from_env, sync_commands
from bot.adapters.discord.config import DiscordConfig
from bot.adapters.discord.invite import application_id_from_token
from bot.adapters.discord.sync import state_key
from bot.cli import main
from bot.core.errors import InputError
from bot.errors import PlatformUnreachableError, TokenRejectedError
from bot.store import SqliteStore
from tests.discord.fake_discord import MESSAGE_CONTENT_INTENT, FakeDiscord
from tests.discord.harness import DiscordBot, token_for
from tests.helpers import FIXTURE_BANK, START

GLOBAL_SYNC = r"/applications/\d+/commands"
# View Channel, Send Messages, Embed Links, Read Message History, Create Public Threads,
# Send Messages in Threads: Discord's permission bits, added up by hand.
INVITE_PERMISSIONS = 1024 + 2048 + 16384 + 65536 + 34359738368 + 274877906944


async def test_commands_are_synced_only_when_they_changed(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    db = tmp_path / "bot.db"
    first = await DiscordBot.start(db, fake)
    [upload] = fake.find("PUT", GLOBAL_SYNC)
    names = sorted(command["name"] for command in upload.body)
    assert names == ["feedback", "leaderboard", "practice", "quiz", "review", "streak", "suggest"]
    # Everyone's own commands: /feedback is not under /practice, which needs Manage Server.
    for name in ("feedback", "review", "quiz"):
        command = next(c for c in upload.body if c["name"] == name)
        assert command.get("default_member_permissions") is None
    feedback = next(c for c in upload.body if c["name"] == "feedback")
    assert [choice["value"] for choice in feedback["options"][0]["choices"]] == ["on", "off"]
    practice = next(c for c in upload.body if c["name"] == "practice")
    assert int(practice["default_member_permissions"]) == 1 << 5  # Manage Server
    assert practice["contexts"] == [0]  # servers only
    assert sorted(o["name"] for o in practice["options"]) == [
        "config", "post-now", "reveal-now", "status", "streak-repair", "subscribe",
        "unsubscribe",
    ]  # fmt: skip
    await first.stop()

    second = await DiscordBot.start(db, fake)  # same definitions: no upload
    await second.stop()
    assert len(fake.find("PUT", GLOBAL_SYNC)) == 1

    third = await DiscordBot.start(db, fake)
    await third.world.store.set_state(state_key(fake.app_id), "an older set", START)
    await third.stop()
    fourth = await DiscordBot.start(db, fake)  # what Discord has differs: upload again
    await fourth.stop()
    assert len(fake.find("PUT", GLOBAL_SYNC)) == 2


async def test_without_the_portal_intent_the_bot_falls_back_to_buttons(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.adapters.discord")
    fake.message_content_allowed = False
    bot = await DiscordBot.start(tmp_path / "bot.db", fake, message_content=True)
    try:
        first, second = fake.identifies
        assert first["intents"] & MESSAGE_CONTENT_INTENT
        assert not second["intents"] & MESSAGE_CONTENT_INTENT
        assert not bot.adapter.message_content
        assert bot.adapter.health()[0]
        messages = [r.getMessage() for r in caplog.records]
        assert any("Message Content intent" in m and r.levelno == logging.WARNING
                   for m, r in zip(messages, caplog.records, strict=True))  # fmt: skip
        assert any("button/modal-only mode" in m for m in messages)
        assert "button/modal-only mode" in bot.adapter.describe()
    finally:
        await bot.stop()
    assert not bot.adapter.health()[0]


async def test_a_rejected_token_is_a_clear_error(tmp_path: Path, fake: FakeDiscord) -> None:
    fake.refuse("GET", "/users/@me", status=401, code=0, message="401: Unauthorized")
    with pytest.raises(TokenRejectedError, match="Discord rejected DISCORD_TOKEN"):
        await DiscordBot.start(tmp_path / "bot.db", fake)


async def test_no_network_is_one_clear_error(
    tmp_path: Path, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused connection (no network, a DNS failure) stops start-up with a clear line."""
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port}/api/v10")
    with pytest.raises(PlatformUnreachableError, match=r"Cannot reach Discord .*network, DNS"):
        await DiscordBot.start(tmp_path / "bot.db", fake)


async def test_sync_to_one_server_by_hand(tmp_path: Path, fake: FakeDiscord) -> None:
    config = DiscordConfig(token_for(fake.app_id))
    count = await sync_commands(
        config, open_store=SqliteStore.open, db_path=tmp_path / "bot.db", questions_dir=FIXTURE_BANK,
        guild_id=fake.guild_id,
    )  # fmt: skip
    assert count == 7
    [upload] = fake.find("PUT", rf"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands")
    assert len(upload.body) == 7
    assert not fake.find("PUT", GLOBAL_SYNC)
    assert not fake.identifies  # HTTP only: no gateway connection

    cleared = await sync_commands(
        config, open_store=SqliteStore.open, db_path=tmp_path / "bot.db", questions_dir=FIXTURE_BANK,
        guild_id=fake.guild_id, clear=True,
    )  # fmt: skip
    assert cleared == 0
    assert fake.find("PUT", r"/applications/\d+/guilds/\d+/commands")[-1].body == []


def test_invite_url_has_both_scopes_and_exactly_the_permissions_used() -> None:
    url = invite_url_from_env({"DISCORD_APPLICATION_ID": "123456789012345678"})
    parsed = urlparse(url)
    assert (parsed.scheme, parsed.netloc, parsed.path) == (
        "https",
        "discord.com",
        "/oauth2/authorize",
    )
    query = parse_qs(parsed.query)
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    assert query["permissions"] == [str(INVITE_PERMISSIONS)]


def test_invite_url_reads_the_application_id_from_the_token() -> None:
    token = token_for(987654321098765432)
    assert application_id_from_token(token) == 987654321098765432
    assert application_id_from_token("not base64!.x.y") is None
    url = invite_url_from_env({"DISCORD_TOKEN": token})
    assert parse_qs(urlparse(url).query)["client_id"] == ["987654321098765432"]
    with pytest.raises(InputError, match="Set DISCORD_APPLICATION_ID"):
        invite_url_from_env({})


def test_cli_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the checkout's
    for name in ("DISCORD_APPLICATION_ID", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISCORD_APPLICATION_ID", "42")
    assert main(["discord", "invite-url"]) == 0
    assert "client_id=42" in capsys.readouterr().out
    monkeypatch.setenv("DISCORD_APPLICATION_ID", "")  # empty means not set
    assert main(["discord", "invite-url"]) == 1
    assert "Set DISCORD_APPLICATION_ID" in capsys.readouterr().err
    assert main(["discord", "sync", "--clear"]) == 1
    assert "--clear needs --guild ID." in capsys.readouterr().err


def test_adapter_from_env() -> None:
    assert adapter_from_env({}) is None
    assert adapter_from_env({"DISCORD_TOKEN": "  "}) is None
    assert callable(adapter_from_env({"DISCORD_TOKEN": token_for(1)}))
    config = DiscordConfig.from_env(
        {"DISCORD_TOKEN": "s3cret", "DISCORD_APPLICATION_ID": "7", "DISCORD_MESSAGE_CONTENT": "off"}
    )
    assert (config.application_id, config.message_content) == (7, False)
    assert "s3cret" not in repr(config)
    with pytest.raises(InputError, match="DISCORD_MESSAGE_CONTENT must be on or off"):
        adapter_from_env({"DISCORD_TOKEN": "t", "DISCORD_MESSAGE_CONTENT": "maybe"})
