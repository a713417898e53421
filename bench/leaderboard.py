"""Leaderboards on a big database: 100,000 people, 2,000,000 answers, 400 rounds, 50 channels.

The history is written straight into the bot's schema (one transaction of `executemany`): 50
channels in one workspace, 8 rounds each on the weekdays before "now" (400 rounds), 5,000
answers a round from each channel's 8,000 members, people answering more or less often. Then
the bot's own SqliteStore rebuilds what it derives from history, and every leaderboard a person can
ask for is timed through `Engine.leaderboard`: the channel's and the whole workspace's, by
streak (the default), and by answers over all time, the last 30 days and the last 7 days, each
asked by a random person (whose own row is shown when outside the top ten). The clock moves on
10 s between questions, so answers keep leaving the week's window while we measure, and the
leaderboards' upkeep runs once a minute of that clock, as the bot's scheduler runs it (timed
apart: it is not a leaderboard anyone waits for).

The baseline is one indexed `SELECT … ORDER BY … LIMIT 10` over a table of 100,000 rows,
through aiosqlite, in the same run.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiosqlite

from bench.common import Figures, Scale, median, now_s, percentile, real_bank
from bot.clock import ManualClock
from bot.core.engine import WINDOW_SPANS, Engine
from bot.core.models import ChannelRef, Window
from bot.core.storage import Store
from bot.store import SqliteStore

PLATFORM = "bench"
SPACE = "workspace"
# Wednesday 2 December 2026, 10:00 UTC: the week's window starts in last Wednesday's round.
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
POST_HOUR = 9
ANSWERING_S = 6 * 3600  # answers come in over six hours after the post
STEP = timedelta(seconds=10)  # the clock moves on between two questions
UPKEEP_EVERY = 6  # questions between two upkeeps: once a minute, as the scheduler does
BOARDS: tuple[tuple[str, str | None], ...] = (
    ("streak", None),
    ("all", "all"),
    ("month", "month"),
    ("week", "week"),
)


@dataclass(frozen=True)
class Shape:
    users: int
    answers: int
    rounds: int
    channels: int
    members: int  # of each channel

    @classmethod
    def at(cls, scale: Scale) -> Shape:
        channels = scale.of(50, least=2)
        rounds = max(channels, scale.of(400, least=4))
        users = scale.of(100_000, least=20)
        members = min(users, scale.of(8_000, least=10))
        per_round = min(members, scale.of(2_000_000, least=40) // rounds)
        return cls(users, per_round * rounds, rounds, channels, members)


def _round_dates(count: int) -> list[date]:
    """The `count` weekdays before NOW's date, oldest first."""
    dates: list[date] = []
    day = NOW.date()
    while len(dates) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            dates.append(day)
    return dates[::-1]


def generate(path: Path, shape: Shape, seed: int = 400) -> None:
    """Write the history into a database the SqliteStore has created (same schema, same file)."""
    rng = random.Random(seed)
    draw = rng.random
    # How keen each person is: 0.2 to 3.2, most near the bottom.
    keenness = [1 / (0.2 + 3 * draw() ** 2) for _ in range(shape.users)]
    per_channel = shape.rounds // shape.channels
    per_round = shape.answers // shape.rounds
    dates = _round_dates(per_channel)
    created = int(NOW.timestamp()) - 90 * 86400
    subscriptions = []
    rounds = []
    answers: list[tuple[int, str, int, int]] = []
    members: list[tuple[int, str, int, int, int]] = []
    round_id = 0
    for channel in range(1, shape.channels + 1):
        subscriptions.append(
            (channel, PLATFORM, SPACE, f"c{channel}", "09:00", "UTC", "mon,tue,wed,thu,fri",
             8 * 3600, None, 1, None, "admin", created, created)
        )  # fmt: skip
        pool = [f"u{user}" for user in rng.sample(range(shape.users), shape.members)]
        power = [keenness[int(user[1:])] for user in pool]
        streaks: dict[str, tuple[int, int, int]] = {}  # user -> (current, best, answers)
        for day in dates:
            round_id += 1
            posted = (
                int(datetime.combine(day, datetime.min.time(), UTC).timestamp()) + POST_HOUR * 3600
            )
            rounds.append(
                (round_id, channel, day.isoformat(), f"q{round_id % 73}", 0, "scheduled",
                 "revealed", posted, posted, posted + 8 * 3600, posted + 8 * 3600,
                 f"m{round_id}", f"t{round_id}")
            )  # fmt: skip
            # Weighted sampling without replacement: the `per_round` largest keys win.
            keys = [draw() ** p for p in power]
            order = sorted(range(len(pool)), key=keys.__getitem__, reverse=True)
            answered = sorted(pool[i] for i in order[:per_round])
            answers.extend(
                (round_id, user, channel, posted + int(draw() * ANSWERING_S)) for user in answered
            )
            done = set(answered)
            for user in done | streaks.keys():
                current, best, count = streaks.get(user, (0, 0, 0))
                if user in done:
                    streaks[user] = (current + 1, max(best, current + 1), count + 1)
                else:
                    streaks[user] = (0, best, count)
        members.extend((channel, user, *state) for user, state in streaks.items())
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA synchronous = OFF")
        # A bulk load: the indexes are made again once the rows are in.
        indexes = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('answers', 'members', 'users', 'rounds')"
        ).fetchall()
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        db.executemany(
            "INSERT INTO subscriptions VALUES (" + ",".join("?" * 14) + ")", subscriptions
        )
        db.executemany(
            "INSERT INTO rounds (id, subscription_id, local_date, question_id, cycle, kind, status, "
            "claimed_at, posted_at, reveal_at, revealed_at, message_id, thread_id) "
            "VALUES (" + ",".join("?" * 13) + ")",
            rounds,
        )
        db.executemany(
            "INSERT INTO users (platform, user_id, name) VALUES (?, ?, ?)",
            sorted((PLATFORM, f"u{user}", f"Person {user:06d}") for user in range(shape.users)),
        )
        db.executemany(
            "INSERT INTO answers (round_id, user_id, subscription_id, answered_at) VALUES (?, ?, ?, ?)",
            answers,
        )
        members.sort()
        db.executemany(
            "INSERT INTO members (subscription_id, user_id, current_streak, best_streak, answers) "
            "VALUES (?, ?, ?, ?, ?)",
            members,
        )
        for _, sql in indexes:
            db.execute(sql)
    db.close()


