"""A zone of one's own: one long-format CSV file in, a `Dataset` out, and the template back.

An analyst plans a zone that is not bundled (or an updated baseline of one that is) by
uploading one file with the columns `table,key,field,value,source`, described for analysts
in docs/zone-format.md. Rows are checked one at a time, so a refusal names the file's own
row (the header is row 1, counted as a spreadsheet counts them) and column; the checks that
need the whole file name the table instead. A parameter the file gives no default for is
derived from the file's goals and clusters, or taken from the bundled SEZ, and its source
says which.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import math
import re
from collections.abc import Iterator
from dataclasses import replace

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from planner.data import Dataset, Preset
from planner.export import EXCEL_CELL_LIMIT
from planner.goals import compound_growth_needed
from planner.messages import message
from planner.scenario import MIX_PREFIX, Param, Registry, build_registry, shorten
from planner.schema import (
    ACTUAL_TABLE,
    HORIZON_KEY,
    SCHEMA,
    TABLES,
    Builder,
    Cell,
    Entries,
    Figure,
    add,
)
from planner.zone import DataError, Sourced, Zone

COLUMNS = ("table", "key", "field", "value", "source")
MAX_BYTES = 256 * 1024
HORIZON = build_registry(())[HORIZON_KEY]


# --- reading the rows ----------------------------------------------------------------------


def _records(file: str, text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records numbered from 1; a quoted value spanning lines is still one row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    row = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise DataError(file, message("data_not_csv", error=str(error)), row) from None
        yield row, cells
        row += 1


def _decode(file: str, content: bytes) -> str:
    """The file as text; a byte that is not UTF-8 is reported at its row and column."""
    body = content.removeprefix(codecs.BOM_UTF8)  # a spreadsheet's "CSV UTF-8" starts with one
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        # The records before the bad byte, plus one character standing in for it, end on
        # the row and in the column that hold it.
        *_, (row, cells) = _records(file, body[: error.start].decode("utf-8") + "?")
        column = COLUMNS[len(cells) - 1] if len(cells) <= len(COLUMNS) else None
        raise DataError(file, message("data_not_utf8_csv"), row, column) from None


def _check_header(file: str, header: tuple[int, list[str]] | None) -> None:
    found = [cell.strip() for cell in header[1]] if header else []
    expected = ",".join(COLUMNS)
    hint = message("data_header_commas") if found and ";" in found[0] else ""
    for index, column in enumerate(COLUMNS):
        if index >= len(found):
            raise DataError(file, message("data_header_short", expected=expected, column=column, hint=hint), 1, column)
        if found[index] != column:
            got = repr(shorten(found[index]))
            wording = message("data_header_wrong", expected=expected, got=got, column=column, hint=hint)
            raise DataError(file, wording, 1, column)
    if len(found) > len(COLUMNS):
        extra = repr(shorten(found[-1]))
        raise DataError(file, message("data_header_extra", expected=expected, extra=extra), 1)


# What XML 1.0, and so an Excel sheet, cannot hold: the controls openpyxl refuses, and the
# two non-characters U+FFFE and U+FFFF, which openpyxl writes anyway, into a sheet that no
# XML parser (openpyxl's own included) can read back.
EXCEL_ILLEGAL = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ufffe\uffff]")


def _check_characters(file: str, row: int, cells: list[str]) -> None:
    """Every cell, as given, must fit in an Excel cell, so an accepted file always exports:
    no character XML forbids, and no more characters than a cell holds, counted in UTF-16
    units as Excel counts them."""
    for column, cell in zip(COLUMNS, cells, strict=True):
        bad = EXCEL_ILLEGAL.search(cell)
        if bad:
            kind = "data_control_character" if bad.group() < " " else "data_excel_character"
            raise DataError(file, message(kind, code=f"U+{ord(bad.group()):04X}"), row, column)
        length = len(cell.encode("utf-16-le")) // 2
        if length > EXCEL_CELL_LIMIT:
            wording = message("data_excel_too_long", length=Figure(length), limit=Figure(EXCEL_CELL_LIMIT))
            raise DataError(file, wording, row, column)


def _read_rows(file: str, text: str) -> tuple[str, Entries]:
    """The file's rows as the schema's entries, and the key of the one zone it describes."""
    records = _records(file, text)
    _check_header(file, next(records, None))
    entries: Entries = {}
    zone: tuple[str, int] | None = None  # the zone's key and the row that first named it
    for row, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and a spreadsheet's empty rows
        if len(cells) != len(COLUMNS):
            raise DataError(file, message("data_field_count", count=len(cells), expected=len(COLUMNS)), row)
        _check_characters(file, row, cells)
        table, key, field, value, source = (cell.strip() for cell in cells)
        if table not in TABLES:
            wording = message("data_unknown_table", table=repr(shorten(table)), tables=", ".join(TABLES))
            raise DataError(file, wording, row, "table")
        if table == "zone":
            zone = zone or (key, row)
            if key != zone[0]:
                wording = message("data_one_zone", zone=repr(shorten(zone[0])), row=zone[1])
                raise DataError(file, wording, row, "key")
        add(entries, TABLES[table], key, field, Cell(value, source, file, row, "value"), "key")
    if zone is None:
        raise DataError(file, message("data_no_zone_table"))
    return zone[0], entries


# --- defaults ------------------------------------------------------------------------------


def _text(number: float) -> str:
    # 12 significant digits undo the float noise of a stored fraction (0.279 × 100 = 27.9).
    return f"{number:.12g}"


def _growth_default(param: Param, zone: Zone) -> Sourced:
    goal = zone.goal("floor_area")
    multiple = goal.level / zone.floor_area_m2  # what the goal still needs, from the jump-off
    needed = compound_growth_needed(multiple, goal.year - zone.jump_off_year)
    # Rounded up, so the plan meets the goal; round() first drops float noise below the step.
    rounded = math.ceil(round(needed * 100, 6)) / 100
    value = min(max(rounded, param.min), param.max)
    clipped = "" if value == rounded else f", clipped to {param.min:g}–{param.max:g}"
    source = (
        f"derived: {goal.label_en} ({goal.level:,.0f} in {goal.year}, ×{multiple:.6g} on the jump-off "
        f"{zone.jump_off_year}) needs "
        f"{needed:.3f} % a year at a compound rate, rounded up{clipped}"
    )
    return Sourced(param.key, param.format(value), source)


def _derived_default(param: Param, zone: Zone, reference: Zone) -> Sourced:
    if param.key == "growth":
        return _growth_default(param, zone)
    if param.key == HORIZON.key:
        year = max(zone.target_year, int(param.min))
        note = "" if year == zone.target_year else f", raised to the first year the planner shows ({year})"
        return Sourced(param.key, param.format(year), f"the goals' target year{note}")
    if param.key.startswith(MIX_PREFIX):
        cluster = next(c for c in zone.clusters if MIX_PREFIX + c.key == param.key)
        return Sourced(
            param.key, _text(cluster.base_share * 100), "derived: new floor area follows the cluster's base_share_pct"
        )
    if param.key == "density":
        # The cluster densities are the zone's own figures: their base-share average is the
        # density new space carries if it repeats today's mix.
        average = sum(c.base_share * c.density for c in zone.clusters)
        value = min(max(round(average, param.decimals), param.min), param.max)
        return Sourced(param.key, param.format(value), "derived: the clusters' densities averaged by base_share_pct")
    if param.key == "company_m2" and zone.companies > 0:
        value = min(max(round(zone.floor_area_m2 / zone.companies), param.min), param.max)
        return Sourced(param.key, param.format(value), "derived: the zone's floor_area_m2 / companies")
    item = next(item for item in reference.defaults if item.key == param.key)
    return Sourced(param.key, item.value, f"bundled {reference.key.upper()} default: {item.source}")


def _defaults(file: str, builder: Builder, registry: Registry, zone: Zone, bundled: Dataset) -> tuple[Sourced, ...]:
    """The file's own defaults in file order, then the derived ones in registry order."""
    given = builder.given_defaults(registry, zone)
    reference = bundled.zones[0]  # the bundled data's default zone
    known = {item.key for item in given}
    defaults = (*given, *(_derived_default(p, zone, reference) for p in registry if p.key not in known))
    if not any(float(item.value) for item in defaults if item.key.startswith(MIX_PREFIX)):
        raise DataError(file, message("data_no_mix"))
    return defaults


