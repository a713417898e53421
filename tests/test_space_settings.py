"""Per-space settings (and per-channel ones: the weekly recap): declared once, read and
written through the engine, one command."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import InputError
from bot.core.models import ChannelRef
from bot.core.spaces import REVIEW_CHANNEL, SPACE_SETTINGS, SUGGESTION_LIMIT, WEEKLY_RECAP
from tests.helpers import CHANNEL, OTHER_CHANNEL, PLATFORM, World
from tests.test_console_session import FRIDAY, console, flat


async def test_defaults_until_set_and_shared_by_the_channels_of_a_space(world: World) -> None:
    engine = world.engine
    assert await engine.space_value(CHANNEL, WEEKLY_RECAP) is False
    assert await engine.space_value(CHANNEL, SUGGESTION_LIMIT) == 3
    assert await engine.space_value(CHANNEL, REVIEW_CHANNEL) is None
    await engine.set_space_setting(CHANNEL, "weekly-recap", "on", by="admin")
    await engine.set_space_setting(CHANNEL, "suggestion-limit", "7")
    await engine.set_space_setting(CHANNEL, "review-channel", "<#C042|reviews>")
    assert await engine.space_value(CHANNEL, WEEKLY_RECAP) is True
    # The weekly recap is the channel's own choice: the space's other channels keep theirs.
    assert await engine.space_value(OTHER_CHANNEL, WEEKLY_RECAP) is False
    assert next(v.value for v in await engine.space_settings(OTHER_CHANNEL)) == "off"
    for channel in (CHANNEL, OTHER_CHANNEL):  # one space, one set of the other settings
        assert await engine.space_value(channel, SUGGESTION_LIMIT) == 7
        assert await engine.space_value(channel, REVIEW_CHANNEL) == "C042"
    elsewhere = ChannelRef(PLATFORM, "space2", "general")
    assert await engine.space_value(elsewhere, SUGGESTION_LIMIT) == 3
    views = await engine.space_settings(CHANNEL)
    assert [v.key for v in views] == [s.key for s in SPACE_SETTINGS]
    assert [(v.value, v.is_default) for v in views] == [("on", False), ("7", False), ("#C042", False)]  # fmt: skip
    reset = await engine.set_space_setting(CHANNEL, "suggestion-limit", "default")
    assert (reset.value, reset.is_default) == ("3", True)
    assert await engine.space_value(CHANNEL, SUGGESTION_LIMIT) == 3


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("suggestion-limit", "21", "suggestion-limit must be a whole number from 0 to 20"),
        ("suggestion-limit", "-1", "suggestion-limit must be a whole number from 0 to 20"),
        ("weekly-recap", "maybe", "weekly-recap must be on or off"),
        ("review-channel", "two words", "review-channel must be a channel"),
        ("colour", "blue", "There is no setting 'colour'. Settings: weekly-recap,"),
    ],
)
async def test_a_bad_value_is_one_clear_message_and_nothing_is_stored(
    world: World, key: str, value: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        await world.engine.set_space_setting(CHANNEL, key, value)
    assert all(v.is_default for v in await world.engine.space_settings(CHANNEL))


def test_the_console_lists_shows_and_sets_settings(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    script = (
        "/config\n/config suggestion-limit 30\n/config suggestion-limit 5\n/config suggestion-limit\n"
        "/config weekly-recap on\n/config weekly-recap\n"
    )
    out = flat(console(db, script, *FRIDAY).stdout)
    assert "weekly-recap = off (default) [on|off] this channel:" in out
    assert "✓ weekly-recap is now on." in out and "weekly-recap = on [on|off]" in out
    assert "suggestion-limit must be a whole number from 0 to 20 (got '30'). Nothing was changed." in out  # fmt: skip
    assert "✓ suggestion-limit is now 5." in out
    assert "suggestion-limit = 5 [0-20]" in out
