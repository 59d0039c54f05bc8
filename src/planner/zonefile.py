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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from planner.data import (
    BASELINE_FIELDS,
    GOAL_BASES,
    OPTIONAL_BASELINE_FIELDS,
    Actual,
    Cluster,
    DataError,
    Dataset,
    Goal,
    Preset,
    Sourced,
    Zone,
    parse_number,
)
from planner.export import EXCEL_CELL_LIMIT
from planner.goals import compound_growth_needed
from planner.scenario import MIX_PREFIX, Param, ParamError, Registry, build_registry, shorten

COLUMNS = ("table", "key", "field", "value", "source")
MAX_BYTES = 256 * 1024
DEFAULT_READING = "main"
REFERENCE_ZONE = "sez"  # the bundled zone whose defaults fill what the file leaves out
FIELDS: dict[str, tuple[str, ...]] = {
    "zone": ("name_ru", "name_en", *BASELINE_FIELDS),
    "cluster": ("name_ru", "name_en", "base_share_pct", "density_jobs_per_1000m2"),
    "goal": ("basis", "value", "year", "is_default", "label_ru", "label_en"),
    "actual": ("floor_area_m2", "jobs", "companies"),
    "default": ("value",),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "zone": tuple(f for f in FIELDS["zone"] if f not in OPTIONAL_BASELINE_FIELDS),
    "cluster": FIELDS["cluster"],
    "goal": FIELDS["goal"],
}
TEXT_FIELDS = frozenset({"name_ru", "name_en", "basis", "is_default", "label_ru", "label_en"})
# Keys become parts of parameter names and links (`mix_<cluster>`, `zone=<key>`).
SLUG = re.compile(r"[a-z][a-z0-9_]{0,31}")
# Plain decimals only: float() alone would also read "1_000", "２０", "nan" and "infinity".
HORIZON = build_registry(())["horizon"]
# Every cluster is a slider and a series in the charts; more would not be readable.
MAX_CLUSTERS = 20
# Monte Carlo memory grows with the square of the years shown, so the base year stays
# within this many years of the last year the planner can show.
MAX_SPAN_YEARS = 20
FIRST_BASE_YEAR = int(HORIZON.max) - MAX_SPAN_YEARS
FIRST_ACTUAL_YEAR = 2000  # actuals are plotted beside the plan; earlier years would only stretch the axis


@dataclass(frozen=True)
class Cell:
    """One checked row's value and source, and where it stands in the file."""

    row: int
    value: str
    source: str


# (table, key) → field → cell, in the order the file first names them.
Entries = dict[tuple[str, str], dict[str, Cell]]


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
            raise DataError(file, f"is not valid CSV ({error})", row) from None
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
        raise DataError(file, "is not UTF-8 text; save the file as CSV UTF-8", row, column) from None


def _check_header(file: str, header: tuple[int, list[str]] | None) -> None:
    found = [cell.strip() for cell in header[1]] if header else []
    expected = ",".join(COLUMNS)
    hint = "; separate the columns with commas" if found and ";" in found[0] else ""
    for index, column in enumerate(COLUMNS):
        if index >= len(found) or found[index] != column:
            got = repr(shorten(found[index])) if index < len(found) else "nothing"
            raise DataError(file, f"the header must be {expected}; found {got} for {column}{hint}", 1, column)
    if len(found) > len(COLUMNS):
        raise DataError(file, f"the header must be {expected}; found an extra column {shorten(found[-1])!r}", 1)


def _year(file: str, row: int, column: str, text: str, first: int, last: int) -> int:
    value = parse_number(file, row, column, text)
    if not value.is_integer():
        raise DataError(file, f"{shorten(text)!r} is not a whole number (a year)", row, column)
    if not first <= value <= last:
        raise DataError(file, f"{shorten(text)!r} must be a year from {first} to {last}", row, column)
    return int(value)


def _check_slug(file: str, row: int, text: str) -> None:
    if not SLUG.fullmatch(text):
        raise DataError(
            file, f"{shorten(text)!r} is not a key: use a-z, 0-9 and _, start with a letter, at most 32", row, "key"
        )