def _presets(bundled: Dataset, registry: Registry) -> tuple[Preset, ...]:
    # Per-zone overrides name the bundled zones, so only the zone-independent values carry
    # over; a value for a parameter this registry lacks (another zone's cluster) does not apply.
    return tuple(
        replace(
            preset,
            values=tuple((key, registry[key].parse(value)) for key, value in preset.values if key in registry),
            zone_values=(),
        )
        for preset in bundled.presets
    )


# --- public --------------------------------------------------------------------------------


def load_zone_csv(content: bytes, name: str, bundled: Dataset, limit: int = MAX_BYTES) -> Dataset:
    """Read one uploaded zone file; raises DataError naming the file's row and column (or, for
    a whole-file check, the table). The dataset holds only the uploaded zone, with the bundled
    presets' zone-independent values."""
    file = shorten(name, 80)
    if len(content) > limit:  # refused before it is decoded or parsed
        raise DataError(file, message("data_too_large", size=Figure(len(content)), limit=Figure(limit)))
    key, entries = _read_rows(file, _decode(file, content))
    builder = Builder(key, entries, {table.name: file for table in SCHEMA})
    zone = builder.zone()
    registry = build_registry((c.key, c.name_ru, c.name_en) for c in zone.clusters)
    zone = replace(zone, defaults=_defaults(file, builder, registry, zone, bundled))
    # The zone's defaults and presets come from the bundled data, so its digest covers both.
    digest = hashlib.sha256(bundled.digest.encode() + b"\0" + content).hexdigest()
    # The sanity rules are physical limits, not Moscow facts: they apply to any zone.
    return Dataset((zone,), _presets(bundled, registry), registry, digest, bundled.rules)


