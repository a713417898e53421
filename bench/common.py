"""What every benchmark shares: sizes, timers, percentiles, the machine, the questions."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.bank.loader import load_bank
from bot.bank.models import Bank
from bot.paths import default_questions_dir

Figures = dict[str, float]


@dataclass(frozen=True)
class Scale:
    """How big a run is: 1.0 is the size the issue sets; the smoke test uses a tiny fraction."""

    factor: float = 1.0

    def of(self, full: int, *, least: int = 1) -> int:
        return max(least, round(full * self.factor))


def now_s() -> float:
    return time.perf_counter()


def percentile(samples: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def rss_mb() -> float:
    """Resident memory of this process now (VmRSS), in MB; the peak where /proc is missing."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def machine() -> dict[str, object]:
    memory_mb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text().splitlines()[0].split()
        memory_mb = round(int(first[1]) / 1024)
    return {
        "cores": os.cpu_count(),
        "memory_mb": memory_mb,
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
    }


def real_bank() -> Bank:
    """The shipped question bank (73 questions), as the bot loads it."""
    return load_bank(default_questions_dir())
