"""The console as a person uses it: a subprocess with piped stdin and a manual clock.

Each bad input gets one clear line and changes nothing stored; the console carries on.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers import FIXTURE_BANK

# Friday 4 December 2026, 08:00 UTC: the console posts Friday's round at start.
FRIDAY = ("--clock", "manual", "--start", "2026-12-04T08:00", "--timezone", "UTC")


def console(
    db: Path | None, script: str | bytes, *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "PRACTICEBOT_DB")
    }
    env["PRACTICEBOT_QUESTIONS"] = str(FIXTURE_BANK)
    data = script.encode() if isinstance(script, str) else script
    where = ["--db", str(db)] if db is not None else []
    result = subprocess.run(
        [sys.executable, "-m", "bot", *where, "console", *(args or FRIDAY), "--user", "Alice"],
        input=data, capture_output=True, env=env, timeout=60, cwd=cwd,
    )  # fmt: skip
    out = subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return out


def flat(text: str) -> str:
    """Output with its wrapping undone, to look for a sentence."""
    return " ".join(text.split())


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_bad_lines_get_one_clear_line_and_change_nothing(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    console(db, "my answer\n/quiz\n")
    before = dump(db)
    script = (
        b"/\n/   \n/advance 99999999999d\n/advance 9999999d\n\xff\xfe not utf-8\n"
        b"/subscribe 09:00 montag\n/subscribe 09:00 UTC mon-\n/subscribe 09:00 UTC mon-fri extra\n"
        b"/answer some text\n/edit\n/quiz-answer\n/post now\n/frobnicate\n/status\n"
    )
    out = flat(console(db, script).stdout)
    assert out.count("A command goes right after the '/', like /status.") == 2
    assert "'99999999999d' is far too long a duration." in out
    assert "/advance moves at most 31d at a time (got '9999999d')." in out
    assert "That line is not valid UTF-8 text, so it was not read and nothing was recorded." in out
    assert "Unknown day 'montag'. Days look like 'mon-fri', 'mon,wed,fri'" in out
    assert "Unknown day 'mon-'." in out and "Unknown day 'extra'." in out
    assert "/answer takes no text" in out
    assert "Usage: /edit TEXT" in out and "Usage: /quiz-answer TEXT" in out
    assert "Usage: /post" in out and "Unknown command '/frobnicate'" in out
    assert "Open round: What is" in out, "the console is still there after all of it"
    assert out.rstrip().endswith("Bye! Your streaks are saved.")
    assert dump(db) == before


def test_control_characters_never_reach_an_answer(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    console(db, "hello\x0c wor\x1b[Ald\tagain\x07\n")
    assert rows(db, "SELECT text FROM messages") == [("hello world again",)]


def test_after_quiz_a_typed_line_still_answers_the_daily_question(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    # A quiz left open from the day before, then Monday's round: lines go to the thread.
    script = "/quiz\n/advance 3d\n/advance 2h\nmonday answer\n/quiz-answer for the quiz\n/answer\n"
    out = flat(console(db, script).stdout)
    assert "✓ Alice's answer is in." in out
    assert "(That went to the daily question. Your quiz: /quiz-answer TEXT.)" in out
    assert "✓ Noted for your quiz (“What is" in out
    assert "Your answer covered" in out, "the quiz's answer is graded at /answer"
    answered = rows(
        db, "SELECT r.local_date, m.text FROM messages m JOIN rounds r ON r.id = m.round_id"
    )
    assert answered == [("2026-12-07", "monday answer")]
    assert len(rows(db, "SELECT * FROM answers")) == 1


def test_edit_delete_and_a_late_answer(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    out = flat(console(db, "first\nsecond\n/edit the whole answer\n").stdout)
    assert "✓ Alice's answer is replaced." in out
    assert rows(db, "SELECT text FROM messages WHERE deleted_at IS NULL") == [("the whole answer",)]
    out = flat(console(db, "/delete\n").stdout)
    assert "✓ Alice's answer is deleted: it no longer counts for this round." in out
    assert rows(db, "SELECT * FROM answers") == []
    out = flat(console(db, "/reveal\nafter the reveal\n").stdout)
    assert "Nobody answered this time." in out
    assert "already revealed: kept as a late answer, no streak credit." in out
    assert rows(db, "SELECT text, late FROM messages WHERE deleted_at IS NULL") == [
        ("after the reveal", 1)
    ]
    assert rows(db, "SELECT * FROM answers") == []


def channels(db: Path) -> list[dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), "channels", "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_subscribe_with_packs_and_reveal_then_pause_and_resume(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    out = flat(console(db, "/subscribe 10:00 UTC mon,wed packs=beta reveal=2h\n").stdout)
    assert "Subscribed: 10:00 UTC, Mon, Wed, reveal after 2h. Packs: beta." in out
    (channel,) = channels(db)
    assert (channel["days"], channel["packs"], channel["reveal_after"]) == ([0, 2], ["beta"], "2h")
    out = flat(console(db, "/pause\n/status\n/post\n").stdout)
    assert "Paused: no daily questions until /resume." in out
    assert "(paused: /resume starts it again)" in out
    assert "The daily question is paused: /resume first." in out
    assert channels(db)[0]["active"] is False
    out = flat(console(db, "/resume\n").stdout)
    assert "Resumed: 10:00 UTC, Mon, Wed, reveal after 2h." in out
    assert channels(db)[0]["active"] is True and channels(db)[0]["packs"] == ["beta"]


def test_wording_of_post_and_status(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    out = flat(console(db, "/post\n/status\n").stdout)
    assert "Today's round is already posted. /reveal closes it. The next question comes Mon" in out
    assert "(reveals Fri 04 Dec 16:00)" in out and "(revealed" not in out


def test_post_on_a_day_off_asks_first(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    saturday = ("--clock", "manual", "--start", "2026-12-05T08:00", "--timezone", "UTC")
    console(db, "/reveal\n/advance 1d\n")  # Friday's round, revealed; then it is Saturday
    before = dump(db)
    out = flat(console(db, "/post\n/status\n", *saturday).stdout)
    assert "Today (Saturday) is not a posting day (Mon–Fri)." in out
    assert "Type /post again (or /post --confirm) to post it anyway." in out
    assert dump(db) == before, "the warning alone posts nothing"
    out = flat(console(db, "/post\n/post\n", *saturday).stdout)
    assert out.count("Question of the day") == 1
    assert len(rows(db, "SELECT * FROM rounds")) == 2


def test_moving_west_posts_no_second_question(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    berlin = ("--clock", "manual", "--start", "2026-12-04T08:00", "--timezone", "Europe/Berlin")
    out = flat(
        console(db, "/subscribe 09:00 America/Los_Angeles\n/post\n/status\n", *berlin).stdout
    )
    assert "Today's round is already posted." in out
    assert len(rows(db, "SELECT * FROM rounds")) == 1


def test_a_manual_clock_demo_gets_its_own_database(tmp_path: Path) -> None:
    out = flat(console(None, "hello\n", cwd=tmp_path).stdout)
    assert "a fresh demo database, gone when you quit (--db FILE keeps one)" in out
    assert not (tmp_path / "data").exists()


def test_names_with_emoji_keep_the_leaderboard_aligned(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    script = "mine\n/user 🔥 Zoë\nhers\n/user 名前がとても長い人の名前です\nlong\n/reveal\n/leaderboard\n"
    out = console(db, script).stdout
    board = out[out.index("Leaderboard by current streak") :].splitlines()[1:5]
    from bot.adapters.console.render import columns

    assert len({columns(line) for line in board}) == 1, board
    assert any("…" in line for line in board)


def test_suggest_review_and_a_post_with_credit(tmp_path: Path) -> None:
    """Questions from the team at the console: suggest, receipt, queue, approve, reject, credit."""
    db = tmp_path / "bot.db"
    out = console(db, "\n".join([
        "/subscribe 09:00 UTC packs=community",
        "/suggest What is alpha one?",
        "/suggest Tell us about your worst outage.",
        "/suggest Why do bloom filters never miss? | Bits stay set. | a point; b point",
        "/user Bob",
        "/suggest What is a vector clock?",
        "/suggestions",
        "/approve 1",
        "/approve 1",
        "/reject 2 too vague",
        "/advance 3d",
        "/advance 2h",
    ]) + "\n")  # fmt: skip
    text = flat(out.stdout)
    assert "nearly the same as one already here" in text and "What is alpha-one?" in text
    assert "Your suggestion #1 (“Tell us about your worst outage.”) is waiting" in text
    assert "give 3 to 6 key points" in text
    assert "#1 Alice: Tell us about your worst outage. (no reference answer)" in text
    assert "#2 Bob: What is a vector clock?" in text
    assert "Approved by Bob: it joins the community pack." in text
    assert "Suggestion #1 was already approved by Bob." in text
    assert "Rejected by Bob. Reason: too vague" in text
    assert "(to Bob) ❌ Your suggested question “What is a vector clock?” was not approved." in text
    assert "(to Alice) ✅ Your suggested question" in text
    assert "suggested by Alice" in text and "(to Alice) 📣" in text
