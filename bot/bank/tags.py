"""The tag vocabulary of a bank: the tags listed in its TAGS.md.

TAGS.md is Markdown: every line like ``- `tag`: what it means`` lists one tag, and everything
else (headings, prose) is ignored, so tags are added by appending lines under a heading. A bank
folder without TAGS.md has no vocabulary, and its questions may use any lowercase tag.
"""

from __future__ import annotations

import re
from pathlib import Path

TAGS_FILE = "TAGS.md"
TAG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTRY = re.compile(r"^\s*[-*]\s+`([^`]*)`")


class Vocabulary:
    """The tags a bank allows, and where they are listed."""

    def __init__(self, path: Path, tags: frozenset[str]) -> None:
        self.path = path
        self.tags = tags

    def __contains__(self, tag: object) -> bool:
        return tag in self.tags

    def reference(self) -> str:
        """How a message points at the file: the bank folder's name and TAGS.md."""
        return f"{self.path.parent.name}/{self.path.name}"


def read_vocabulary(root: Path) -> tuple[Vocabulary | None, list[tuple[int, str]]]:
    """The vocabulary in `root`/TAGS.md (None without one), and its problems as (line, message)."""
    path = root / TAGS_FILE
    if not path.is_file():
        return None, []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _ENTRY.match(line)
        if match is None:
            continue
        tag = match.group(1)
        if not TAG.fullmatch(tag):
            problems.append((number, f"tag '{tag}' must be lowercase words joined by '-'"))
        elif tag in seen:
            problems.append((number, f"tag '{tag}' is listed twice (also on line {seen[tag]})"))
        else:
            seen[tag] = number
    if not seen and not problems:
        problems.append((1, "TAGS.md lists no tags (lines like '- `tag`: meaning')"))
    return Vocabulary(path, frozenset(seen)), problems
