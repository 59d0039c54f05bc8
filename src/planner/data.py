"""Load and validate the bundled data (or a user's folder of the same shape).

Every number in `data/` carries a `source`; a file that breaks the format is refused with
a `DataError` naming the file, the row and the column, so a hand-edited CSV never turns
into a traceback or, worse, a silently wrong figure.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import os
import re
import stat
import tomllib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from planner.files import UnreadableFile, os_reason, read_bounded, show_path
from planner.messages import Wording, message
from planner.scenario import ParamError, Registry, Scenario, Value, build_registry, shorten
from planner.schema import (
    ACTUAL_TABLE,
    CLUSTER_TABLE,
    DEFAULT_TABLE,
    GOAL_TABLE,
    HORIZON_KEY,
    KEY,
    KEY_RULE,
    LEVEL_FIELDS,
    PROJECT_TABLE,
    SCHEMA,
    ZONE_TABLE,
    Builder,
    Cell,
    Entries,
    add,
    parse_number,
)
from planner.zone import Actual, Cluster, DataError, Goal, Sourced, Zone

# The bundled data: `data/` of the repository, mapped into the package as `planner.bundled`
# when it is built or installed (pyproject.toml), so an installed planner finds it anywhere.
DEFAULT_DATA_DIR = Path(str(resources.files("planner.bundled")))
DATA_DIR_VARIABLE = "PLANNER_DATA_DIR"  # another folder of the same shape, for the app


def data_dir() -> Path:
    """The folder the app reads: $PLANNER_DATA_DIR if set, else the bundled data."""
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DEFAULT_DATA_DIR)


FILES = (
    "zones.csv",
    "baseline.csv",
    "clusters.csv",
    "goals.csv",
    "actuals.csv",
    "projects.csv",
    "defaults.csv",
    "presets.toml",
    "warnings.csv",
)
# The bundled files are a few kB each; 4 MB leaves room for a city's worth of rows while a
# wrong path (a log, a disk image, /dev/zero) is refused before it is read into memory.
MAX_DATA_FILE_BYTES = 4 * 1024 * 1024
RULES = ("floor_area_per_ha", "density_high", "density_low", "build_pace")


@dataclass(frozen=True)
class Preset:
    key: str
    label_ru: str
    label_en: str
    description_ru: str
    description_en: str
    source: str
    values: tuple[tuple[str, Value], ...]
    zone_values: tuple[tuple[str, tuple[tuple[str, Value], ...]], ...]

    def label(self, lang: str) -> str:
        return self.label_ru if lang == "ru" else self.label_en

    def description(self, lang: str) -> str:
        return self.description_ru if lang == "ru" else self.description_en

    def overrides(self, zone_key: str) -> dict[str, Value]:
        merged = dict(self.values)
        merged.update(dict(self.zone_values).get(zone_key, ()))
        return merged


@dataclass(frozen=True)
class Rule:
    """A sanity check on a scenario: its threshold lives in data/warnings.csv with a source."""

    key: str
    threshold: float
    source: str


@dataclass(frozen=True)
class Dataset:
    zones: tuple[Zone, ...]
    presets: tuple[Preset, ...]
    registry: Registry
    # SHA-256 of every byte the data came from. Shared caches key on all of it: eight hex
    # digits can be matched by brute force in minutes, and a look-alike upload must never
    # be served another session's results.
    digest: str
    rules: tuple[Rule, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9a-f]{64}", self.digest):
            raise ValueError("a dataset's digest is the full SHA-256 of its files")

    @property
    def version(self) -> str:
        """The digest's short form, for people: shown in the app, files and exports."""
        return self.digest[:8]

    def zone(self, key: str) -> Zone:
        for zone in self.zones:
            if zone.key == key:
                return zone
        raise KeyError(key)

    def preset(self, key: str) -> Preset:
        for preset in self.presets:
            if preset.key == key:
                return preset
        raise KeyError(key)

    def scenario(self, zone_key: str, preset_key: str = "plan") -> Scenario:
        """The zone's defaults with the preset's overrides applied; for a zone of zones,
        each part's own scenario under the same preset."""
        zone = self.zone(zone_key)
        if zone.parts:
            parts = tuple((part.key, self.scenario(part.key, preset_key)) for part in zone.parts)
            return Scenario.combined(self.registry, parts)
        values: dict[str, object] = dict(zone.default_values())
        values.update(self.preset(preset_key).overrides(zone_key))
        return Scenario.from_mapping(self.registry, values)


