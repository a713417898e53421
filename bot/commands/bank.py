"""The question bank's commands: `questions validate|list|stats`, the team's questions
(`questions export|import --space KEY DIR`) and `suggestions list [--space KEY] [--json]`."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from pathlib import Path

from bot.bank.export import write_pack
from bot.bank.loader import load_bank
from bot.bank.models import Bank, Pack
from bot.clock import SystemClock
from bot.core.engine import Engine
from bot.core.records import SuggestionStatus
from bot.errors import InputError
from bot.ops.settings import Settings
from bot.store import SqliteStore

Command = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]", str, str],
                   argparse.ArgumentParser]  # fmt: skip
SPACE_HELP = "the space: platform:id, e.g. slack:T0123, discord:4567, console:local"


def add_question_commands(group: argparse._SubParsersAction[argparse.ArgumentParser],
                          command: Command) -> None:  # fmt: skip
    export = command(group, "export", "write a space's community pack as a Markdown pack")
    export.add_argument("--space", required=True, help=SPACE_HELP)
    export.add_argument("dir", type=Path, help="the folder to write (a bank folder)")
    load = command(group, "import", "load a Markdown pack into a space's community pack")
    load.add_argument("--space", required=True, help=SPACE_HELP)
    load.add_argument("dir", type=Path, help="a bank folder, e.g. one `questions export` wrote")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                 command: Command) -> None:  # fmt: skip
    suggestions = command(commands, "suggestions", "questions suggested by members")
    actions = suggestions.add_subparsers(dest="suggestions_command", metavar="ACTION",
                                         required=True)  # fmt: skip
    listing = command(actions, "list", "every suggestion, pending ones first")
    listing.add_argument("--space", help=SPACE_HELP)
    listing.add_argument("--status", choices=[s.value for s in SuggestionStatus])
    listing.add_argument("--json", action="store_true", help="machine-readable output")


def parse_space(text: str) -> tuple[str, str]:
    platform, _, space_id = text.strip().partition(":")
    if not platform or not space_id or ":" in space_id:
        raise InputError(f"A space looks like 'platform:id', e.g. slack:T0123 (got '{text}').")
    return platform, space_id


def run_questions(args: argparse.Namespace, settings: Settings) -> int:
    if args.questions_command in ("export", "import"):
        return _exchange(args, settings)
    if args.questions_command == "validate":
        bank = load_bank(args.path or settings.questions_dir)
        counts = ", ".join(f"{p.name} {len(p.questions)}" for p in bank.packs)
        print(f"OK: {len(bank)} questions in {len(bank.packs)} packs ({counts})")
        return 0
    if args.questions_command == "stats":
        from bot.bank import stats

        summary = stats.bank_stats(load_bank(args.path or settings.questions_dir))
        print(json.dumps(stats.as_json(summary), indent=2) if args.json else stats.render(summary))
        return 0
    bank = load_bank(settings.questions_dir)
    if args.pack and bank.pack(args.pack) is None:
        raise InputError(f"Unknown pack '{args.pack}'. Packs: {', '.join(bank.pack_names)}.")
    for question in bank.questions([args.pack] if args.pack else None):
        first_line = question.text.splitlines()[0]
        print(f"{question.id:<40} {question.difficulty:<7} {first_line}")
    return 0


def _exchange(args: argparse.Namespace, settings: Settings) -> int:
    """`questions export|import`: a space's community pack, to or from a Markdown pack."""
    space, folder = parse_space(args.space), args.dir
    if args.questions_command == "export":
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{folder} is a file: give a folder to write the pack in.")
        pack = asyncio.run(_community(space, settings.db_path))
        if not pack.questions:
            raise InputError(f"The space {':'.join(space)} has no approved questions to export.")
        written = write_pack(pack, folder)
        print(f"Wrote {len(pack.questions)} questions to {written} "
              f"(check it with `practicebot questions validate {folder}`)")  # fmt: skip
        return 0
    pack_bank = load_bank(folder)  # BankError lists every problem; nothing is stored
    return asyncio.run(_import(space, pack_bank, load_bank(settings.questions_dir), settings))


async def _community(space: tuple[str, str], db_path: Path) -> Pack:
    async with await SqliteStore.open(db_path, read_only=True) as store:
        return await Engine(store, Bank(()), SystemClock()).community_pack(space)


async def _import(space: tuple[str, str], pack_bank: Bank, bank: Bank, settings: Settings) -> int:
    async with await SqliteStore.open(settings.db_path) as store:
        engine = Engine(store, bank, SystemClock())
        added = skipped = 0
        for pack in pack_bank.packs:
            records = await engine.import_community(space, pack, by="import")
            added += len(records)
            skipped += len(pack.questions) - len(records)
    note = f" ({skipped} near-duplicates of questions already there were skipped)" if skipped else ""
    print(f"Imported {added} questions into the community pack of {':'.join(space)}{note}.")
    return 0


def run_suggestions(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_list(args, settings.db_path))


async def _list(args: argparse.Namespace, db_path: Path) -> int:
    space = parse_space(args.space) if args.space else None
    status = SuggestionStatus(args.status) if args.status else None
    async with await SqliteStore.open(db_path, read_only=True) as store:
        records = await Engine(store, Bank(()), SystemClock()).suggestions(space, status)
    order = {SuggestionStatus.PENDING: 0, SuggestionStatus.APPROVED: 1, SuggestionStatus.REJECTED: 2}
    records.sort(key=lambda r: (order[r.status], r.id))
    if args.json:
        rows = [
            {"id": r.id, "space": f"{r.platform}:{r.space_id}", "status": r.status.value,
             "author": r.author_name, "author_id": r.author_id, "question": r.fields.text,
             "answer": r.fields.answer or None, "key_points": list(r.fields.key_points),
             "pack": r.fields.pack, "difficulty": r.fields.difficulty,
             "created_at": r.created_at.isoformat(), "decided_by": r.decided_by_name,
             "reason": r.reason}
            for r in records
        ]  # fmt: skip
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not records:
        print("No suggestions yet.")
    for r in records:
        first = r.fields.text.strip().splitlines()[0][:70]
        print(f"#{r.id:<5} {r.status.value:<9} {r.platform}:{r.space_id:<20} "
              f"{r.author_name:<16} {first}")  # fmt: skip
    return 0
