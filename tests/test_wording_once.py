"""No sentence the bot says to a person is written in more than one file (issue 12).

A sentence is a string literal (or an f-string's fixed text) of four or more words in
bot/adapters or bot/present; docstrings and log messages are not said to anyone.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).parent.parent / "bot"
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")  # two letters or more: not a strftime code
LOGGERS = {"log", "logger", "logging"}


def _not_said(tree: ast.AST) -> set[int]:
    """Nodes that are docstrings, log calls' arguments, or parts of an f-string."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            skipped.add(id(first.value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id in LOGGERS:
                skipped.update(id(sub) for sub in ast.walk(node))
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(value) for value in node.values)
    return skipped


def sentences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _not_said(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            literal = node.value
        elif isinstance(node, ast.JoinedStr):
            literal = "".join(
                str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values
            )
        else:
            continue
        if len(WORD.findall(literal)) >= 4:
            found.append(" ".join(literal.split()))
    return found


def test_no_sentence_is_written_in_two_files() -> None:
    where: dict[str, set[str]] = defaultdict(set)
    for folder in ("adapters", "present"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for sentence in sentences(path):
                where[sentence].add(str(path.relative_to(ROOT.parent)))
    twice = {sentence: sorted(files) for sentence, files in where.items() if len(files) > 1}
    assert not twice, "\n".join(f"{s!r} in {' and '.join(f)}" for s, f in twice.items())


def test_the_scan_finds_a_duplicate(tmp_path: Path) -> None:
    """The scan itself: a sentence in a string counts, in a docstring or a log call not."""
    source = (
        '"""Docstrings are for readers of the code."""\n'
        "import logging\nlog = logging.getLogger(__name__)\n"
        'REPLY = "Your answer is in, thank you."\n'
        'log.info("this is only for the log file")\n'
        'def f(n: int) -> str:\n    return f"You have {n} reviews due today."\n'
    )
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    assert sentences(path) == ["Your answer is in, thank you.", "You have {} reviews due today."]