def _template_rows(zone: Zone) -> Iterator[tuple[str, str, str, str, str]]:
    for field, value in (("name_ru", zone.name_ru), ("name_en", zone.name_en)):
        yield "zone", zone.key, field, value, zone.source
    for item in zone.baseline_sources:
        yield "zone", zone.key, item.key, item.value, item.source
    for cluster in zone.clusters:
        for field, value in (
            ("name_ru", cluster.name_ru),
            ("name_en", cluster.name_en),
            ("base_share_pct", _text(cluster.base_share * 100)),
            ("density_jobs_per_1000m2", _text(cluster.density)),
        ):
            yield "cluster", cluster.key, field, value, cluster.source
    for goal in zone.goals:
        for field, value in (
            ("basis", goal.basis),
            ("value", _text(goal.value)),
            ("year", str(goal.year)),
            ("base_year", str(goal.base_year)),
            ("is_default", "true" if goal.is_default else "false"),
            ("label_ru", goal.label_ru),
            ("label_en", goal.label_en),
            *((("superseded", str(goal.superseded)),) if goal.superseded is not None else ()),
        ):
            yield "goal", f"{goal.metric}:{goal.reading}", field, value, goal.source
    for actual in zone.actuals:
        for field in (f.name for f in ACTUAL_TABLE.fields):
            number = getattr(actual, field)
            if number is not None:
                yield "actual", str(actual.year), field, _text(number), actual.source
    for project in zone.projects:
        for field, value in (
            ("name_ru", project.name_ru),
            ("name_en", project.name_en),
            ("site", project.site),
            ("cluster", project.cluster),
            ("status", project.status),
            ("floor_area_m2", _text(project.floor_area_m2)),
            *((("first_year", str(project.first_year)),) if project.first_year != project.year else ()),
            ("year", str(project.year)),
            *((("jobs", _text(project.jobs)),) if project.jobs is not None else ()),
        ):
            yield "project", project.key, field, value, project.source
    for item in zone.defaults:
        yield "default", item.key, "value", item.value, item.source


def template_csv(dataset: Dataset, zone_key: str) -> str:
    """A zone of `dataset` in the upload format: every table and every default, with sources."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_template_rows(dataset.zone(zone_key)))
    return out.getvalue()
