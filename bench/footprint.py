"""Footprint: start-up to ready, and resident memory after a full daily fan-out.

Start-up runs the real command, `python -m bot console`, on a fresh database with the shipped
bank (73 questions): from the process's spawn to the console saying it is ready for input
(subscribed, first question posted). The baseline is a bare `python -c pass` in the same run.

Memory is read in a fresh process (so nothing else this run built is counted) that does a
daily fan-out of 5,000 channels as `bench.fanout` does, then reports its resident set. The
baseline is the same process before it subscribed a single channel (Python, the bot's modules
and the bank loaded).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from bench.common import Figures, Scale, now_s, rss_mb

READY = "/help"  # the console's "you are … type an answer, or /help" line
_TOKENS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


def _child_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in _TOKENS and not k.startswith("PRACTICEBOT_")
    }
    return env


def startup_s(db: Path) -> float:
    """Seconds from spawning `python -m bot console` on a fresh database to its ready line."""
    started = now_s()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", str(db), "console", "--user", "bench"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_child_env(),
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        for line in process.stdout:
            if READY in line:
                ready = now_s() - started
                break
        else:
            raise RuntimeError("the console exited before it was ready")
        process.stdin.close()  # end of input: the console stops
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return ready


def interpreter_s() -> float:
    started = now_s()
    subprocess.run([sys.executable, "-c", "pass"], check=True, env=_child_env())
    return now_s() - started


def _fanout_child(workdir: Path, channels: int) -> dict[str, float]:
    """In a fresh process: the idle bot's memory, then a full fan-out's."""
    from bench.common import real_bank
    from bench.fanout import fan_out
    from bench.world import NoopPublisher

    real_bank()
    idle = rss_mb()
    result = asyncio.run(fan_out(workdir / "footprint.db", channels, NoopPublisher()))
    return {"rss_mb": rss_mb(), "rss_idle_mb": idle, "posted": result.posted}


def memory_after_fanout(workdir: Path, channels: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.footprint", str(workdir), str(channels)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        env=_child_env(),
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


async def run(scale: Scale, workdir: Path) -> Figures:
    startups = [startup_s(workdir / f"startup{i}.db") for i in range(3)]
    bare = min(interpreter_s() for _ in range(3))
    memory = await asyncio.to_thread(memory_after_fanout, workdir, scale.of(5_000, least=10))
    startup = sorted(startups)[1]  # the median of three
    return {
        "startup_s": startup,
        "startup_interpreter_s": bare,
        "startup_ratio_to_interpreter": startup / bare,
        "rss_mb": memory["rss_mb"],
        "rss_idle_mb": memory["rss_idle_mb"],
        "rss_fanout_channels": memory["posted"],
    }


if __name__ == "__main__":
    print(json.dumps(_fanout_child(Path(sys.argv[1]), int(sys.argv[2]))))
