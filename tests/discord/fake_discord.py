"""The names the Discord tests import; the fake itself is the package tests/discord/fake/."""

from tests.discord.fake.calls import Call, eventually
from tests.discord.fake.gateway import MESSAGE_CONTENT_INTENT
from tests.discord.fake.rest import EPHEMERAL
from tests.discord.fake.server import FakeDiscord
from tests.discord.fake.state import FakeUser, Json

__all__ = [
    "EPHEMERAL",
    "MESSAGE_CONTENT_INTENT",
    "Call",
    "FakeDiscord",
    "FakeUser",
    "Json",
    "eventually",
]
