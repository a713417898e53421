"""The console: private feedback comes after the reveal (through the outbox), and `/review`
shows the feedback on the last graded answer."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_session import FRIDAY, console, flat


def test_feedback_after_the_reveal_and_the_last_feedback_in_review(tmp_path: Path) -> None:
    script = "/feedback on\nThe first point about it, and more words.\n/reveal\n/review\n"
    out = flat(console(tmp_path / "bot.db", script, *FRIDAY).stdout)
    _, after = out.split("Answered by 1: Alice", 1)
    assert "Just for Alice: Your answer covered 1 of 3 key points." in after
    assert "Your last feedback: What is beta-one? — Fri 04 Dec 08:00. Your answer covered 1 of 3 key points. Suggested rating: hard." in after  # fmt: skip
    last = after.split("Your last feedback:", 1)[1]
    assert "✅ The first point about beta-one is stated." in last
    assert "❌ Missed: The second point about beta-one is stated." in last