# --- reading -------------------------------------------------------------------------------


def _read(folder: Path, name: str) -> bytes:
    try:
        return read_bounded(folder / name, MAX_DATA_FILE_BYTES)
    except UnreadableFile as error:
        raise DataError(name, error.wording) from None


def _text(folder: Path, name: str, encoding: str = "utf-8-sig") -> str:
    try:
        return _read(folder, name).decode(encoding)
    except UnicodeDecodeError:
        raise DataError(name, message("data_not_utf8")) from None


def _rows(folder: Path, name: str, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    text = _text(folder, name)
    if "\0" in text:  # a binary file saved as .csv; the csv module would pass NULs on into names
        row = text.count("\n", 0, text.index("\0")) + 1
        raise DataError(name, message("data_nul_byte"), row=row)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)  # strict: an unclosed quote is an error
    try:
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            wording = message("data_missing_columns", missing=", ".join(missing), columns=", ".join(columns))
            raise DataError(name, wording, row=1)
        for fields in reader:
            if None in fields or any(fields[c] is None for c in columns):
                raise DataError(name, message("data_wrong_field_count"), row=reader.line_num)
            yield reader.line_num, {k: v.strip() for k, v in fields.items() if k is not None}
    except csv.Error as error:  # a field above csv's size limit, an unclosed quote at the end
        # The inner reader's count: DictReader's own is only updated once a row is complete.
        raise DataError(name, message("data_not_csv", error=str(error)), row=max(reader.reader.line_num, 1)) from None


def _number(file: str, row: int, column: str, text: str) -> float:
    return parse_number(Cell(text, "", file, row, column))


