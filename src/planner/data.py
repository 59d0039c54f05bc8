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
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.files import UnreadableFile, os_reason, read_bounded, show_path
from planner.scenario import ParamError, Registry, Scenario, Value, build_registry, shorten
from planner.zone import Actual, Cluster, DataError, Goal, Sourced, Zone

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
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
    "defaults.csv",
    "presets.toml",
    "warnings.csv",
)
# The bundled files are a few kB each; 4 MB leaves room for a city's worth of rows while a
# wrong path (a log, a disk image, /dev/zero) is refused before it is read into memory.
MAX_DATA_FILE_BYTES = 4 * 1024 * 1024
RULES = ("floor_area_per_ha", "density_high", "density_low", "build_pace")

BASELINE_FIELDS = ("base_year", "floor_area_m2", "jobs", "companies", "occupancy_pct", "land_ha")
OPTIONAL_BASELINE_FIELDS = ("land_ha",)
GOAL_BASES = {"floor_area": ("multiple", "increment_m2", "total_m2"), "new_jobs": ("new", "total")}


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
        """The zone's defaults with the preset's overrides applied."""
        values: dict[str, object] = dict(self.zone(zone_key).default_values())
        values.update(self.preset(preset_key).overrides(zone_key))
        return Scenario.from_mapping(self.registry, values)


# --- reading -------------------------------------------------------------------------------


def _read(folder: Path, name: str) -> bytes:
    try:
        return read_bounded(folder / name, MAX_DATA_FILE_BYTES)
    except UnreadableFile as error:
        raise DataError(name, error.reason) from None


def _text(folder: Path, name: str, encoding: str = "utf-8-sig") -> str:
    try:
        return _read(folder, name).decode(encoding)
    except UnicodeDecodeError:
        raise DataError(name, "is not UTF-8 text") from None


def _rows(folder: Path, name: str, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    text = _text(folder, name)
    if "\0" in text:  # a binary file saved as .csv; the csv module would pass NULs on into names
        row = text.count("\n", 0, text.index("\0")) + 1
        raise DataError(name, "contains a NUL byte; is it a binary file?", row=row)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)  # strict: an unclosed quote is an error
    try:
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise DataError(name, f"missing column(s) {', '.join(missing)}; expected {', '.join(columns)}", row=1)
        for row in reader:
            if None in row or any(row[c] is None for c in columns):
                raise DataError(name, "wrong number of fields", row=reader.line_num)
            yield reader.line_num, {k: v.strip() for k, v in row.items() if k is not None}
    except csv.Error as error:  # a field above csv's size limit, an unclosed quote at the end
        # The inner reader's count: DictReader's own is only updated once a row is complete.
        raise DataError(name, f"is not valid CSV ({error})", row=max(reader.reader.line_num, 1)) from None


# Plain decimal notation only: float() would also take "1_000", "２０" (other scripts'
# digits), "nan" and "inf", none of which belongs in a data file.
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")  # ASCII digits: \d takes any script's
LARGEST = 1e12  # above any figure of a city's zone (m², jobs, ₽ per m²); keeps the model finite


def parse_number(file: str, row: int, column: str, text: str) -> float:
    """A finite, non-negative number in plain notation, or a DataError naming the cell."""
    if not NUMBER.fullmatch(text):
        raise DataError(file, f"{shorten(text)!r} is not a number", row, column)
    value = float(text)
    if not 0 <= value <= LARGEST:
        raise DataError(file, f"{shorten(text)!r} must be a finite, non-negative number up to {LARGEST:g}", row, column)
    return value


def _number(file: str, row: int, column: str, text: str, *, optional: bool = False) -> float | None:
    return None if text == "" and optional else parse_number(file, row, column, text)


# Keys become parameter names (mix_<cluster>), link values and file names: short and plain,
# the same rule as an uploaded zone file's.
KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
KEY_RULE = "use a-z, 0-9 and _, start with a letter, at most 32 characters"
HORIZON_KEY = "horizon"
LAST_YEAR = int(build_registry(())[HORIZON_KEY].max)  # the last year the planner can show
# The model computes every year from the base year on, for each Monte Carlo draw: a base
# year of 0 would ask for 2,000 years × 200,000 draws. Same span as an uploaded zone file's.
FIRST_BASE_YEAR = LAST_YEAR - 20
FIRST_ACTUAL_YEAR = 2000  # actuals are plotted beside the plan; earlier years only stretch the axis
LISTED = 10  # known keys named in a message; a folder of thousands must still give one line


