"""An analyst's own list of a zone's projects, as rows: read through the zone schema (the
same rules as the data folder and the upload), written compactly into a link and in full
into a scenario file.

A link carries only what differs from the zone's own list — a project kept as it is by its
key, a changed or added one in full, a removed one not at all — as JSON, deflated and in
URL-safe base64: one project changed among eight takes a few hundred characters. Every read
is bounded before it is parsed (the text, the inflated bytes, the rows, each cell), and a
bad row is refused naming its row and column.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from collections.abc import Sequence

from planner.messages import message
from planner.scenario import shorten
from planner.schema import PROJECT_TABLE, SCHEMA, Builder, Cell, Entries, Figure, add
from planner.zone import DataError, Project, Zone

FIELDS = ("key", *(field.name for field in PROJECT_TABLE.fields), "source")
MAX_LINK_TEXT = 8_000  # characters of a link's `projects` value
MAX_INFLATED = 256 * 1024  # bytes once inflated: a deflate bomb stops here
MAX_CELL = 32_767  # characters of one cell: an Excel cell's, as the zone upload allows
# What a typed or linked cell may not hold: controls but tab and line breaks, the two
# non-characters U+FFFE and U+FFFF, and lone surrogates (no UTF-8 can carry them).
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
EDITED = "edited in the planner"  # the source of a number an analyst typed


def to_rows(projects: Sequence[Project]) -> list[list[str]]:
    """Each project as its fields' text, in FIELDS order (empty for a field not given)."""

    number = _number
    return [
        [
            p.key,
            p.name_ru,
            p.name_en,
            p.site,
            p.cluster,
            p.status,
            number(p.floor_area_m2),
            "" if p.first_year == p.year else str(p.first_year),
            str(p.year),
            "" if p.jobs is None else number(p.jobs),
            p.source,
        ]
        for p in projects
    ]


def from_rows(zone: Zone, rows: Sequence[Sequence[object]], where: str) -> tuple[Project, ...]:
    """Projects from rows of FIELDS, checked by the zone schema; a DataError names the row
    (counted from 1) and the column."""
    if len(rows) > 500:
        raise DataError(where, message("data_too_many_projects", count=Figure(len(rows)), limit=500))
    entries: Entries = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, (list, tuple)) or len(row) != len(FIELDS):
            wording = message("data_project_row", count=len(FIELDS), fields=", ".join(FIELDS))
            raise DataError(where, wording, number)
        cells = [_text(value, where, number, field) for value, field in zip(row, FIELDS, strict=True)]
        key, source = cells[0], cells[-1] or EDITED
        for field, value in zip(FIELDS[1:-1], cells[1:-1], strict=True):
            if value == "" and not PROJECT_TABLE.field(field).required:
                continue
            add(entries, PROJECT_TABLE, key, field, Cell(value, source, where, number, field), "key")
    builder = Builder(zone.key, entries, {table.name: where for table in SCHEMA})
    return builder.projects(zone.clusters)


def _text(value: object, where: str, row: int, field: str) -> str:
    if value is None:  # an empty cell
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise DataError(where, message("data_not_text"), row, field)
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError(where, message("data_not_finite"), row, field)
    text = (_number(value) if isinstance(value, float) else str(value)).strip()
    if len(text) > MAX_CELL:
        raise DataError(where, message("data_too_long", length=Figure(len(text)), limit=Figure(MAX_CELL)), row, field)
    bad = REFUSED.search(text)
    if bad:
        raise DataError(where, message("data_not_text_character", code=f"U+{ord(bad.group()):04X}"), row, field)
    return text


def _number(value: float) -> str:
    """The shortest text that reads back as exactly this number."""
    short = f"{value:.12g}"
    return short if float(short) == value else repr(value)


def encode(projects: Sequence[Project], base: Sequence[Project]) -> str:
    """The list for a link, against the zone's own `base`: JSON, deflated, URL-safe base64."""
    kept = set(base)
    items: list[object] = [p.key if p in kept else row for p, row in zip(projects, to_rows(projects), strict=True)]
    raw = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


def fits_a_link(projects: Sequence[Project], base: Sequence[Project], where: str) -> str:
    """The list's link text, or a DataError if it is longer than a link may carry: the app
    never writes a link it would refuse to read."""
    text = encode(projects, base)
    if len(text) > MAX_LINK_TEXT:
        raise DataError(where, message("data_link_too_long", length=Figure(len(text)), limit=Figure(MAX_LINK_TEXT)))
    return text


def decode(zone: Zone, text: str, where: str = "link projects") -> tuple[Project, ...]:
    """A link's `projects` value back to projects, a kept key standing for the zone's own
    project; a DataError says what is wrong."""
    if len(text) > MAX_LINK_TEXT:
        raise DataError(where, message("data_too_long", length=Figure(len(text)), limit=Figure(MAX_LINK_TEXT)))
    refused = DataError(where, message("data_not_our_projects", text=repr(shorten(text))))
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_INFLATED)
    except (binascii.Error, ValueError, zlib.error):
        raise refused from None
    if inflater.unconsumed_tail:  # more is left to inflate than a list of projects can be
        raise DataError(where, message("data_inflates", limit=Figure(MAX_INFLATED)))
    if not inflater.eof or inflater.unused_data:  # a cut stream, or bytes after it: not ours
        raise refused
    try:
        rows = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise refused from None
    if not isinstance(rows, list):
        raise DataError(where, message("data_not_projects"))
    own = {p.key: row for p, row in zip(zone.projects, to_rows(zone.projects), strict=True)}
    for number, item in enumerate(rows, start=1):
        if isinstance(item, str) and item not in own:
            raise DataError(where, message("data_not_a_project", name=repr(shorten(item))), number, "key")
    return from_rows(zone, [own[item] if isinstance(item, str) else item for item in rows], where)