def _check_key(file: str, row: int, table: str, key: str) -> str:
    """The row's key in canonical form (so `new_jobs` and `new_jobs:main` are one goal)."""
    if table in ("zone", "cluster"):
        _check_slug(file, row, key)
    elif table == "goal":
        metric, colon, reading = key.partition(":")
        if metric not in GOAL_BASES:
            raise DataError(
                file, f"{shorten(key)!r}: a goal key is {' or '.join(GOAL_BASES)}, optionally :reading", row, "key"
            )
        reading = reading if colon else DEFAULT_READING
        _check_slug(file, row, reading)
        return f"{metric}:{reading}"
    elif table == "actual":
        return str(_year(file, row, "key", key, FIRST_ACTUAL_YEAR, int(HORIZON.max)))
    return key  # a default's key is checked against the registry once the clusters are known


def _check_text(file: str, row: int, key: str, field: str, value: str) -> None:
    if not value:
        raise DataError(file, "is empty", row, "value")
    if field == "basis" and value not in GOAL_BASES[key.partition(":")[0]]:
        allowed = ", ".join(GOAL_BASES[key.partition(":")[0]])
        raise DataError(file, f"{shorten(value)!r}: basis for this goal must be one of {allowed}", row, "value")
    if field == "is_default" and value.lower() not in ("true", "false"):  # a spreadsheet writes TRUE
        raise DataError(file, f"{shorten(value)!r} must be true or false", row, "value")


def _check_value(file: str, row: int, table: str, key: str, field: str, value: str) -> None:
    if field in TEXT_FIELDS:
        _check_text(file, row, key, field, value)
    elif field == "base_year":
        _year(file, row, "value", value, FIRST_BASE_YEAR, int(HORIZON.max) - 1)
    elif table == "goal" and field == "year":
        _year(file, row, "value", value, FIRST_BASE_YEAR + 1, int(HORIZON.max))
    elif not (field in OPTIONAL_BASELINE_FIELDS and value == ""):
        number = parse_number(file, row, "value", value)
        if field in ("occupancy_pct", "base_share_pct") and number > 100:
            raise DataError(file, f"{shorten(value)!r} is above 100 %", row, "value")
        if number == 0 and (field == "density_jobs_per_1000m2" or (table, field) == ("zone", "floor_area_m2")):
            raise DataError(file, "must be positive", row, "value")


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
            kind = "control character" if bad.group() < " " else "character"
            code = f"U+{ord(bad.group()):04X}"
            raise DataError(file, f"contains a {kind} Excel cannot store ({code})", row, column)
        length = len(cell.encode("utf-16-le")) // 2
        if length > EXCEL_CELL_LIMIT:
            raise DataError(
                file, f"is {length:,} characters long; an Excel cell holds at most {EXCEL_CELL_LIMIT:,}", row, column
            )


def _check_row(file: str, row: int, table: str, key: str, field: str, value: str, source: str) -> str:
    """Every check one row allows on its own; returns its canonical key."""
    if table not in FIELDS:
        raise DataError(file, f"unknown table {shorten(table)!r}; expected one of {', '.join(FIELDS)}", row, "table")
    if field not in FIELDS[table]:
        allowed = ", ".join(FIELDS[table])
        raise DataError(file, f"unknown field {shorten(field)!r} for table {table}; expected {allowed}", row, "field")
    key = _check_key(file, row, table, key)
    if table != "default":  # a default's value is parsed by its parameter, once the registry exists
        _check_value(file, row, table, key, field, value)
    if not source and field not in TEXT_FIELDS:
        raise DataError(file, "is empty; every number needs a source (a citation or 'assumption: …')", row, "source")
    return key


def _read_rows(file: str, text: str) -> Entries:
    records = _records(file, text)
    _check_header(file, next(records, None))
    entries: Entries = {}
    zone: tuple[str, int] | None = None  # the zone's key and the row that first named it
    for row, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and a spreadsheet's empty rows
        if len(cells) != len(COLUMNS):
            raise DataError(file, f"has {len(cells)} fields, expected {len(COLUMNS)}", row)
        _check_characters(file, row, cells)
        table, key, field, value, source = (cell.strip() for cell in cells)
        key = _check_row(file, row, table, key, field, value, source)
        if table == "zone":
            zone = zone or (key, row)
            if key != zone[0]:
                raise DataError(file, f"the file describes one zone, {zone[0]!r} (row {zone[1]})", row, "key")
        fields = entries.setdefault((table, key), {})
        if field in fields:
            raise DataError(
                file, f"repeats row {fields[field].row}: {table} {shorten(key)} {field} is given twice", row, "field"
            )
        fields[field] = Cell(row, value, source)
    return entries


