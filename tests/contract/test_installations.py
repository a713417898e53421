"""Contract: installations on many workspaces, OAuth states, and the channels an uninstall
paused (issue 13; the Slack installation store is built on these)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.core.ports import Store, StoreOpener
from bot.core.storage_installs import InstallationRecord, InstallKind
from tests.contract.builders import CHANNEL, FAR_CHANNEL, NOW, OTHER_CHANNEL, subscribe

SLACK = "slack"


def record(
    kind: InstallKind = "bot", team: str = "T1", user: str = "", data: str = "{}",
    enterprise: str = "", at: int = 0,
) -> InstallationRecord:  # fmt: skip
    return InstallationRecord(
        SLACK, kind, enterprise, team, user, data, NOW + timedelta(seconds=at)
    )


async def test_an_installation_is_found_by_its_workspace_and_kind(store: Store) -> None:
    bot = record(data='{"bot_token": "xoxb-1"}')
    person = record("installation", user="U1", data='{"bot_token": "xoxb-1", "user": 1}')
    await store.save_installations([bot, person])
    assert await store.find_installation(SLACK, "bot", "", "T1") == bot
    assert await store.find_installation(SLACK, "installation", "", "T1") == person
    assert await store.find_installation(SLACK, "installation", "", "T1", "U1") == person
    assert await store.find_installation(SLACK, "installation", "", "T1", "U2") is None
    assert await store.find_installation(SLACK, "bot", "", "T2") is None
    assert await store.find_installation(SLACK, "bot", "E1", "T1") is None
    assert await store.find_installation("other", "bot", "", "T1") is None


async def test_a_save_replaces_its_key_and_is_the_newest(store: Store) -> None:
    await store.save_installations([record("installation", user="U1", data="first")])
    await store.save_installations([record("installation", user="U2", data="second")])
    latest = await store.find_installation(SLACK, "installation", "", "T1")
    assert latest is not None and latest.data == "second"
    # U1 installs again, within the same second: theirs is the newest now.
    await store.save_installations([record("installation", user="U1", data="again")])
    latest = await store.find_installation(SLACK, "installation", "", "T1")
    assert latest is not None and (latest.user_id, latest.data) == ("U1", "again")
    await store.save_installations([record(data="old bot"), record(data="new bot", at=5)])
    bot = await store.find_installation(SLACK, "bot", "", "T1")
    assert bot is not None and bot.data == "new bot" and bot.installed_at == NOW + timedelta(seconds=5)


async def test_deleting_a_workspace_leaves_the_others(store: Store) -> None:
    await store.save_installations([
        record(), record("installation", user="U1"), record("installation", user="U2"),
        record(team="T2"), record("installation", team="T2", user="U1"),
    ])  # fmt: skip
    assert await store.delete_installations(SLACK, "", "T1", kind="installation", user_id="U1") == 1
    assert await store.find_installation(SLACK, "installation", "", "T1", "U1") is None
    assert await store.find_installation(SLACK, "installation", "", "T1", "U2") is not None
    assert await store.delete_installations(SLACK, "", "T1", kind="bot") == 1
    assert await store.find_installation(SLACK, "bot", "", "T1") is None
    assert await store.find_installation(SLACK, "installation", "", "T1") is not None
    assert await store.delete_installations(SLACK, "", "T1") == 1
    assert await store.find_installation(SLACK, "installation", "", "T1") is None
    assert await store.find_installation(SLACK, "bot", "", "T2") is not None
    assert await store.find_installation(SLACK, "installation", "", "T2", "U1") is not None
    assert await store.delete_installations(SLACK, "", "T9") == 0


async def test_the_tokens_survive_a_reopen(open_store: StoreOpener, location: Path) -> None:
    data = '{"bot_token": "xoxb-kept", "bot_scopes": ["chat:write"]}'
    async with await open_store(location) as store:
        await store.save_installations([record(data=data)])
    async with await open_store(location) as again:
        found = await again.find_installation(SLACK, "bot", "", "T1")
        assert found is not None and found.data == data
        assert "xoxb-kept" not in repr(found)  # a secret stays out of reprs (and logs)


async def test_an_oauth_state_is_good_once_until_it_expires(store: Store) -> None:
    later = NOW + timedelta(minutes=10)
    await store.issue_oauth_state(SLACK, "s1", later, NOW)
    await store.issue_oauth_state(SLACK, "s2", later, NOW)
    await store.issue_oauth_state(SLACK, "s3", later, NOW)
    assert not await store.consume_oauth_state(SLACK, "nope", NOW)
    assert not await store.consume_oauth_state("other", "s1", NOW)
    assert await store.consume_oauth_state(SLACK, "s1", NOW + timedelta(minutes=9))
    assert not await store.consume_oauth_state(SLACK, "s1", NOW + timedelta(minutes=9))  # reused
    assert not await store.consume_oauth_state(SLACK, "s2", later)  # expired
    assert not await store.consume_oauth_state(SLACK, "s2", NOW)  # and gone
    # Issuing forgets the expired states; a live one stays.
    await store.issue_oauth_state(SLACK, "s4", later + timedelta(minutes=10), later)
    assert not await store.consume_oauth_state(SLACK, "s3", NOW)
    assert await store.consume_oauth_state(SLACK, "s4", later)


async def test_an_uninstall_pauses_the_space_and_a_reinstall_resumes_what_it_paused(
    store: Store,
) -> None:
    space = CHANNEL.space
    general, random = await subscribe(store, CHANNEL), await subscribe(store, OTHER_CHANNEL)
    far = await subscribe(store, FAR_CHANNEL)
    stopped = await subscribe(store, CHANNEL.__class__(*space, "stopped"))
    await store.set_subscription_state(stopped.id, active=False, problem=None, now=NOW)
    assert await store.pause_space(*space, "uninstalled", NOW) == [general.id, random.id]
    assert await store.pause_space(*space, "uninstalled again", NOW) == []  # nothing active
    for paused in (general, random):
        now = await store.subscription_by_id(paused.id)
        assert now is not None and not now.active and now.problem == "uninstalled"
    assert await store.subscription_by_id(far.id) == far  # another workspace carries on
    assert await store.resume_space("test", "space2", NOW) == []
    assert await store.resume_space(*space, NOW) == [general.id, random.id]
    assert await store.subscription_by_id(general.id) == general
    assert await store.subscription_by_id(random.id) == random
    still = await store.subscription_by_id(stopped.id)
    assert still is not None and not still.active  # unsubscribed before: stays so
    assert await store.resume_space(*space, NOW) == []  # once
