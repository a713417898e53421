"""Load the question bank from disk and validate every file.

Every problem found is reported as ``path:line: message``, all at once, so an author can fix a
whole pack in one pass. Across the whole bank, ids must be unique and no two question texts may be
near-duplicates (bot/bank/duplicates.py); when the bank folder has a TAGS.md, every tag must be
listed in it (bot/bank/tags.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import yaml

from bot.bank.duplicates import near_duplicates, text_line
from bot.bank.models import DIFFICULTIES, Bank, Difficulty, Pack, Question
from bot.bank.tags import Vocabulary, read_vocabulary
from bot.errors import OperatorError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ANSWER_HEADING = re.compile(r"^## Answer[ \t]*$", re.MULTILINE)
FIELDS = {"id", "difficulty", "tags", "key_points", "further_reading"}
# A community pack (`community: true` in pack.yaml: a team's own questions, e.g. exported from
# the bot) needs only these; a question may have no reference answer (then no key points), and
# may credit its author.
COMMUNITY_REQUIRED = {"id", "difficulty"}
COMMUNITY_FIELDS = FIELDS | {"suggested_by"}
KEY_POINTS_RANGE = (3, 6)
READING_RANGE = (1, 3)
MAX_QUESTION_CHARS = 3000


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class BankError(OperatorError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"The question bank has {count}:\n" + "\n".join(map(str, problems)))


class _FileReport:
    """Collects the problems of one file."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))