# --- the whole file ------------------------------------------------------------------------


def _table(entries: Entries, table: str) -> dict[str, dict[str, Cell]]:
    return {key: fields for (name, key), fields in entries.items() if name == table}


def _complete(file: str, table: str, items: Mapping[str, Mapping[str, Cell]]) -> None:
    for key, fields in items.items():
        missing = [field for field in REQUIRED[table] if field not in fields]
        if missing:
            raise DataError(file, f"table {table}: {key!r} lacks {', '.join(missing)}")


def _text(number: float) -> str:
    # 12 significant digits undo the float noise of a stored fraction (0.279 × 100 = 27.9).
    return f"{number:.12g}"


def _sources(fields: Mapping[str, Cell]) -> str:
    """One source for several rows: each distinct one once, in file order."""
    return "; ".join(dict.fromkeys(cell.source for cell in fields.values() if cell.source))


def _clusters(file: str, items: Mapping[str, Mapping[str, Cell]]) -> tuple[Cluster, ...]:
    if not items:
        raise DataError(file, "table cluster: the file has no clusters; give at least one")
    if len(items) > MAX_CLUSTERS:
        raise DataError(file, f"table cluster: {len(items)} clusters; at most {MAX_CLUSTERS}")
    _complete(file, "cluster", items)
    clusters = tuple(
        Cluster(
            key,
            fields["name_ru"].value,
            fields["name_en"].value,
            float(fields["base_share_pct"].value) / 100,
            float(fields["density_jobs_per_1000m2"].value),
            _sources(fields),
        )
        for key, fields in items.items()
    )
    total = sum(cluster.base_share for cluster in clusters)
    if abs(total - 1) > 1e-6:
        raise DataError(file, f"table cluster: base_share_pct sums to {total * 100:g}, not 100")
    return clusters


def _goals(file: str, items: Mapping[str, Mapping[str, Cell]], base_year: int) -> tuple[Goal, ...]:
    _complete(file, "goal", items)
    goals = tuple(
        Goal(
            *key.split(":"),
            basis=fields["basis"].value,
            value=float(fields["value"].value),
            year=int(float(fields["year"].value)),
            is_default=fields["is_default"].value.lower() == "true",
            label_ru=fields["label_ru"].value,
            label_en=fields["label_en"].value,
            source=_sources(fields),
        )
        for key, fields in items.items()
    )
    for metric in GOAL_BASES:
        count = sum(goal.metric == metric and goal.is_default for goal in goals)
        if count != 1:
            raise DataError(file, f"table goal: needs exactly one default {metric} goal (is_default true), has {count}")
    years = sorted({goal.year for goal in goals})
    if len(years) != 1:  # the model has one target year per zone
        raise DataError(file, f"table goal: all goals must share one target year; found {', '.join(map(str, years))}")
    if years[0] <= base_year:
        raise DataError(file, f"table goal: the target year {years[0]} must come after the base year {base_year}")
    return goals


def _actuals(items: Mapping[str, Mapping[str, Cell]]) -> tuple[Actual, ...]:
    def number(cell: Cell | None) -> float | None:
        return float(cell.value) if cell else None

    actuals = (
        Actual(int(year), *(number(fields.get(f)) for f in FIELDS["actual"]), _sources(fields))  # type: ignore[arg-type]
        for year, fields in items.items()
    )
    return tuple(sorted(actuals, key=lambda actual: actual.year))


