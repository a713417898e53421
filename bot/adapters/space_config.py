"""`/practice config [KEY [VALUE]]`: the one per-space settings command, shared by every
platform (Slack's /practice, Discord's /practice config, the console's /config).

The adapters check who may run it (admins, where the platform has them) and pass the words
typed after `config`; the reply is plain text each of them shows as it is.
"""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.errors import InputError
from bot.core.models import ChannelRef
from bot.core.spaces import SettingView

USAGE = "Usage: config (lists the settings) | config KEY (shows one) | config KEY VALUE (sets it; VALUE default resets it)"


def _line(view: SettingView) -> str:
    default = " (default)" if view.is_default else ""
    return f"{view.key} = {view.value}{default}  [{view.kind}] {view.help}"


async def config_reply(
    engine: Engine, channel: ChannelRef, words: list[str], by: str | None, *, command: str
) -> str:
    """The reply to `config` with `words` after it. `command` is how the platform spells the
    command, e.g. '/practice config', for the usage line."""
    usage = USAGE.replace("config", command)
    try:
        if not words:
            views = await engine.space_settings(channel)
            return "Settings here:\n" + "\n".join(_line(v) for v in views) + f"\n{usage}"
        if len(words) == 1:
            return _line(await engine.space_setting(channel, words[0]))
        view = await engine.set_space_setting(channel, words[0], " ".join(words[1:]), by)
    except InputError as error:
        return f"{error} Nothing was changed.\n{usage}"
    return f"✓ {view.key} is now {view.value}{' (the default)' if view.is_default else ''}."
