"""A library's entries as one JSON document, and back: moving a team's work between
databases (a laptop's SQLite file and the hosted PostgreSQL), or keeping a copy.

Export writes everything an entry is: its versions (scenario, results, the zone file they
were saved on), annotations, owner and times. Import reads such a document as untrusted:
every field is checked by the rules a save applies, ids are kept where they are free (so
links made on the other database open here) and made anew where they are taken; an import
that fails anywhere writes nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from planner.library import ids
from planner.library.errors import LibraryError
from planner.library.limits import KEY_LENGTH, NAME_LENGTH, OWNER_LENGTH
from planner.library.store import MAX_RESULTS_BYTES, Library
from planner.library.tables import entries, entry_notes, versions, zone_files
from planner.library.texts import clean, folded
from planner.links import MAX_FILE_BYTES
from planner.versions import DATA_VERSION_PATTERN, MODEL_VERSION_PATTERN
from planner.zonefile import MAX_BYTES as MAX_ZONE_BYTES

_KEY = re.compile(r"[a-z0-9_]{1,64}")
_APP_VERSION = re.compile(r"[0-9A-Za-z.+_-]{1,32}")
FORMAT = "technopolis-planner/library"
VERSION = 1
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


def _moment(value: datetime.datetime) -> str:
    return value.isoformat()


def export(library: Library, entry_ids: Sequence[str] | None = None) -> str:
    """The entries (all, archived included, when `entry_ids` is None) as a JSON document."""

    def read(connection: Connection) -> list[dict[str, Any]]:
        query = select(entries).order_by(entries.c.created_at, entries.c.id)
        if entry_ids is not None:
            query = query.where(entries.c.id.in_(list(entry_ids)))
        documents = []
        for entry in connection.execute(query):
            rows = connection.execute(
                select(versions, zone_files.c.name.label("zone_name"), zone_files.c.content)
                .outerjoin(zone_files, zone_files.c.sha256 == versions.c.zone_file)
                .where(versions.c.entry_id == entry.id)
                .order_by(versions.c.number)
            )
            notes = connection.execute(
                select(entry_notes).where(entry_notes.c.entry_id == entry.id).order_by(entry_notes.c.id)
            )
            documents.append(
                {
                    "id": entry.id,
                    "name": entry.name,
                    "author": entry.author,
                    "owner": entry.owner,
                    "archived": bool(entry.archived),
                    "created_at": _moment(entry.created_at),
                    "versions": [_version_document(row) for row in rows],
                    "annotations": [
                        {"author": a.author, "created_at": _moment(a.created_at), "text": a.text} for a in notes
                    ],
                }
            )
        return documents

    found = library.run(read, write=False)
    if entry_ids is not None and len(found) != len(set(entry_ids)):
        raise LibraryError("library_not_found")
    return json.dumps({"format": FORMAT, "version": VERSION, "entries": found}, ensure_ascii=False, indent=1)


def _version_document(row: Any) -> dict[str, Any]:
    zone_file = None
    if row.zone_file is not None:
        zone_file = {"name": row.zone_name, "content": base64.b64encode(bytes(row.content)).decode("ascii")}
    return {
        "id": row.id,
        "number": row.number,
        "author": row.author,
        "owner": row.owner,
        "created_at": _moment(row.created_at),
        "note": row.note,
        "zone": row.zone,
        "preset": row.preset,
        "data_version": row.data_version,
        "model_version": row.model_version,
        "app_version": row.app_version,
        "scenario": row.scenario,
        "results": row.results,
        "zone_file": zone_file,
    }


# -- import ---------------------------------------------------------------------------------------


def _bad(where: str) -> LibraryError:
    return LibraryError("library_import_bad", where=where)


def _field(record: dict[str, Any], key: str, where: str, limit: int, pattern: re.Pattern[str] | None = None) -> str:
    """A machine field (an id, a key, a version, a stored document): text within `limit`,
    with no control character or lone surrogate, of `pattern`'s shape where it has one."""
    value = record.get(key)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise _bad(f"{where}.{key}")
    if any((ord(c) < 32 and c not in "\n\t\r") or 0xD800 <= ord(c) <= 0xDFFF or c == "\x7f" for c in value):
        raise _bad(f"{where}.{key}")
    if pattern is not None and not pattern.fullmatch(value):
        raise _bad(f"{where}.{key}")
    return value


def _time(record: dict[str, Any], where: str) -> datetime.datetime:
    value = _field(record, "created_at", where, 40)
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise _bad(f"{where}.created_at") from None
    # Stored in UTC: SQLite keeps the wall time and drops the offset.
    return moment.astimezone(datetime.UTC) if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


def _text(record: dict[str, Any], key: str, field: str, where: str, required: bool = True) -> str:
    try:
        return clean(record.get(key), field, required)
    except LibraryError as error:
        raise LibraryError("library_import_field", where=f"{where}.{key}", reason=error.message("en")) from None


def _zone_file(raw: object, where: str) -> tuple[str, bytes] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("content"), str):
        raise _bad(f"{where}.zone_file")
    if len(raw["content"]) > (MAX_ZONE_BYTES * 4) // 3 + 4:
        raise _bad(f"{where}.zone_file")
    try:
        content = base64.b64decode(raw["content"], validate=True)
    except (binascii.Error, ValueError):
        raise _bad(f"{where}.zone_file") from None
    return _text(raw, "name", "name", f"{where}.zone_file"), content


