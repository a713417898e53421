"""The layers, checked on the imports themselves: the core owns the store's interface."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"


def _imports(folder: Path) -> dict[str, set[str]]:
    """Every module a package's files import (at any depth, also inside functions)."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(BOT.parent))] = names
    return found


def _reaching(folder: Path, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    return {
        path: sorted(n for n in names if n.startswith(forbidden))
        for path, names in _imports(folder).items()
        if any(n == f or n.startswith(f + ".") for n in names for f in forbidden)
    }


def test_the_core_imports_no_outer_layer() -> None:
    forbidden = ("bot.store", "bot.adapters", "bot.scheduler", "bot.ops")
    assert _reaching(BOT / "core", forbidden) == {}


def test_no_adapter_imports_the_store() -> None:
    assert _reaching(BOT / "adapters", ("bot.store",)) == {}


def test_the_checker_sees_imports() -> None:
    found = _imports(BOT / "store")
    assert any("bot.core.records" in names for names in found.values())