async def _baseline(path: Path, users: int, samples: int) -> list[float]:
    """One indexed SELECT … ORDER BY … LIMIT 10 on a table of `users` rows: milliseconds each."""
    rng = random.Random(10)
    async with aiosqlite.connect(path) as conn:
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute(
            "CREATE TABLE scores (user_id TEXT PRIMARY KEY, name TEXT NOT NULL, score INTEGER NOT NULL)"
        )
        await conn.execute("CREATE INDEX scores_by_score ON scores (score DESC)")
        await conn.executemany(
            "INSERT INTO scores VALUES (?, ?, ?)",
            ((f"u{i}", f"Person {i:06d}", rng.randrange(400)) for i in range(users)),
        )
        await conn.commit()
        times = []
        for _ in range(samples):
            started = now_s()
            rows = await conn.execute_fetchall(
                "SELECT user_id, name, score FROM scores ORDER BY score DESC LIMIT 10"
            )
            times.append((now_s() - started) * 1000)
            assert len(list(rows)) == min(10, users)
        return times


async def time_boards(
    store: Store, shape: Shape, samples: int
) -> tuple[dict[str, list[float]], list[float], int]:
    """Every board through `Engine.leaderboard` on `store`, `samples` times each: the times
    (ms) per board, the upkeep's times, and the number of entries shown."""
    clock = ManualClock(NOW)
    engine = Engine(store, real_bank(), clock)
    rng = random.Random(11)
    times: dict[str, list[float]] = {}
    upkeep: list[float] = []
    sizes = 0
    asked = 0
    for _ in range(samples):
        for whole_space in (False, True):
            for board_name, window in BOARDS:
                channel = ChannelRef(PLATFORM, SPACE, f"c{rng.randrange(shape.channels) + 1}")
                caller = f"u{rng.randrange(shape.users)}"
                clock.set(clock.now() + STEP)
                asked += 1
                if asked % UPKEEP_EVERY == 0:  # the scheduler's upkeep, once a minute
                    began = now_s()
                    await engine.keep_leaderboards()
                    upkeep.append((now_s() - began) * 1000)
                began = now_s()
                board = await engine.leaderboard(
                    channel, window=window, whole_space=whole_space, caller_id=caller
                )
                elapsed = (now_s() - began) * 1000
                scope = "space" if whole_space else "channel"
                times.setdefault(f"{scope}_{board_name}", []).append(elapsed)
                sizes += len(board.entries)
    return times, upkeep, sizes


async def run(scale: Scale, workdir: Path) -> Figures:
    shape = Shape.at(scale)
    samples = scale.of(100, least=5)
    path = workdir / "leaderboard.db"
    store = await SqliteStore.open(path)
    await store.close()
    started = now_s()
    generate(path, shape)
    store = await SqliteStore.open(path)
    try:
        # What the bot derives from history (counts per window, the workspace's table).
        starts: dict[Window, datetime] = {}
        for moving in ("month", "week"):
            span = WINDOW_SPANS[moving]
            assert span is not None
            starts[moving] = NOW - span
        await store.rebuild_standings(starts)
        generate_s = now_s() - started
        times, upkeep, sizes = await time_boards(store, shape, samples)
        baseline = await _baseline(workdir / "scores.db", shape.users, samples * 4)
    finally:
        await store.close()
    figures: Figures = {
        "leaderboard_users": shape.users,
        "leaderboard_answers": shape.answers,
        "leaderboard_rounds": shape.rounds,
        "leaderboard_channels": shape.channels,
        "leaderboard_generate_s": generate_s,
        "leaderboard_entries_mean": sizes / (samples * 2 * len(BOARDS)),
    }
    for kind, values in times.items():
        figures[f"leaderboard_{kind}_p50_ms"] = median(values)
        figures[f"leaderboard_{kind}_p95_ms"] = percentile(values, 0.95)
    every = [value for values in times.values() for value in values]
    figures["leaderboard_p50_ms"] = median(every)
    figures["leaderboard_p95_ms"] = max(percentile(v, 0.95) for v in times.values())
    figures["leaderboard_upkeep_p50_ms"] = median(upkeep) if upkeep else 0.0
    figures["leaderboard_upkeep_max_ms"] = max(upkeep, default=0.0)
    figures["leaderboard_baseline_p50_ms"] = median(baseline)
    figures["leaderboard_baseline_p95_ms"] = percentile(baseline, 0.95)
    figures["leaderboard_p95_ratio"] = (
        figures["leaderboard_p95_ms"] / figures["leaderboard_baseline_p95_ms"]
    )
    return figures
