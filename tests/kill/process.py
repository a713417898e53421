"""The real `practicebot run` as a subprocess: Slack HTTP mode against the loopback FakeSlack,
on a fast clock; started, signalled (SIGKILL, SIGTERM) and started again by the kill tests.

`SimTime` is the simulated time the bot runs on, known to the test too: each start is given
`--start` and a fast clock runs from it at `speed`, so the fake stamps each message (its `ts`)
with the bot's time, as Slack stamps them with the real time the bot also runs on.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.helpers import FIXTURE_BANK
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

SECRET = "kill-test-signing-secret"
READY_S = 20.0  # a start on a busy machine: imports, migrations, the bank
_CONNECTED = re.compile(r"connected: Slack \(HTTP mode.* on port (\d+)")


def free_port() -> int:
    """A loopback port nobody listens on now (the bot's settings refuse port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SimTime:
    """The bot's simulated time: `start` at wall time `origin`, then `speed` times faster.

    Between two runs the bot is down: the time stands at the last run's end until the next
    `begin`, which must not go back."""

    speed: float
    start: datetime = datetime(2026, 12, 1, tzinfo=UTC)
    origin: float | None = None  # wall time (time.time()) of `start`; None: stopped there

    def now(self) -> datetime:
        if self.origin is None:
            return self.start
        return self.start + timedelta(seconds=(time.time() - self.origin) * self.speed)

    def seconds(self) -> float:
        return self.now().timestamp()

    def begin(self, start: datetime) -> None:
        self.start, self.origin = max(start, self.now()), time.time()

    def halt(self) -> None:
        """The bot is down: what it reached is at most now (stopped at the signal)."""
        self.start, self.origin = self.now(), None


@dataclass
class BotProcess:
    """One run of `practicebot run`; `log` keeps its stderr (printed when a test fails)."""

    proc: asyncio.subprocess.Process
    name: str
    port: int = 0
    ready_s: float = 0.0  # spawn to listening, wall-clock seconds
    log: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls,
        *,
        name: str,
        db: str,
        fake: FakeSlack,
        sim: SimTime,
        folder: Path,
        extra_env: dict[str, str] | None = None,
    ) -> BotProcess:
        assert sim.origin is not None, "begin the simulated time first"
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(folder),
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "PRACTICEBOT_SLACK_PORT": str(free_port()),
            "PRACTICEBOT_DB": db,
            "PRACTICEBOT_STATE_DIR": str(folder / name),
            "PRACTICEBOT_QUESTIONS": str(FIXTURE_BANK),
            "PRACTICEBOT_LOG_LEVEL": "INFO",
            "PRACTICEBOT_BACKUP_KEEP_DAYS": "0",
            "PRACTICEBOT_TZ": "UTC",
            # Read back what was written while the bot was down at Tier 3 (50+ a minute), not
            # the outside-Marketplace tier's 1 a minute: 40 threads in seconds, not 40 minutes.
            "PRACTICEBOT_SLACK_HISTORY_PER_MINUTE": "600",
            **(extra_env or {}),
        }
        spawned = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--no-console", "--clock", "fast",
            "--start", sim.start.isoformat(), "--speed", f"{sim.speed:g}",
            "--origin", f"{sim.origin:.6f}",
            cwd=folder, env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        bot = cls(proc, name)
        connected = asyncio.get_running_loop().create_future()
        bot._reader = asyncio.create_task(bot._read(connected))
        try:
            async with asyncio.timeout(READY_S):
                bot.port = await connected
            bot.ready_s = time.monotonic() - spawned
        except BaseException:
            await bot.signal(signal.SIGKILL)
            raise
        return bot

    async def _read(self, connected: asyncio.Future[int]) -> None:
        assert self.proc.stderr is not None
        async for raw in self.proc.stderr:
            line = raw.decode(errors="replace").rstrip()
            self.log.append(line)
            found = _CONNECTED.search(line)
            if found and not connected.done():
                connected.set_result(int(found.group(1)))
        if not connected.done():
            said = "\n".join(self.log[-20:])
            connected.set_exception(RuntimeError(f"{self.name} exited before it was ready:\n{said}"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def send_signal(self, signum: int) -> None:
        """Now, synchronously (e.g. from inside a fake's handler)."""
        if self.proc.returncode is None:
            self.proc.send_signal(signum)

    async def signal(self, signum: int, timeout_s: float = 20.0) -> int:
        self.send_signal(signum)
        return await self.wait(timeout_s)

    async def wait(self, timeout_s: float = 20.0) -> int:
        async with asyncio.timeout(timeout_s):
            code = await self.proc.wait()
            if self._reader is not None:
                await self._reader
        return code

    def logged(self, pattern: str) -> list[str]:
        return [line for line in self.log if re.search(pattern, line)]
