"""Slack: every post carries its delivery in message metadata, and a delivery in doubt is found
again with one history call, within the limits of an app distributed outside the Marketplace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.publisher import SlackPublisher
from bot.bank.loader import load_bank
from bot.core.models import ChannelRef, Round, RoundStatus, Subscription
from bot.core.ports import RecapPost, RoundPost
from bot.core.schedule import Schedule
from tests.helpers import FIXTURE_BANK
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
FAKE_EPOCH = datetime.fromtimestamp(1764576000, UTC)  # the fake's first ts is just after
SUBSCRIPTION = Subscription(
    id=1, channel=ChannelRef("slack", "T1", "C1"),
    schedule=Schedule(datetime(2026, 1, 1, 9).time(), "UTC", frozenset(range(7)),
                      timedelta(hours=8)),
    packs=None, active=True, problem=None, subscribed_by="U0",
)  # fmt: skip
ROUND = Round(
    id=7, subscription_id=1, local_date=date(2026, 12, 1), question_id="q", cycle=0,
    kind="scheduled", status=RoundStatus.CLAIMED, reveal_at=NOW + timedelta(hours=8),
    posted_at=None, revealed_at=None, message_id=None, thread_id=None,
)  # fmt: skip


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    yield server
    await server.close()


def post(delivery_id: int) -> RoundPost:
    question = load_bank(FIXTURE_BANK).questions()[0]
    return RoundPost(SUBSCRIPTION, ROUND, question, "Pack", ROUND.reveal_at, delivery_id=delivery_id)


async def test_a_post_in_doubt_is_found_with_one_history_call(fake: FakeSlack) -> None:
    fake.distributed_outside_marketplace()
    publisher = SlackPublisher(AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url))
    since = FAKE_EPOCH
    sent = await publisher.post_round(post(41))
    for n in range(3):  # other messages in the channel since, some of ours with other ids
        await publisher.post_round(post(100 + n))
    found = await publisher.find_delivery(SUBSCRIPTION, 41, None, since)
    assert found == sent
    assert len(fake.calls_to("conversations.history")) == 1  # within the 1-a-minute tier


async def test_a_delivery_never_sent_is_not_found(fake: FakeSlack) -> None:
    publisher = SlackPublisher(AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url))
    since = FAKE_EPOCH
    await publisher.post_round(post(1))
    assert await publisher.find_delivery(SUBSCRIPTION, 2, None, since) is None


async def test_a_recap_carries_its_delivery_and_is_found_in_doubt(fake: FakeSlack) -> None:
    fake.distributed_outside_marketplace()
    publisher = SlackPublisher(AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url))
    recap = RecapPost(SUBSCRIPTION, date(2026, 11, 23), 2, 3, 2, (), None, 0, delivery_id=52)
    sent = await publisher.post_recap(recap)
    await publisher.post_round(post(53))  # the question after it
    [call] = [c for c in fake.calls_to("chat.postMessage") if "Last week" in str(c.params["text"])]
    assert call.params["metadata"] == {
        "event_type": "practicebot_delivery", "event_payload": {"delivery_id": 52}
    }  # fmt: skip
    assert await publisher.find_delivery(SUBSCRIPTION, 52, None, FAKE_EPOCH) == sent