def _listed(keys: Collection[str]) -> str:
    shown = [shorten(key) for key, _ in zip(keys, range(LISTED), strict=False)]
    return ", ".join(shown) + (f" and {len(keys) - LISTED} more" if len(keys) > LISTED else "")


def _key(file: str, row: int, column: str, text: str) -> str:
    if not KEY.fullmatch(text):
        raise DataError(file, f"{shorten(text)!r} is not a key: {KEY_RULE}", row, column)
    return text


def _year(file: str, row: int, column: str, text: str, first: int, last: int) -> int:
    """A whole year in range: int() of 2024.5 would silently be 2024."""
    value = parse_number(file, row, column, text)
    if not value.is_integer() or not first <= value <= last:
        raise DataError(file, f"{shorten(text)!r} must be a whole year from {first} to {last}", row, column)
    return int(value)


class _Unique:
    """Refuses a second row for the same thing: the later row would silently win."""

    def __init__(self, file: str):
        self.file = file
        self.seen: dict[tuple[str, ...], int] = {}

    def check(self, row: int, what: str, *key: str) -> None:
        if key in self.seen:
            raise DataError(self.file, f"{what} is given twice (first in row {self.seen[key]})", row)
        self.seen[key] = row


def _required(file: str, row: int, values: dict[str, str], *columns: str) -> None:
    for column in columns:
        if not values[column]:
            raise DataError(file, "is empty", row, column)


def _by_zone(
    rows: Iterator[tuple[int, dict[str, str]]], zones: Collection[str], file: str
) -> Iterator[tuple[int, dict[str, str]]]:
    for line, row in rows:
        if row["zone"] not in zones:
            raise DataError(file, f"unknown zone {shorten(row['zone'])!r}; known: {_listed(zones)}", line, "zone")
        yield line, row


def _read_clusters(folder: Path, zone_keys: Collection[str]) -> dict[str, list[Cluster]]:
    name = "clusters.csv"
    columns = ("zone", "key", "name_ru", "name_en", "base_share_pct", "density_jobs_per_1000m2", "source")
    clusters: dict[str, list[Cluster]] = {key: [] for key in zone_keys}
    unique = _Unique(name)
    for line, row in _by_zone(_rows(folder, name, columns), zone_keys, name):
        _required(name, line, row, "key", "name_ru", "name_en", "source")
        _key(name, line, "key", row["key"])
        unique.check(line, f"cluster {row['key']!r} of zone {row['zone']!r}", row["zone"], row["key"])
        share = _number(name, line, "base_share_pct", row["base_share_pct"])
        density = _number(name, line, "density_jobs_per_1000m2", row["density_jobs_per_1000m2"])
        if density == 0:
            raise DataError(name, "a cluster's job density must be positive", line, "density_jobs_per_1000m2")
        clusters[row["zone"]].append(
            Cluster(row["key"], row["name_ru"], row["name_en"], share / 100, density, row["source"])  # type: ignore[operator,arg-type]
        )
    reference = None
    for zone_key, items in clusters.items():
        if not items:
            raise DataError(name, f"zone {zone_key!r} has no clusters")
        total = sum(c.base_share for c in items)
        if abs(total - 1) > 1e-6:
            raise DataError(name, f"zone {zone_key!r}: base_share_pct sums to {total * 100:g}, not 100")
        keys = [c.key for c in items]
        if reference is None:
            reference = keys
        elif keys != reference:
            raise DataError(
                name, f"zone {zone_key!r} lists clusters {keys}; every zone must list {reference} in that order"
            )
    return clusters


