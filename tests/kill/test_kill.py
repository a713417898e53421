"""Issue 18's done-when, Slack part: the real `practicebot run` (Slack HTTP mode, a fast clock)
stopped by SIGKILL or SIGTERM at random points of the busy minute, of an answer burst and of
the reveal burst, over several simulated days; afterwards every channel has exactly one post a
day and every round exactly one reveal (counted in the fake Slack), and every answer that got
its HTTP 200 (or was retried, as Slack retries, until it got one) counted exactly once.

A failure prints the seed and where each process was stopped: `pytest tests/kill -k SEED`.
`make soak` runs more seeds and more days.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from pathlib import Path

import pytest

from bot.adapters.slack.refs import message_key, message_ts
from bot.core.models import RoundStatus
from tests.kill.scenario import KillScenario, _day_of

SOAK = os.environ.get("PRACTICEBOT_SOAK") == "1"
SEEDS = [int(s) for s in os.environ.get("PRACTICEBOT_SOAK_SEEDS", "").split(",") if s] or (
    list(range(1, 11)) if SOAK else [1]
)
DAYS = {signal.SIGKILL: 4 if SOAK else 2, signal.SIGTERM: 4 if SOAK else 1}


async def check(scenario: KillScenario) -> None:
    """What must hold after the last stop, on the fake's side and in the store."""
    store = await scenario.store()
    story = f"seed {scenario.seed}: " + "; ".join(scenario.story)
    assert await scenario.undelivered() == [], story
    for subscription in await store.subscriptions(active_only=False):
        channel = subscription.channel.channel_id
        posts = Counter(_day_of(m["ts"]) for m in scenario.posts(channel))
        assert sorted(posts.values()) == [1] * scenario.days, f"{channel} posts {posts}; {story}"
        rounds = await scenario.rounds(channel)
        assert len(rounds) == scenario.days, f"{channel}: {len(rounds)} rounds; {story}"
        for round in rounds:
            assert round.status is RoundStatus.REVEALED, f"{channel} {round}; {story}"
            assert round.thread_id is not None
            reveals = scenario.reveals(channel, message_ts(round.thread_id))
            assert len(reveals) == 1, f"{channel} {round.local_date}: {len(reveals)}; {story}"
    for answer in scenario.answers:
        assert answer.acked
        [round] = [r for r in await scenario.rounds(answer.channel) if r.local_date == answer.day]
        stored = await store.thread_messages(round.id, answer.user)
        assert stored == [message_key(answer.channel, answer.ts)], f"{answer}: {stored}; {story}"
        assert await store.answer_text(round.id, answer.user) == answer.text
    for answer in scenario.away:  # read back after the restart, and counted
        [round] = [r for r in await scenario.rounds(answer.channel) if r.local_date == answer.day]
        stored = await store.thread_messages(round.id, answer.user)
        assert stored == [message_key(answer.channel, answer.ts)], f"{answer}: {stored}; {story}"
        assert await store.answer_text(round.id, answer.user) == answer.text
    if scenario.signum is signal.SIGTERM:  # nothing was ever in doubt: nothing looked up
        assert scenario.lookups() == [], story


async def check_names(scenario: KillScenario) -> None:
    """Each process named in its log lines and in the claims it made."""
    store, claimers = await scenario.store(), set()
    for subscription in await store.subscriptions(active_only=False):
        claimers |= {d.claimed_by for d in await store.deliveries(subscription.id)}
    assert claimers == {"bot0", "bot1"}, claimers
    for bot in scenario.runs:
        name = bot.name.split("-")[0]
        assert bot.logged(rf"INFO \[{name}\] bot\."), bot.name


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
async def test_the_bot_stopped_anywhere_posts_reveals_and_counts_exactly_once(
    tmp_path: Path, seed: int, signum: signal.Signals
) -> None:
    scenario = KillScenario(tmp_path, str(tmp_path / "bot.db"), seed, signum, days=DAYS[signum])
    try:
        try:
            await scenario.run()
            await check(scenario)
            print(scenario.summary())
        except BaseException:
            print(f"seed {seed} ({signum.name}): " + "; ".join(scenario.story))
            for bot in scenario.runs:
                print(f"--- {bot.name}\n" + "\n".join(bot.log[-40:]))
            raise
    finally:
        await scenario.close()


@pytest.mark.parametrize("seed", SEEDS)
async def test_two_processes_on_one_postgresql_one_killed_mid_burst(
    tmp_path: Path, postgres_template: str, postgres_db: str, seed: int
) -> None:
    """Issue 13: two `practicebot run` on one PostgreSQL database, every channel due in the
    same minute; one is killed mid-burst (posts, answers, reveals): the other takes over its
    claimed deliveries after their lease, and finds on Slack what was sent before the kill."""
    scenario = KillScenario(
        tmp_path, postgres_db, seed, signal.SIGKILL, days=2 if SOAK else 1, processes=2
    )
    try:
        try:
            await scenario.run()
            await check(scenario)
            await check_names(scenario)
            print(scenario.summary())
        except BaseException:
            print("two processes: " + "; ".join(scenario.story))
            for bot in scenario.runs:
                print(f"--- {bot.name}\n" + "\n".join(bot.log[-40:]))
            raise
    finally:
        await scenario.close()