def load_bank(root: Path) -> Bank:
    """Read every pack under `root`; raise BankError listing every problem found."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise BankError([Problem(root, 1, "question bank folder not found")])
    vocabulary, vocabulary_problems = read_vocabulary(root)
    if vocabulary is not None:
        problems.extend(Problem(vocabulary.path, line, m) for line, m in vocabulary_problems)
    packs: list[Pack] = []
    seen: dict[str, Path] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        pack = _load_pack(folder, problems, vocabulary)
        if pack is None:
            continue
        for question in pack.questions:
            assert question.source is not None
            if question.id in seen:
                problems.append(
                    Problem(
                        question.source,
                        2,
                        f"duplicate id '{question.id}' (also in {seen[question.id]})",
                    )
                )
            else:
                seen[question.id] = question.source
        packs.append(pack)
    problems.extend(_near_duplicates(packs))
    if not problems and not seen:
        problems.append(
            Problem(root, 1, "no questions found: add a pack folder with Markdown files")
        )
    if problems:
        raise BankError(problems)
    return Bank(tuple(packs))


def _near_duplicates(packs: list[Pack]) -> list[Problem]:
    questions = [(q.source, q.text) for p in packs for q in p.questions if q.source is not None]
    return [
        Problem(
            pair.second,
            text_line(pair.second),
            f"question text is nearly the same as in {pair.first} (similarity {pair.score:.0f})",
        )
        for pair in near_duplicates(questions)
    ]


def _load_pack(folder: Path, problems: list[Problem], vocabulary: Vocabulary | None) -> Pack | None:
    meta_path = folder / "pack.yaml"
    report = _FileReport(meta_path, problems)
    if not SLUG.fullmatch(folder.name):
        _FileReport(folder, problems).add(1, "pack folder names are lowercase words joined by '-'")
    title = description = ""
    community = False
    if not meta_path.is_file():
        report.add(1, "missing pack.yaml (with 'title' and 'description')")
    else:
        meta = _parse_yaml(meta_path.read_text(encoding="utf-8"), 1, report)
        if isinstance(meta, dict):
            title = _required_text(meta, "title", report)
            description = _required_text(meta, "description", report)
            community = meta.get("community") is True
        elif meta is not None:
            report.add(1, "pack.yaml must be a mapping with 'title' and 'description'")
    questions = [
        q
        for path in sorted(folder.glob("*.md"))
        if path.name.lower() != "readme.md"
        for q in [_load_question(path, folder.name, problems, vocabulary, community)]
        if q is not None
    ]
    if not questions:
        report.add(1, f"pack '{folder.name}' has no questions")
    return Pack(folder.name, title, description, tuple(questions))


def _required_text(meta: dict[str, Any], key: str, report: _FileReport) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        report.add(1, f"'{key}' must be a non-empty string")
        return ""
    return value.strip()


# libyaml's parser (in PyYAML's wheels) is some twenty times faster than the pure-Python one:
# with 270 questions it is most of the start-up time. The same safe subset either way.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, first_line: int, report: _FileReport) -> Any:
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + (mark.line if mark is not None else 0)
        reason = getattr(error, "problem", None) or str(error)
        report.add(line, f"invalid YAML: {reason}")
        return None


def _key_lines(text: str, first_line: int) -> dict[str, int]:
    """The line of each top-level key, for pointing at the right place."""
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): first_line + key.start_mark.line
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def _load_question(
    path: Path, pack: str, problems: list[Problem], vocabulary: Vocabulary | None,
    community: bool = False,
) -> Question | None:  # fmt: skip
    report = _FileReport(path, problems)
    before = len(problems)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        report.add(1, "not UTF-8 text")
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        report.add(1, "must start with YAML front matter between '---' lines")
        return None
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
    if end is None:
        report.add(1, "front matter is not closed with '---'")
        return None
    front = "\n".join(lines[1:end])
    meta = _parse_yaml(front, 2, report)
    if meta is None and len(problems) > before:
        return None
    if not isinstance(meta, dict):
        report.add(2, "front matter must be a mapping of fields")
        return None
    where = _key_lines(front, 2)

    def line_of(key: str) -> int:
        return where.get(key, 2)

    allowed, required = (COMMUNITY_FIELDS, COMMUNITY_REQUIRED) if community else (FIELDS, FIELDS)
    for key in sorted(set(meta) - allowed):
        report.add(line_of(key), f"unknown field '{key}' (allowed: {', '.join(sorted(allowed))})")
    for key in sorted(required - set(meta)):
        report.add(2, f"missing field '{key}'")
    author = meta.get("suggested_by")
    if author is not None and (not isinstance(author, str) or not author.strip()):
        report.add(line_of("suggested_by"), "'suggested_by' must be a name")

    question_id = meta.get("id")
    if "id" in meta:
        if not isinstance(question_id, str) or not SLUG.fullmatch(question_id):
            report.add(line_of("id"), "'id' must be a slug: lowercase letters, digits and '-'")
        elif question_id != path.stem:
            report.add(
                line_of("id"), f"'id' is '{question_id}' but the file is named '{path.name}'"
            )

    difficulty = meta.get("difficulty")
    if "difficulty" in meta and difficulty not in DIFFICULTIES:
        report.add(line_of("difficulty"), f"'difficulty' must be one of {', '.join(DIFFICULTIES)}")

    least = 0 if community else 1  # a community pack's lists may be empty
    tags = _string_list(meta, "tags", (least, 10), report, line_of("tags"))
    for tag in tags:
        if tag != tag.lower():
            report.add(line_of("tags"), f"tag '{tag}' must be lowercase")
        elif vocabulary is not None and tag not in vocabulary:
            report.add(line_of("tags"), f"unknown tag '{tag}' (see {vocabulary.reference()})")
    points_range = (0, KEY_POINTS_RANGE[1]) if community else KEY_POINTS_RANGE
    key_points = _string_list(meta, "key_points", points_range, report, line_of("key_points"))
    reading = _string_list(
        meta, "further_reading", (least, READING_RANGE[1]), report, line_of("further_reading")
    )
    for url in reading:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or "." not in parsed.netloc or " " in url:
            report.add(line_of("further_reading"), f"'{url}' is not a well-formed http(s) URL")

    body_start = end + 2  # 1-based line of the first body line
    body = "\n".join(lines[end + 1 :])
    headings = list(ANSWER_HEADING.finditer(body))
    if len(headings) != 1:
        report.add(
            body_start, f"the body needs exactly one '## Answer' heading (found {len(headings)})"
        )
        return None
    question_text = body[: headings[0].start()].strip()
    answer = body[headings[0].end() :].strip()
    heading_line = body_start + body[: headings[0].start()].count("\n")
    if not question_text:
        report.add(body_start, "the question text before '## Answer' is empty")
    elif len(question_text) > MAX_QUESTION_CHARS:
        report.add(body_start, f"the question text is over {MAX_QUESTION_CHARS} characters")
    low, high = KEY_POINTS_RANGE
    if not answer and not community:
        report.add(heading_line, "the reference answer after '## Answer' is empty")
    elif not answer and key_points:
        report.add(line_of("key_points"), "key points need a reference answer after '## Answer'")
    elif community and answer and not low <= len(key_points) <= high:
        report.add(
            line_of("key_points"), f"'key_points' needs {low} to {high} items (has {len(key_points)})"
        )

    if len(problems) > before:
        return None
    return Question(
        id=cast(str, question_id),
        pack=pack,
        difficulty=cast(Difficulty, difficulty),
        tags=tuple(tags),
        key_points=tuple(key_points),
        further_reading=tuple(reading),
        text=question_text,
        answer=answer,
        source=path,
        suggested_by=author.strip() if isinstance(author, str) else None,
    )


def _string_list(
    meta: dict[str, Any], key: str, bounds: tuple[int, int], report: _FileReport, line: int
) -> list[str]:
    if key not in meta:
        return []
    value = meta[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        report.add(line, f"'{key}' must be a list of non-empty strings")
        return []
    low, high = bounds
    if not low <= len(value) <= high:
        report.add(line, f"'{key}' needs {low} to {high} items (has {len(value)})")
    return [v.strip() for v in value]