def _by_zone(
    rows: Iterator[tuple[int, dict[str, str]]], zones: Collection[str], file: str, together: Collection[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    for line, row in rows:
        if row["zone"] in together:
            raise DataError(file, message("data_zone_is_together", zone=repr(row["zone"])), line, "zone")
        if row["zone"] not in zones:
            wording = message("data_unknown_zone", zone=repr(shorten(row["zone"])), known=_listed(zones))
            raise DataError(file, wording, line, "zone")
        yield line, row


class _Unique:
    """Refuses a second row for the same thing: the later row would silently win."""

    def __init__(self, file: str):
        self.file = file
        self.seen: dict[str, int] = {}

    def check(self, row: int, twice: str, key: str) -> None:
        """`twice` is the message that names the thing given twice, by its `key`."""
        if key in self.seen:
            raise DataError(self.file, message(twice, name=repr(key), row=self.seen[key]), row)
        self.seen[key] = row


def _required(file: str, row: int, values: dict[str, str], *columns: str) -> None:
    for column in columns:
        if not values[column]:
            raise DataError(file, message("data_empty"), row, column)


LISTED = 10  # known keys named in a message; a folder of thousands must still give one line


def _listed(keys: Collection[str]) -> Wording:
    shown = ", ".join(shorten(key) for key, _ in zip(keys, range(LISTED), strict=False))
    return message("data_listed_more", shown=shown, more=len(keys) - LISTED) if len(keys) > LISTED else shown


# --- the folder adapter: wide files → the schema's entries, zone by zone ----------------------

# Each table's file, and the columns that name the zone and the row's key; every other
# column but `source` is a field of the table, except in baseline.csv and defaults.csv,
# which are long (one field per row).
_WIDE = {
    "clusters.csv": (CLUSTER_TABLE, "key"),
    "goals.csv": (GOAL_TABLE, "metric"),
    "actuals.csv": (ACTUAL_TABLE, "year"),
    "projects.csv": (PROJECT_TABLE, "key"),
}
FOLDER_FILES = {table.name: table.folder_file for table in SCHEMA}


ZONES_COLUMNS = ("key", "name_ru", "name_en", "parts", "source")


def _folder_entries(folder: Path, zone_keys: Collection[str], together: Collection[str]) -> dict[str, Entries]:
    entries: dict[str, Entries] = {key: {} for key in zone_keys}
    name = "zones.csv"
    for line, row in _rows(folder, name, ZONES_COLUMNS):
        if row["key"] not in zone_keys:  # a zone of zones has no data of its own
            continue
        for field in ("name_ru", "name_en"):
            cell = Cell(row[field], row["source"], name, line, field)
            add(entries.setdefault(row["key"], {}), ZONE_TABLE, row["key"], field, cell, "key")
    name = "baseline.csv"
    for line, row in _by_zone(_rows(folder, name, ("zone", "field", "value", "source")), zone_keys, name, together):
        cell = Cell(row["value"], row["source"], name, line, "value")
        add(entries[row["zone"]], ZONE_TABLE, row["zone"], row["field"], cell, "zone")
    for file, (table, key_column) in _WIDE.items():
        keys = ("metric", "reading") if table is GOAL_TABLE else (key_column,)
        columns = ("zone", *keys, *(f.name for f in table.fields), "source")
        for line, row in _by_zone(_rows(folder, file, columns), zone_keys, file, together):
            key = ":".join(row[k] for k in keys)
            for declared in table.fields:
                cell = Cell(row[declared.name], row["source"], file, line, declared.name)
                add(entries[row["zone"]], table, key, declared.name, cell, key_column)
    name = "defaults.csv"
    for line, row in _by_zone(_rows(folder, name, ("zone", "key", "value", "source")), zone_keys, name, together):
        cell = Cell(row["value"], row["source"], name, line, "value")
        add(entries[row["zone"]], DEFAULT_TABLE, row["key"], "value", cell, "key")
    return entries


def _folder_zone(key: str, entries: Entries, registry: Registry | None) -> Zone:
    """One zone of the folder through the schema's builder; its defaults must all be given."""
    builder = Builder(key, entries, FOLDER_FILES)
    zone = builder.zone()
    if registry is None:  # the first zone's clusters make the registry every zone shares
        registry = build_registry((c.key, c.name_ru, c.name_en) for c in zone.clusters)
    defaults = builder.given_defaults(registry, zone)
    missing = [k for k in registry.keys if k not in {item.key for item in defaults}]
    if missing:
        raise DataError("defaults.csv", message("data_no_default", zone=repr(key), missing=_listed(missing)))
    return replace(zone, defaults=tuple(defaults))


def _read_presets(folder: Path, zone_keys: Collection[str], registry: Registry) -> tuple[Preset, ...]:
    name = "presets.toml"
    text = _text(folder, name, encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataError(name, message("data_not_toml", error=str(error))) from None
    except RecursionError:  # tomllib recurses per nested [ or {
        raise DataError(name, message("data_not_toml", error=message("data_toml_too_deep"))) from None
    except ValueError as error:  # an integer of more digits than int() converts
        raise DataError(name, message("data_not_toml", error=shorten(str(error), 80))) from None

    def checked(where: str, table: object) -> tuple[tuple[str, Value], ...]:
        if not isinstance(table, dict):
            raise DataError(name, message("data_preset_not_table", where=where))
        try:
            return tuple((key, registry[key].parse(value)) for key, value in table.items())
        except ParamError as error:
            raise DataError(name, message("data_preset_value", where=where, reason=error.wording)) from None
        except OverflowError:  # a TOML integer beyond any float, e.g. 1 followed by 400 zeros
            raise DataError(name, message("data_preset_overflow", where=where)) from None

    presets = []
    for key, entry in raw.items():
        if not KEY.fullmatch(key):  # TOML's quoted keys may hold anything, line breaks too
            raise DataError(name, message("data_not_a_preset_key", name=shorten(key), rule=KEY_RULE))
        if not isinstance(entry, dict):
            raise DataError(name, message("data_preset_entry", name=repr(key)))
        words = ("label_ru", "label_en", "description_ru", "description_en", "source")
        missing = [f for f in words if not isinstance(entry.get(f), str) or not entry[f]]
        if missing:
            raise DataError(name, message("data_lacks", name=f"[{key}]", missing=", ".join(missing)))
        zones = entry.get("zones", {})
        if not isinstance(zones, dict):
            raise DataError(name, message("data_preset_zones", name=key))
        unknown = set(zones) - set(zone_keys)
        if unknown:
            raise DataError(name, message("data_preset_unknown_zones", name=key, unknown=_listed(sorted(unknown))))
        presets.append(
            Preset(
                key,
                label_ru=entry["label_ru"],
                label_en=entry["label_en"],
                description_ru=entry["description_ru"],
                description_en=entry["description_en"],
                source=entry["source"],
                values=checked(f"{key}.values", entry.get("values", {})),
                zone_values=tuple((z, checked(f"{key}.zones.{z}", v)) for z, v in zones.items()),
            )
        )
    if not presets or presets[0].key != "plan":
        raise DataError(name, message("data_first_preset"))
    return tuple(presets)


def _read_rules(folder: Path) -> tuple[Rule, ...]:
    name = "warnings.csv"
    rules = []
    unique = _Unique(name)
    for line, row in _rows(folder, name, ("key", "threshold", "source")):
        if row["key"] not in RULES:
            wording = message("data_unknown_rule", rule=repr(shorten(row["key"])), known=", ".join(RULES))
            raise DataError(name, wording, line, "key")
        _required(name, line, row, "source")
        unique.check(line, "data_rule_twice", row["key"])
        rules.append(Rule(row["key"], _number(name, line, "threshold", row["threshold"]), row["source"]))
    return tuple(rules)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in FILES:
        content = _read(folder, name)
        # Each file's length goes in first, so moving bytes from one file to the next
        # cannot give the same digest.
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


class FolderError(DataError):
    """A data folder that cannot be read as one; its `file` is "data folder <path>", and the
    words "data folder" follow the reader's language too."""

    def __init__(self, folder: Path, reason: Wording):
        self.shown = show_path(folder)
        super().__init__(f"data folder {self.shown}", reason)

    def text(self, lang: str) -> str:
        return message("data_folder", path=self.shown, reason=self.wording).text(lang)


def _check_folder(folder: Path) -> None:
    """A data folder that is not one is named as such, not as its first file missing."""
    try:
        mode = os.stat(folder).st_mode  # follows symlinks; a loop raises ELOOP
    except OSError as error:
        reason = message("data_does_not_exist") if error.errno == errno.ENOENT else os_reason(error)
        raise FolderError(folder, reason) from None
    except ValueError:  # a NUL in the path
        raise FolderError(folder, message("data_invalid_path")) from None
    if not stat.S_ISDIR(mode):
        raise FolderError(folder, message("data_not_a_folder"))


def _zone_list(folder: Path) -> tuple[dict[str, int], dict[str, tuple[int, dict[str, str]]]]:
    """The zones of zones.csv: those with data of their own (key → row), and the zones of
    zones (key → row and its fields), each checked for its parts."""
    name = "zones.csv"
    own: dict[str, int] = {}
    combined: dict[str, tuple[int, dict[str, str]]] = {}
    unique = _Unique(name)
    for line, row in _rows(folder, name, ZONES_COLUMNS):
        if not KEY.fullmatch(row["key"]):
            raise DataError(name, message("data_not_a_key", name=repr(shorten(row["key"])), rule=KEY_RULE), line, "key")
        unique.check(line, "data_zone_twice", row["key"])
        if row["parts"]:
            combined[row["key"]] = (line, row)
        else:
            own[row["key"]] = line
    if not own:
        raise DataError(name, message("data_no_own_zone"))
    for line, row in combined.values():
        parts = row["parts"].split()
        unknown = [part for part in parts if part not in own]
        if unknown:
            wording = message("data_unknown_parts", unknown=_listed(unknown), known=_listed(own))
            raise DataError(name, wording, line, "parts")
        if len(parts) < 2 or len(set(parts)) != len(parts):
            raise DataError(name, message("data_too_few_parts"), line, "parts")
        for field in ("name_ru", "name_en", "source"):
            _required(name, line, row, field)
    return own, combined


def combine(key: str, row: dict[str, str], parts: tuple[Zone, ...]) -> Zone:
    """A zone of zones: its actuals and goals are the sums of its parts'; its clusters,
    occupancy and land are its parts' weighted by floor area at their jump-offs (shown in
    the assumptions; the model runs each part on its own data)."""
    where = "zones.csv"
    years = sorted({part.target_year for part in parts})
    if len(years) != 1:
        raise DataError(where, message("data_parts_years", zone=repr(key), years=", ".join(map(str, years))))
    weights = [part.floor_area_m2 for part in parts]
    total = sum(weights)
    derived = "derived: the parts' figures weighted by their floor area at the jump-off"
    clusters = tuple(
        Cluster(
            cluster.key,
            cluster.name_ru,
            cluster.name_en,
            sum(w * p.clusters[i].base_share for w, p in zip(weights, parts, strict=True)) / total,
            sum(w * p.clusters[i].base_share * p.clusters[i].density for w, p in zip(weights, parts, strict=True))
            / max(sum(w * p.clusters[i].base_share for w, p in zip(weights, parts, strict=True)), 1e-12),
            derived,
        )
        for i, cluster in enumerate(parts[0].clusters)
    )
    actuals = _summed_actuals(parts)
    occupancy = sum(w * p.occupancy for w, p in zip(weights, parts, strict=True)) / total
    lands = [p.land_ha for p in parts]
    land = None if None in lands else sum(land or 0.0 for land in lands)
    return Zone(
        key,
        row["name_ru"],
        row["name_en"],
        occupancy=occupancy,
        land_ha=land,
        clusters=clusters,
        goals=_summed_goals(parts, actuals),
        actuals=actuals,
        baseline_sources=(
            Sourced("occupancy_pct", f"{occupancy * 100:.4g}", derived),
            Sourced("land_ha", "" if land is None else f"{land:g}", "derived: the sum of the parts' land"),
        ),
        defaults=(),
        source=row["source"],
        parts=parts,
    )


def _total(rows: list[Actual | None], field: str) -> float | None:
    values: list[float | None] = [getattr(row, field) if row else None for row in rows]
    return None if None in values else float(sum(value or 0.0 for value in values))


def _summed_actuals(parts: tuple[Zone, ...]) -> tuple[Actual, ...]:
    """Each year's sum of a figure that every part observed that year."""
    rows = []
    for year in sorted({a.year for part in parts for a in part.actuals}):
        observed = [next((a for a in part.actuals if a.year == year), None) for part in parts]

        figures = {f: _total(observed, f) for f in ("floor_area_m2", "jobs", "companies")}
        if any(value is not None for value in figures.values()):
            rows.append(Actual(year, source="derived: the sum of the zones' rows", **figures))
    return tuple(rows)


SUMMED_GOALS = (
    "derived: the sum of the zones' goals of this reading; "
    "each zone's goal and its source are in that zone's assumptions"
)


def _summed_goals(parts: tuple[Zone, ...], actuals: tuple[Actual, ...]) -> tuple[Goal, ...]:
    """For each metric and reading, the sum of the parts' goals (a part without the reading
    adds its default), counted from the latest year every part observed the metric."""
    goals = []
    for metric_key, field in LEVEL_FIELDS.items():
        observed = [a for a in actuals if getattr(a, field) is not None]
        base = observed[-1]
        readings = dict.fromkeys(g.reading for part in parts for g in part.goal_readings(metric_key))
        levels: set[float] = set()
        for reading in readings:
            chosen = [
                next((g for g in part.goal_readings(metric_key) if g.reading == reading), part.goal(metric_key))
                for part in parts
            ]
            level = sum(g.level for g in chosen)
            if level in levels:  # a reading no part states differently (only one part has it) adds nothing
                continue
            levels.add(level)
            goals.append(
                Goal(
                    metric=metric_key,
                    reading=reading,
                    basis="total_m2" if metric_key == "floor_area" else "total",
                    value=level,
                    year=chosen[0].year,
                    base_year=base.year,
                    base_level=float(getattr(base, field)),
                    level=level,
                    is_default=reading == parts[0].goal(metric_key).reading,
                    # In the parts' order; each part's own words (the zones are named in the source).
                    label_ru=" и ".join(g.label_ru for g in chosen),
                    label_en=" and ".join(g.label_en for g in chosen),
                    # One sentence for every sum, so it has its Russian in the sources' table;
                    # each zone's goal, with its own source, is in that zone's assumptions.
                    source=SUMMED_GOALS,
                )
            )
    return tuple(goals)


def load(folder: Path | str = DEFAULT_DATA_DIR) -> Dataset:
    """Read and validate every file; raises DataError naming file, row and column."""
    folder = Path(folder)
    _check_folder(folder)
    # A dict keeps the file's order, so an error always names the same zone first.
    zone_keys, combined = _zone_list(folder)
    entries = _folder_entries(folder, zone_keys, combined)
    first = _folder_zone(next(iter(zone_keys)), entries[next(iter(zone_keys))], None)
    registry = build_registry((c.key, c.name_ru, c.name_en) for c in first.clusters)
    zones = [first, *(_folder_zone(key, entries[key], registry) for key in list(zone_keys)[1:])]
    reference = [c.key for c in first.clusters]
    for zone in zones[1:]:  # one registry serves every zone: the same clusters, in the same order
        if [c.key for c in zone.clusters] != reference:
            keys = [c.key for c in zone.clusters]
            wording = message("data_cluster_order", zone=repr(zone.key), clusters=str(keys), reference=str(reference))
            raise DataError("clusters.csv", wording)
    by_key = {zone.key: zone for zone in zones}
    for key, (_, row) in combined.items():
        zones.append(combine(key, row, tuple(by_key[part] for part in row["parts"].split())))
    presets = _read_presets(folder, zone_keys, registry)
    dataset = Dataset(tuple(zones), presets, registry, _digest(folder), _read_rules(folder))
    for zone in dataset.zones:  # every preset must give a valid scenario for every zone
        for preset in dataset.presets:
            try:
                scenario = dataset.scenario(zone.key, preset.key)
            except ParamError as error:
                wording = message(
                    "data_preset_refused", zone=repr(zone.key), preset=repr(preset.key), reason=error.wording
                )
                raise DataError("defaults.csv", wording) from None
            # The model reads the goals in the years it computes: none may lie past the horizon.
            if scenario.number(HORIZON_KEY) < zone.target_year:
                file = "presets.toml" if HORIZON_KEY in preset.overrides(zone.key) else "defaults.csv"
                horizon = f"{scenario.number(HORIZON_KEY):g}"
                wording = message(
                    "data_preset_horizon",
                    zone=repr(zone.key),
                    preset=repr(preset.key),
                    horizon=horizon,
                    year=zone.target_year,
                )
                raise DataError(file, wording)
    return dataset
