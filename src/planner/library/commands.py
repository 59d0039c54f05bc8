"""`planner library …`: the team library from the command line, on the same database the app
uses ($PLANNER_LIBRARY_URL, or --url). Output is plain text or JSON; every refusal is one
line, as for every other command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from planner.files import UnreadableFile, read_bounded
from planner.library import transfer
from planner.library.engine import library_url, make_engine, migrate, shown_url
from planner.library.errors import LibraryError
from planner.library.records import Entry, VersionHead
from planner.library.store import MAX_PAGE, Library


def add_parser(commands: Any) -> None:
    library = commands.add_parser("library", help="the team's scenario library: list, show, export, import")
    library.add_argument(
        "--url", default=None, help="the library's database URL (default: $PLANNER_LIBRARY_URL or the file)"
    )
    actions = library.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="entries, newest first")
    listing.add_argument("--search", default="", help="words in a name, author or note, in any case")
    listing.add_argument("--zone", default=None, help="only entries of this zone")
    listing.add_argument("--archived", action="store_true", help="the archived entries instead")
    listing.add_argument("--limit", type=int, default=50, help=f"at most this many (up to {MAX_PAGE})")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    show = actions.add_parser("show", help="one entry and its versions, or one version and its scenario")
    show.add_argument("id", help="an entry's id or a version's id (the s= of a short link)")
    show.add_argument("--format", choices=("table", "json"), default="table")
    export = actions.add_parser("export", help="entries as one JSON file, to move or keep them")
    export.add_argument("--entry", action="append", default=None, metavar="ID", help="only this entry (repeatable)")
    export.add_argument("--output", type=Path, default=None, help="write to this file (default: stdout)")
    load = actions.add_parser("import", help="add the entries of an exported file")
    load.add_argument("file", type=Path)
    actions.add_parser("migrate", help="bring the database's schema to this version's (the app does it on start too)")


def _entry_dict(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "name": entry.name,
        "author": entry.author,
        "zone": entry.zone,
        "versions": entry.version_count,
        "latest_version": entry.latest_version_id,
        "updated_at": entry.updated_at.isoformat(),
        "archived": entry.archived,
    }


def _head_dict(head: VersionHead) -> dict[str, Any]:
    return {
        "id": head.id,
        "number": head.number,
        "author": head.author,
        "created_at": head.created_at.isoformat(),
        "note": head.note,
        "zone": head.zone,
        "preset": head.preset,
        "data_version": head.data_version,
        "model_version": head.model_version,
        "app_version": head.app_version,
    }


def _one_line(value: str) -> str:
    """A stored text in a table cell: never more than one line, never a terminal control."""
    return "".join(c if c.isprintable() else " " for c in value)


def _printable(value: str) -> str:
    """A stored document for a terminal: its lines kept, every other control character shown as a space."""
    return "\n".join(_one_line(line) for line in value.split("\n"))


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    cells = [[_one_line(str(row[c])) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> str:
    url = args.url or library_url()  # a URL given on the command line wins over the environment's
    if args.action == "migrate":
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        return f"the library at {shown_url(url)} is at the newest schema"
    library = Library.open(url)
    if args.action == "list":
        page = library.entries(args.search, args.zone, archived=args.archived, limit=args.limit)
        rows = [_entry_dict(e) for e in page.entries]
        if args.format == "json":
            return json.dumps({"total": page.total, "entries": rows}, ensure_ascii=False, indent=2)
        columns = ("id", "name", "author", "zone", "versions", "updated_at", "latest_version")
        return _table(rows, columns) + f"\n{len(rows)} of {page.total} entries"
    if args.action == "show":
        return _show(library, args.id, args.format)
    if args.action == "export":
        return transfer.export(library, args.entry)
    try:
        content = read_bounded(args.file, transfer.MAX_DOCUMENT_BYTES)
    except UnreadableFile as error:
        raise LibraryError("library_import_unreadable", reason=str(error)) from None
    mapping = transfer.import_entries(library, content)
    moved = sum(1 for old, new in mapping.items() if old != new)
    return f"imported {len(mapping)} versions; {moved} got a new id because theirs was taken here"


def _show(library: Library, some_id: str, form: str) -> str:
    try:
        version = library.version(some_id)
    except LibraryError:
        entry = library.entry(some_id)  # not a version: an entry, or not found at all
        heads = library.versions(entry.id)
        if form == "json":
            return json.dumps(
                {**_entry_dict(entry), "versions": [_head_dict(h) for h in heads]}, ensure_ascii=False, indent=2
            )
        columns = ("id", "number", "author", "created_at", "data_version", "model_version", "note")
        rows = [{**_head_dict(h), "data_version": h.data_version[:8]} for h in heads]
        return f"{_one_line(entry.name)} — {_one_line(entry.author)}\n" + _table(rows, columns)
    try:
        scenario: object = json.loads(version.scenario)
    except (ValueError, RecursionError):  # a row edited by hand: shown as the text it is
        scenario = version.scenario
    document = {**_head_dict(version.head), "entry": version.entry_name, "scenario": scenario}
    if form == "json":
        return json.dumps(document, ensure_ascii=False, indent=2)
    head = version.head
    saved = f"version {head.number} by {_one_line(head.author)}, {head.created_at.isoformat()}"
    return (
        f"{_one_line(version.entry_name)}, {saved}\n"
        f"data {_one_line(head.data_version[:8])}, model {_one_line(head.model_version)}, "
        f"app {_one_line(head.app_version)}\n"
        f"note: {_one_line(head.note)}\n" + _printable(version.scenario)
    )