def _free(connection: Connection, table: Any, wanted: object, taken: set[str]) -> str:
    """The document's id if no row holds it yet, otherwise a new one."""
    if ids.is_id(wanted) and wanted not in taken:
        assert isinstance(wanted, str)
        if connection.scalar(select(func.count()).select_from(table).where(table.c.id == wanted)) == 0:
            taken.add(wanted)
            return wanted
    fresh = ids.new_id()
    taken.add(fresh)
    return fresh


def load(content: bytes | str) -> list[dict[str, Any]]:
    """The document's entries, checked for shape (the fields themselves are checked on import)."""
    size = len(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    if size > MAX_DOCUMENT_BYTES:
        raise LibraryError("library_import_big", limit=MAX_DOCUMENT_BYTES // (1024 * 1024))
    try:
        raw = json.loads(content)
    except (ValueError, RecursionError):
        raise _bad("(the document is not JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise _bad("format")
    found = raw.get("entries")
    if not isinstance(found, list) or not all(isinstance(e, dict) for e in found):
        raise _bad("entries")
    return found


def import_entries(library: Library, content: bytes | str) -> dict[str, str]:
    """Add the document's entries; returns each version's id in the document → its id here."""
    documents = load(content)

    def write(connection: Connection) -> dict[str, str]:
        mapping: dict[str, str] = {}
        taken: set[str] = set()
        owners: set[str] = set()
        for index, document in enumerate(documents):
            where = f"entries[{index}]"
            owner = _field(document, "owner", where, OWNER_LENGTH)
            owners.add(owner)
            _import_entry(library, connection, document, where, owner, mapping, taken)
        for owner in owners:  # the per-author limit holds for imported entries too
            owned = connection.scalar(select(func.count()).select_from(entries).where(entries.c.owner == owner)) or 0
            if owned > library.limits.entries_per_owner:
                raise LibraryError("library_too_many", limit=library.limits.entries_per_owner)
        return mapping

    try:
        return library.run(write)
    except IntegrityError:  # a name its owner already has here
        raise LibraryError("library_import_taken") from None


def _import_entry(
    library: Library,
    connection: Connection,
    document: dict[str, Any],
    where: str,
    owner: str,
    mapping: dict[str, str],
    taken: set[str],
) -> None:
    name = _text(document, "name", "name", where)
    author = _text(document, "author", "author", where)
    created = _time(document, where)
    records = document.get("versions")
    if not isinstance(records, list) or not records or not all(isinstance(r, dict) for r in records):
        raise _bad(f"{where}.versions")
    if len(records) > library.limits.versions_per_entry:
        raise LibraryError("library_too_many_versions", limit=library.limits.versions_per_entry)
    notes = document.get("annotations", [])
    if len(notes) > library.limits.annotations_per_entry if isinstance(notes, list) else True:
        raise _bad(f"{where}.annotations")
    if not all(isinstance(n, dict) for n in notes):
        raise _bad(f"{where}.annotations")
    entry_id = _free(connection, entries, document.get("id"), taken)
    rows = []
    for number, record in enumerate(records, start=1):
        at = f"{where}.versions[{number - 1}]"
        scenario = _field(record, "scenario", at, MAX_FILE_BYTES)
        results = _field(record, "results", at, MAX_RESULTS_BYTES)
        zone_file = _zone_file(record.get("zone_file"), at)
        sha = None
        if zone_file is not None:
            sha = hashlib.sha256(zone_file[1]).hexdigest()
            if connection.scalar(select(func.count()).select_from(zone_files).where(zone_files.c.sha256 == sha)) == 0:
                connection.execute(
                    zone_files.insert().values(sha256=sha, name=zone_file[0], content=zone_file[1], created_at=created)
                )
        version_id = _free(connection, versions, record.get("id"), taken)
        mapping[str(record.get("id"))] = version_id
        rows.append(
            {
                "id": version_id,
                "entry_id": entry_id,
                "number": number,
                "author": _text(record, "author", "author", at),
                "owner": _field(record, "owner", at, OWNER_LENGTH),
                "created_at": _time(record, at),
                "note": _text(record, "note", "note", at, required=False),
                "zone": _field(record, "zone", at, KEY_LENGTH, _KEY),
                "preset": _field(record, "preset", at, KEY_LENGTH, _KEY),
                "data_version": _field(record, "data_version", at, 64, DATA_VERSION_PATTERN),
                "model_version": _field(record, "model_version", at, 16, MODEL_VERSION_PATTERN),
                "app_version": _field(record, "app_version", at, 32, _APP_VERSION),
                "scenario": scenario,
                "results": results,
                "zone_file": sha,
            }
        )
    texts = [
        {
            "entry_id": entry_id,
            "author": _text(n, "author", "author", f"{where}.annotations[{i}]"),
            "created_at": _time(n, f"{where}.annotations[{i}]"),
            "text": _text(n, "text", "annotation", f"{where}.annotations[{i}]"),
        }
        for i, n in enumerate(notes)
    ]
    latest = rows[-1]
    connection.execute(
        entries.insert().values(
            id=entry_id,
            name=name,
            name_key=name.casefold()[:NAME_LENGTH],
            owner=owner,
            author=author,
            zone=latest["zone"],
            created_at=created,
            updated_at=latest["created_at"],
            version_count=len(rows),
            latest_version_id=latest["id"],
            archived=document.get("archived") is True,
            search_text=folded(name, author, *(str(r["note"]) for r in rows), *(str(t["text"]) for t in texts)),
        )
    )
    connection.execute(versions.insert(), rows)
    if texts:
        connection.execute(entry_notes.insert(), texts)