def _read_goals(folder: Path, zone_keys: Collection[str]) -> dict[str, list[Goal]]:
    name = "goals.csv"
    columns = ("zone", "metric", "reading", "basis", "value", "year", "is_default", "label_ru", "label_en", "source")
    goals: dict[str, list[Goal]] = {key: [] for key in zone_keys}
    unique = _Unique(name)
    for line, row in _by_zone(_rows(folder, name, columns), zone_keys, name):
        _required(name, line, row, "reading", "label_ru", "label_en", "source")
        what = f"{row['metric']} goal {shorten(row['reading'])!r} of zone {row['zone']!r}"
        unique.check(line, what, row["zone"], row["metric"], row["reading"])
        if row["metric"] not in GOAL_BASES:
            raise DataError(name, f"metric must be one of {', '.join(GOAL_BASES)}", line, "metric")
        if row["basis"] not in GOAL_BASES[row["metric"]]:
            raise DataError(
                name, f"basis for {row['metric']} must be one of {', '.join(GOAL_BASES[row['metric']])}", line, "basis"
            )
        if row["is_default"] not in ("true", "false"):
            raise DataError(name, "must be true or false", line, "is_default")
        goals[row["zone"]].append(
            Goal(
                row["metric"],
                row["reading"],
                row["basis"],
                _number(name, line, "value", row["value"]),  # type: ignore[arg-type]
                _year(name, line, "year", row["year"], FIRST_BASE_YEAR + 1, LAST_YEAR),
                row["is_default"] == "true",
                row["label_ru"],
                row["label_en"],
                row["source"],
            )
        )
    for zone_key, items in goals.items():
        for metric in GOAL_BASES:
            defaults = [g for g in items if g.metric == metric and g.is_default]
            if len(defaults) != 1:
                raise DataError(name, f"zone {zone_key!r} needs exactly one default {metric} goal, has {len(defaults)}")
        if len({g.year for g in items}) != 1:
            raise DataError(name, f"zone {zone_key!r}: all goals must share one target year")
    return goals


def _read_actuals(folder: Path, zone_keys: Collection[str]) -> dict[str, list[Actual]]:
    name = "actuals.csv"
    columns = ("zone", "year", "floor_area_m2", "jobs", "companies", "source")
    actuals: dict[str, list[Actual]] = {key: [] for key in zone_keys}
    unique = _Unique(name)
    for line, row in _by_zone(_rows(folder, name, columns), zone_keys, name):
        _required(name, line, row, "source")
        year = _year(name, line, "year", row["year"], FIRST_ACTUAL_YEAR, LAST_YEAR)
        unique.check(line, f"year {year} of zone {row['zone']!r}", row["zone"], str(year))
        values = [_number(name, line, c, row[c], optional=True) for c in ("floor_area_m2", "jobs", "companies")]
        actuals[row["zone"]].append(Actual(year, *values, row["source"]))  # type: ignore[arg-type]
    return {key: sorted(items, key=lambda a: a.year) for key, items in actuals.items()}


def _read_baseline(folder: Path, zone_keys: Collection[str]) -> dict[str, dict[str, Sourced]]:
    name = "baseline.csv"
    fields: dict[str, dict[str, Sourced]] = {key: {} for key in zone_keys}
    unique = _Unique(name)
    for line, row in _by_zone(_rows(folder, name, ("zone", "field", "value", "source")), zone_keys, name):
        _required(name, line, row, "source")
        if row["field"] not in BASELINE_FIELDS:
            raise DataError(
                name,
                f"unknown field {shorten(row['field'])!r}; expected one of {', '.join(BASELINE_FIELDS)}",
                line,
                "field",
            )
        unique.check(line, f"{row['field']} of zone {row['zone']!r}", row["zone"], row["field"])
        if row["field"] == "base_year":
            _year(name, line, "value", row["value"], FIRST_BASE_YEAR, LAST_YEAR - 1)
        _number(name, line, "value", row["value"], optional=row["field"] in OPTIONAL_BASELINE_FIELDS)
        fields[row["zone"]][row["field"]] = Sourced(row["field"], row["value"], row["source"])
    for zone_key, items in fields.items():
        missing = [f for f in BASELINE_FIELDS if f not in items]
        if missing:
            raise DataError(name, f"zone {zone_key!r} lacks {', '.join(missing)}")
        if float(items["floor_area_m2"].value) <= 0:
            raise DataError(name, f"zone {zone_key!r}: floor_area_m2 must be positive")
        if float(items["occupancy_pct"].value) > 100:
            raise DataError(name, f"zone {zone_key!r}: occupancy_pct is above 100")
    return fields