def _zone(file: str, entries: Entries) -> Zone:
    """The zone without its defaults, which depend on the registry built from its clusters."""
    zones = _table(entries, "zone")
    if not zones:
        raise DataError(file, "table zone: the file has no zone rows")
    _complete(file, "zone", zones)
    (key, fields), *_ = zones.items()
    land = fields.get("land_ha")
    base_year = int(float(fields["base_year"].value))
    names = {f: fields[f] for f in ("name_ru", "name_en")}
    return Zone(
        key,
        fields["name_ru"].value,
        fields["name_en"].value,
        base_year=base_year,
        floor_area_m2=float(fields["floor_area_m2"].value),
        jobs=float(fields["jobs"].value),
        companies=float(fields["companies"].value),
        occupancy=float(fields["occupancy_pct"].value) / 100,
        land_ha=float(land.value) if land and land.value else None,
        clusters=_clusters(file, _table(entries, "cluster")),
        goals=_goals(file, _table(entries, "goal"), base_year),
        actuals=_actuals(_table(entries, "actual")),
        baseline_sources=tuple(
            Sourced(f, fields[f].value, fields[f].source) if f in fields else Sourced(f, "", "not in the uploaded file")
            for f in BASELINE_FIELDS
        ),
        defaults=(),
        source=_sources(names) or f"uploaded file {file}",
    )


# --- defaults ------------------------------------------------------------------------------


def _given_defaults(
    file: str, items: Mapping[str, Mapping[str, Cell]], registry: Registry, zone: Zone
) -> list[Sourced]:
    given = []
    for key, fields in items.items():
        cell = fields["value"]
        try:
            param = registry[key]
        except ParamError as error:
            raise DataError(file, f"default {error}", cell.row, "key") from None
        try:
            value = param.parse(cell.value)
        except ParamError as error:
            raise DataError(file, f"default {error}", cell.row, "value") from None
        if key == HORIZON.key and float(value) < zone.target_year:  # the goals must be inside the years shown
            raise DataError(
                file, f"default horizon: {value:g} is before the target year {zone.target_year}", cell.row, "value"
            )
        given.append(Sourced(key, param.format(value), cell.source))  # "1,5" is read as 1.5; kept as "1.5"
    return given


def _growth_default(param: Param, zone: Zone) -> Sourced:
    goal = zone.goal("floor_area")
    multiple = zone.target(goal) / zone.floor_area_m2
    needed = compound_growth_needed(multiple, goal.year - zone.base_year)
    # Rounded up, so the plan meets the goal; round() first drops float noise below the step.
    rounded = math.ceil(round(needed * 100, 6)) / 100
    value = min(max(rounded, param.min), param.max)
    clipped = "" if value == rounded else f", clipped to {param.min:g}–{param.max:g}"
    source = (
        f"derived: {goal.label_en} (×{multiple:.6g} from {zone.base_year} to {goal.year}) needs "
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


def _defaults(file: str, entries: Entries, registry: Registry, zone: Zone, bundled: Dataset) -> tuple[Sourced, ...]:
    """The file's own defaults in file order, then the derived ones in registry order."""
    given = _given_defaults(file, _table(entries, "default"), registry, zone)
    reference = next((z for z in bundled.zones if z.key == REFERENCE_ZONE), bundled.zones[0])
    known = {item.key for item in given}
    defaults = (*given, *(_derived_default(p, zone, reference) for p in registry if p.key not in known))
    if not any(float(item.value) for item in defaults if item.key.startswith(MIX_PREFIX)):
        raise DataError(file, "table default: every mix_ share is 0; give new floor area to at least one cluster")
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
        raise DataError(file, f"is {len(content):,} bytes; the limit is {limit:,}")
    entries = _read_rows(file, _decode(file, content))
    zone = _zone(file, entries)
    registry = build_registry((c.key, c.name_ru, c.name_en) for c in zone.clusters)
    zone = replace(zone, defaults=_defaults(file, entries, registry, zone, bundled))
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
            ("is_default", "true" if goal.is_default else "false"),
            ("label_ru", goal.label_ru),
            ("label_en", goal.label_en),
        ):
            yield "goal", f"{goal.metric}:{goal.reading}", field, value, goal.source
    for actual in zone.actuals:
        for field in FIELDS["actual"]:
            number = getattr(actual, field)
            if number is not None:
                yield "actual", str(actual.year), field, _text(number), actual.source
    for item in zone.defaults:
        yield "default", item.key, "value", item.value, item.source


def template_csv(dataset: Dataset, zone_key: str) -> str:
    """A zone of `dataset` in the upload format: every table and every default, with sources."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_template_rows(dataset.zone(zone_key)))
    return out.getvalue()
