"""Run every benchmark, print one table, write bench/results.json.

    python -m bench              # the sizes the issue sets (a few minutes)
    python -m bench --quick      # tiny sizes, seconds: does it all still run?
    python -m bench --scale 0.1  # anything in between

Each figure that can be is a ratio against a baseline measured in the same run, on the same
machine: the machines are shared and noisy, so a bare time says little on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import tempfile
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import fanout, footprint, grading, ingest, leaderboard, pictures, postgres
from bench.common import Figures, Scale, machine

RESULTS = Path(__file__).resolve().parent / "results.json"
QUICK = 0.01


@dataclass(frozen=True)
class Target:
    """A line of the table: a figure, what it is, and the bound it must keep."""

    key: str
    label: str
    unit: str
    bound: float | None = None
    at_most: bool = True  # the figure must stay at or under the bound (else at or over)

    def verdict(self, value: float) -> str:
        if self.bound is None:
            return ""
        kept = value <= self.bound if self.at_most else value >= self.bound
        return "ok" if kept else "MISSED"

    def bound_text(self) -> str:
        if self.bound is None:
            return ""
        return f"{'≤' if self.at_most else '≥'} {self.bound:g}"


TABLE: tuple[Target, ...] = (
    Target("ingest_events_per_s", "answer ingest, core", "events/s"),
    Target("ingest_baseline_events_per_s", "answer ingest, bare INSERT+COMMIT", "events/s"),
    Target("ingest_cost_ratio", "ingest cost, core / baseline", "×", 1.5),
    Target("ingest_sequential_events_per_s", "answer ingest, one at a time", "events/s"),
    Target("leaderboard_p50_ms", "leaderboard p50, all boards", "ms"),
    Target("leaderboard_p95_ms", "leaderboard p95, worst board", "ms", 20),
    Target("leaderboard_baseline_p95_ms", "baseline SELECT … LIMIT 10, p95", "ms"),
    Target("leaderboard_p95_ratio", "leaderboard p95 / baseline p95", "×"),
    Target("leaderboard_upkeep_max_ms", "leaderboard upkeep (once a minute), max", "ms"),
    Target("leaderboard_generate_s", "100k people / 2M answers generated in", "s", 60),
    Target("pg_ingest_events_per_s", "PostgreSQL: answer ingest, core", "events/s"),
    Target("pg_ingest_baseline_events_per_s", "PostgreSQL: bare asyncpg INSERT", "events/s"),
    Target("pg_ingest_cost_ratio", "PostgreSQL: ingest cost, core / baseline", "×"),
    Target("pg_leaderboard_p50_ms", "PostgreSQL: leaderboard p50, all boards", "ms"),
    Target("pg_leaderboard_p95_ms", "PostgreSQL: leaderboard p95, worst board", "ms", 20),
    Target("pg_leaderboard_baseline_p95_ms", "PostgreSQL: bare SELECT … LIMIT 10, p95", "ms"),
    Target("pg_leaderboard_p95_ratio", "PostgreSQL: leaderboard p95 / baseline p95", "×"),
    Target("pg_copy_s", "PostgreSQL: db copy of the big history", "s"),
    Target("pg_fanout_channels_per_s", "PostgreSQL: fan-out, 2 processes", "channels/s"),
    Target("pg_fanout_duplicates", "PostgreSQL: fan-out, channels posted twice", "", 0),
    Target("pg_fanout_baseline_channels_per_s", "PostgreSQL: bare INSERT a channel, 2 procs",
           "channels/s"),
    Target("pg_fanout_cost_ratio", "PostgreSQL: fan-out cost, core / baseline", "×"),
    Target("fanout_channels_per_s", "daily fan-out, 5,000 channels", "channels/s", 2000, False),
    Target("fanout_ratio_to_discord_limit", "fan-out / Discord's 50 requests/s", "×", 40, False),
    Target("fanout_settled_s", "fan-out until every reveal job is set", "s"),
    Target("ratelimited_fanout_ratio_to_bound", "500 channels at 200/s / 2.5 s", "×", 1.1),
    Target("startup_s", "start-up to ready (console)", "s", 1.0),
    Target("startup_interpreter_s", "bare interpreter start", "s"),
    Target("rss_mb", "memory after a 5,000-channel fan-out", "MB", 80),
    Target("rss_idle_mb", "memory of the idle bot", "MB"),
    Target("grading_lexical_p95_ms", "lexical grading, 4,000 chars × 6 points, p95", "ms", 200),
    Target("grading_lexical_p50_ms", "lexical grading, 4,000 chars × 6 points, p50", "ms"),
    Target("picture_card10_p95_ms", "leaderboard card, 10 people, p95", "ms", 100),
    Target("picture_card100_p95_ms", "leaderboard card, 100 people, p95", "ms", 100),
    Target("picture_calendar_p95_ms", "streak calendar, p95", "ms", 100),
    Target("picture_first_ms", "first picture of a process (loads the fonts)", "ms"),
    Target("picture_rss_added_mb", "memory the pictures add", "MB"),
)

Benchmark = Callable[[Scale, Path], Awaitable[Figures]]
BENCHMARKS: dict[str, Benchmark] = {
    "ingest": ingest.run,
    "leaderboard": leaderboard.run,
    "postgres": postgres.run,
    "fanout": fanout.run,
    "footprint": footprint.run,
    "grading": grading.run,
    "pictures": pictures.run,
}


@contextmanager
def _log_like_the_bot(workdir: Path) -> Iterator[None]:
    """Log as `practicebot run` does (INFO, libraries quiet), into a file: the cost counts."""
    handler = logging.FileHandler(workdir / "bench.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    quiet = [logging.getLogger(name) for name in ("apscheduler", "aiosqlite")]
    levels = [root.level, *(logger.level for logger in quiet)]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for logger in quiet:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()
        for logger, level in zip([root, *quiet], levels, strict=True):
            logger.setLevel(level)


async def run_all(scale: Scale, names: Sequence[str], workdir: Path) -> Figures:
    figures: Figures = {}
    for name in names:
        part = workdir / name
        part.mkdir()
        figures.update(await BENCHMARKS[name](scale, part))
    return figures


def table(figures: Figures, about: dict[str, object]) -> str:
    lines = [
        f"{'figure':44} {'value':>12}  {'unit':11} {'target':>8}  ",
        "-" * 84,
    ]
    for target in TABLE:
        if target.key not in figures:
            continue
        value = figures[target.key]
        shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
        lines.append(
            f"{target.label:44} {shown:>12}  {target.unit:11} {target.bound_text():>8}  "
            f"{target.verdict(value)}"
        )
    box = about["machine"]
    assert isinstance(box, dict)
    lines.append("-" * 84)
    lines.append(
        f"{about['when']} · scale {about['scale']} · {box['cores']} cores, "
        f"{box['memory_mb']} MB, Python {box['python']}, SQLite {box['sqlite']}, {box['system']}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size, 1.0 = the issue's")
    parser.add_argument("--quick", action="store_true", help=f"tiny sizes (scale {QUICK})")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append", help="one of them")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)
    scale = Scale(QUICK if args.quick else args.scale)
    names = args.only or list(BENCHMARKS)
    with tempfile.TemporaryDirectory(prefix="practicebot-bench-") as folder:
        workdir = Path(folder)
        with _log_like_the_bot(workdir):
            figures = asyncio.run(run_all(scale, names, workdir))
    about: dict[str, object] = {
        "machine": machine(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale.factor,
    }
    print(table(figures, about))
    args.out.write_text(json.dumps({**figures, **about}, indent=2, sort_keys=True) + "\n")
    print(f"\nwritten to {args.out}")
    return 0