def _read_defaults(folder: Path, zone_keys: Collection[str], registry: Registry) -> dict[str, list[Sourced]]:
    name = "defaults.csv"
    defaults: dict[str, list[Sourced]] = {key: [] for key in zone_keys}
    unique = _Unique(name)
    for line, row in _by_zone(_rows(folder, name, ("zone", "key", "value", "source")), zone_keys, name):
        _required(name, line, row, "source")
        unique.check(line, f"the default of {shorten(row['key'])!r} for zone {row['zone']!r}", row["zone"], row["key"])
        try:
            registry[row["key"]].parse(row["value"])
        except ParamError as error:
            raise DataError(name, str(error), line, "value") from None
        defaults[row["zone"]].append(Sourced(row["key"], row["value"], row["source"]))
    for zone_key, items in defaults.items():
        missing = [k for k in registry.keys if k not in {i.key for i in items}]
        if missing:
            raise DataError(name, f"zone {zone_key!r} has no default for {', '.join(missing)}")
    return defaults


def _read_presets(folder: Path, zone_keys: Collection[str], registry: Registry) -> tuple[Preset, ...]:
    name = "presets.toml"
    text = _text(folder, name, encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataError(name, f"is not valid TOML: {error}") from None
    except RecursionError:  # tomllib recurses per nested [ or {
        raise DataError(name, "is not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as error:  # an integer of more digits than int() converts
        raise DataError(name, f"is not valid TOML: {shorten(str(error), 80)}") from None

    def checked(where: str, table: object) -> tuple[tuple[str, Value], ...]:
        if not isinstance(table, dict):
            raise DataError(name, f"[{where}] must be a table")
        try:
            return tuple((key, registry[key].parse(value)) for key, value in table.items())
        except ParamError as error:
            raise DataError(name, f"[{where}] {error}") from None
        except OverflowError:  # a TOML integer beyond any float, e.g. 1 followed by 400 zeros
            raise DataError(name, f"[{where}] has a number too large for any parameter") from None

    presets = []
    for key, entry in raw.items():
        if not KEY.fullmatch(key):  # TOML's quoted keys may hold anything, line breaks too
            raise DataError(name, f"[{shorten(key)}] is not a preset key: {KEY_RULE}")
        if not isinstance(entry, dict):
            raise DataError(name, f"{key!r} must be a [table] describing a preset")
        text = ("label_ru", "label_en", "description_ru", "description_en", "source")
        missing = [f for f in text if not isinstance(entry.get(f), str) or not entry[f]]
        if missing:
            raise DataError(name, f"[{key}] lacks {', '.join(missing)}")
        zones = entry.get("zones", {})
        if not isinstance(zones, dict):
            raise DataError(name, f"[{key}.zones] must be a table of zones")
        unknown = set(zones) - set(zone_keys)
        if unknown:
            raise DataError(name, f"[{key}.zones] unknown zone(s) {_listed(sorted(unknown))}")
        presets.append(
            Preset(
                key,
                *(entry[f] for f in text),
                values=checked(f"{key}.values", entry.get("values", {})),
                zone_values=tuple((z, checked(f"{key}.zones.{z}", v)) for z, v in zones.items()),
            )
        )
    if not presets or presets[0].key != "plan":
        raise DataError(name, "the first preset must be [plan]")
    return tuple(presets)


def _read_rules(folder: Path) -> tuple[Rule, ...]:
    name = "warnings.csv"
    rules = []
    unique = _Unique(name)
    for line, row in _rows(folder, name, ("key", "threshold", "source")):
        if row["key"] not in RULES:
            raise DataError(name, f"unknown rule {shorten(row['key'])!r}; known: {', '.join(RULES)}", line, "key")
        _required(name, line, row, "source")
        unique.check(line, f"rule {row['key']!r}", row["key"])
        rules.append(Rule(row["key"], _number(name, line, "threshold", row["threshold"]), row["source"]))  # type: ignore[arg-type]
    return tuple(rules)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in FILES:
        content = _read(folder, name)
        # Each file's length goes in first, so moving bytes from one file to the next
        # cannot give the same digest.
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def _check_folder(folder: Path) -> None:
    """A data folder that is not one is named as such, not as its first file missing."""
    where = f"data folder {show_path(folder)}"
    try:
        mode = os.stat(folder).st_mode  # follows symlinks; a loop raises ELOOP
    except OSError as error:
        raise DataError(where, "does not exist" if error.errno == errno.ENOENT else os_reason(error)) from None
    except ValueError:  # a NUL in the path
        raise DataError(where, "is not a valid path") from None
    if not stat.S_ISDIR(mode):
        raise DataError(where, "is not a folder")


def load(folder: Path | str = DEFAULT_DATA_DIR) -> Dataset:
    """Read and validate every file; raises DataError naming file, row and column."""
    folder = Path(folder)
    _check_folder(folder)
    zone_rows = list(_rows(folder, "zones.csv", ("key", "name_ru", "name_en", "source")))
    unique = _Unique("zones.csv")
    for line, row in zone_rows:
        _required("zones.csv", line, row, "key", "name_ru", "name_en", "source")
        unique.check(line, f"zone {_key('zones.csv', line, 'key', row['key'])!r}", row["key"])
    # A dict keeps the file's order, so an error always names the same zone first.
    zone_keys = dict.fromkeys(row["key"] for _, row in zone_rows)
    if not zone_keys:
        raise DataError("zones.csv", "lists no zones")
    clusters = _read_clusters(folder, zone_keys)
    first = next(iter(clusters.values()))
    registry = build_registry((c.key, c.name_ru, c.name_en) for c in first)
    baseline = _read_baseline(folder, zone_keys)
    goals = _read_goals(folder, zone_keys)
    actuals = _read_actuals(folder, zone_keys)
    defaults = _read_defaults(folder, zone_keys, registry)
    presets = _read_presets(folder, zone_keys, registry)

    number: Callable[[str, str], float] = lambda zone, field: float(baseline[zone][field].value)  # noqa: E731
    zones = []
    for _, row in zone_rows:
        key = row["key"]
        land = baseline[key]["land_ha"].value
        zones.append(
            Zone(
                key,
                row["name_ru"],
                row["name_en"],
                base_year=int(number(key, "base_year")),
                floor_area_m2=number(key, "floor_area_m2"),
                jobs=number(key, "jobs"),
                companies=number(key, "companies"),
                occupancy=number(key, "occupancy_pct") / 100,
                land_ha=float(land) if land else None,
                clusters=tuple(clusters[key]),
                goals=tuple(goals[key]),
                actuals=tuple(actuals[key]),
                baseline_sources=tuple(baseline[key][f] for f in BASELINE_FIELDS),
                defaults=tuple(defaults[key]),
                source=row["source"],
            )
        )
        if zones[-1].target_year <= zones[-1].base_year:
            raise DataError(
                "goals.csv", f"zone {key!r}: the target year must come after the base year {zones[-1].base_year}"
            )
    dataset = Dataset(tuple(zones), presets, registry, _digest(folder), _read_rules(folder))
    for zone in dataset.zones:  # every preset must give a valid scenario for every zone
        for preset in dataset.presets:
            try:
                scenario = dataset.scenario(zone.key, preset.key)
            except ParamError as error:
                raise DataError("defaults.csv", f"zone {zone.key!r}, preset {preset.key!r}: {error}") from None
            # The model reads the goals in the years it computes: none may lie past the horizon.
            if scenario.number(HORIZON_KEY) < zone.target_year:
                file = "presets.toml" if HORIZON_KEY in preset.overrides(zone.key) else "defaults.csv"
                raise DataError(
                    file,
                    f"zone {zone.key!r}, preset {preset.key!r}: horizon {scenario.number(HORIZON_KEY):g} "
                    f"is before the target year {zone.target_year}",
                )
    return dataset
