"""The zone schema: every table and field of a zone's data, declared once, and the one
builder that applies every rule and makes the `Zone`.

Two adapters read a zone's data — the bundled folder of wide CSV files (`planner.data`)
and one uploaded long-format file (`planner.zonefile`). Each turns its rows into the same
`Entries`: table → key → field → `Cell`, every cell knowing its file, row and column. From
there one code path checks each cell by its `Field`, then the rules that need a whole table
(shares sum to 100, one default goal per metric, one target year after the base year, …),
so a corruption gets the same sentence whichever way the data came in; only the place it
names differs. docs/zone-format.md renders the tables below (`format_tables`), and a test
keeps the two equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from planner.scenario import ParamError, Registry, build_registry, shorten
from planner.zone import (
    STATUSES,
    Actual,
    Cluster,
    DataError,
    Goal,
    Project,
    Sourced,
    Zone,
    goal_level,
    is_complete,
    jump_off,
)

# --- the limits every zone shares ------------------------------------------------------------

HORIZON_KEY = "horizon"
LAST_YEAR = int(build_registry(())[HORIZON_KEY].max)  # the last year the planner can show
# Monte Carlo memory and time grow with the years computed, so the base year stays within
# this many years of the last year the planner can show.
MAX_SPAN_YEARS = 20
FIRST_BASE_YEAR = LAST_YEAR - MAX_SPAN_YEARS
FIRST_ACTUAL_YEAR = 2000  # actuals are plotted beside the plan; earlier years only stretch the axis
MAX_CLUSTERS = 20  # every cluster is a slider and a series in the charts; more would not be readable
LARGEST = 1e12  # above any figure of a city's zone (m², jobs, ₽ per m²); keeps the model finite
# Keys become parameter names (mix_<cluster>), link values and file names: short and plain.
KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
KEY_RULE = "use a-z, 0-9 and _, start with a letter, at most 32 characters"
# Plain decimal notation only: float() would also take "1_000", "２０" (other scripts'
# digits), "nan" and "inf", none of which belongs in a data file.
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
GOAL_BASES = {"floor_area": ("multiple", "increment_m2", "total_m2"), "new_jobs": ("new", "total")}
DEFAULT_READING = "main"


# --- the schema ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One field of a table: what it holds, in which unit, within which bounds."""

    name: str
    kind: str  # "text", "number", "year", "bool", "choice" (the goal's basis, a status) or "param" (a default)
    unit: str
    meaning: str
    required: bool = True
    maximum: float = LARGEST
    positive: bool = False  # a number that must be above 0, not only non-negative
    first_year: int = 0  # the bounds of a year
    last_year: int = 0
    options: tuple[str, ...] = ()  # a choice's options (a goal's basis depends on its metric instead)

    @property
    def needs_source(self) -> bool:
        """Every number needs a source; names and labels may stand on their own."""
        return self.kind not in ("text", "choice", "bool")

    def bounds(self) -> str:
        if self.kind == "year":
            return f"a whole year from {self.first_year} to {self.last_year}"
        if self.kind == "number":
            low = "above 0" if self.positive else "0 or more"
            return f"{low}, at most {self.maximum:g}"
        if self.kind == "bool":
            return "true or false (any case)"
        if self.kind == "param":
            return "the parameter's range"
        if self.kind == "choice" and self.options:
            return "one of " + ", ".join(self.options)
        return ""


@dataclass(frozen=True)
class Table:
    name: str
    key: str  # how a row's key is written: "slug", "goal" (metric[:reading]), "year", "param"
    folder_file: str  # the bundled folder's file for this table
    meaning: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        for field in self.fields:
            if field.name == name:
                return field
        allowed = ", ".join(f.name for f in self.fields)
        raise KeyError(f"unknown field {shorten(name)!r} for table {self.name}; expected {allowed}")


def _text(name: str, meaning: str) -> Field:
    return Field(name, "text", "text", meaning)


ZONE_TABLE = Table(
    "zone",
    "slug",
    "baseline.csv",
    "the zone: its names, its occupancy and its land",
    (
        _text("name_ru", "the zone's name in Russian"),
        _text("name_en", "the zone's name in English"),
        Field("occupancy_pct", "number", "%", "occupied share of the floor area at the jump-off", maximum=100),
        Field("land_ha", "number", "ha", "land area; may be left empty, with a source saying why", required=False),
    ),
)
CLUSTER_TABLE = Table(
    "cluster",
    "slug",
    "clusters.csv",
    "industries inside the zone",
    (
        _text("name_ru", "the cluster's name in Russian"),
        _text("name_en", "the cluster's name in English"),
        Field("base_share_pct", "number", "%", "its share of the floor area at the jump-off", maximum=100),
        Field("density_jobs_per_1000m2", "number", "jobs per 1,000 m²", "jobs per 1,000 m² occupied", positive=True),
    ),
)
GOAL_TABLE = Table(
    "goal",
    "goal",
    "goals.csv",
    "the zone's goals: one default per metric, all in one target year; each counted from its own base year",
    (
        Field(
            "basis",
            "choice",
            "text",
            "how value is stated: "
            + "; ".join(f"{metric}: {', '.join(bases)}" for metric, bases in GOAL_BASES.items()),
        ),
        Field("value", "number", "by basis", "the goal's figure"),
        Field("year", "year", "year", "the target year", first_year=FIRST_BASE_YEAR + 1, last_year=LAST_YEAR),
        Field(
            "base_year",
            "year",
            "year",
            "the year whose end the goal counts from; the actuals must give its floor area (a floor-area goal) "
            "or its jobs (a jobs goal)",
            first_year=FIRST_ACTUAL_YEAR,
            last_year=LAST_YEAR - 1,
        ),
        Field("is_default", "bool", "true/false", "whether this reading is the one shown first"),
        _text("label_ru", "the goal's words in Russian"),
        _text("label_en", "the goal's words in English"),
        Field(
            "superseded",
            "year",
            "year",
            "the year a newer goal replaced this one; it is then shown as the goal's history, never assessed",
            required=False,
            first_year=FIRST_ACTUAL_YEAR,
            last_year=LAST_YEAR,
        ),
    ),
)
ACTUAL_TABLE = Table(
    "actual",
    "year",
    "actuals.csv",
    "observed figures by year (any may be left out); the forecast starts from the latest year that gives all three",
    (
        Field("floor_area_m2", "number", "m²", "floor area at the end of the year", required=False),
        Field("jobs", "number", "people", "people working in the zone at the end of the year", required=False),
        Field("companies", "number", "companies", "resident companies at the end of the year", required=False),
    ),
)
MAX_PROJECTS = 500  # each is a row of the pipeline's table and a column of its Monte Carlo
# Each yearly part of a project is a column of the pipeline's Monte Carlo, drawn for every draw:
# 2,000 keep a chunk of draws to tens of megabytes and a hosted run of the cap to seconds.
MAX_PARTS = 2_000
PROJECT_TABLE = Table(
    "project",
    "slug",
    "projects.csv",
    "the named development projects of the zone's pipeline (optional)",
    (
        _text("name_ru", "the project's name in Russian"),
        _text("name_en", "the project's name in English"),
        _text("site", "the site it is on"),
        _text("cluster", "the key of the cluster it serves"),
        Field("status", "choice", "text", "how far it has got", options=STATUSES),
        Field("floor_area_m2", "number", "m²", "the floor area it adds", positive=True),
        Field(
            "first_year",
            "year",
            "year",
            "for a plan known only as a total: the first year of equal yearly parts; empty: it opens at once",
            required=False,
            first_year=FIRST_ACTUAL_YEAR,
            last_year=LAST_YEAR,
        ),
        Field(
            "year", "year", "year", "the planned (last) opening year", first_year=FIRST_ACTUAL_YEAR, last_year=LAST_YEAR
        ),
        Field("jobs", "number", "people", "jobs the whole project brings, where stated", required=False),
    ),
)
DEFAULT_TABLE = Table(
    "default",
    "param",
    "defaults.csv",
    "a parameter's default for this zone, in the planner's units",
    (Field("value", "param", "the parameter's", "the default, in the parameter's own range (`planner parameters`)"),),
)
SCHEMA: tuple[Table, ...] = (ZONE_TABLE, CLUSTER_TABLE, GOAL_TABLE, ACTUAL_TABLE, PROJECT_TABLE, DEFAULT_TABLE)
TABLES = {table.name: table for table in SCHEMA}
BASELINE_FIELDS = tuple(f.name for f in ZONE_TABLE.fields if f.name not in ("name_ru", "name_en"))
LEVEL_FIELDS = {"floor_area": "floor_area_m2", "new_jobs": "jobs"}  # a goal's base level in the actuals


# --- cells -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One value as an adapter read it, its source, and where it stands."""

    value: str
    source: str
    file: str
    row: int
    column: str  # the column holding the value

    def error(self, message: str, column: str | None = None) -> DataError:
        return DataError(self.file, message, self.row, column or self.column)


# table → key → field → cell, in the order the data first names them.
Entries = dict[str, dict[str, dict[str, Cell]]]


def parse_number(cell: Cell) -> float:
    """A finite, non-negative number in plain notation, or a DataError naming the cell."""
    if not NUMBER.fullmatch(cell.value):
        raise cell.error(f"{shorten(cell.value)!r} is not a number")
    value = float(cell.value)
    if not 0 <= value <= LARGEST:
        raise cell.error(f"{shorten(cell.value)!r} must be a finite, non-negative number up to {LARGEST:g}")
    return value


def parse_year(cell: Cell, first: int, last: int) -> int:
    """A whole year in range: int() of 2024.5 would silently be 2024."""
    if not NUMBER.fullmatch(cell.value) or not float(cell.value).is_integer() or not first <= float(cell.value) <= last:
        raise cell.error(f"{shorten(cell.value)!r} must be a whole year from {first} to {last}")
    return int(float(cell.value))


def check_key(table: Table, key: str, cell: Cell) -> str:
    """A row's key in canonical form (`new_jobs` and `new_jobs:main` are one goal); `cell`
    is the key's own cell."""
    if table.key == "slug" and not KEY.fullmatch(key):
        raise cell.error(f"{shorten(key)!r} is not a key: {KEY_RULE}")
    if table.key == "goal":
        metric, colon, reading = key.partition(":")
        if metric not in GOAL_BASES:
            raise cell.error(f"{shorten(key)!r}: a goal is {' or '.join(GOAL_BASES)}, optionally :reading")
        reading = reading if colon else DEFAULT_READING
        if not KEY.fullmatch(reading):
            raise cell.error(f"{shorten(reading)!r} is not a goal reading: {KEY_RULE}")
        return f"{metric}:{reading}"
    if table.key == "year":
        return str(parse_year(cell, FIRST_ACTUAL_YEAR, LAST_YEAR))
    return key


def check_cell(table: Table, key: str, field: Field, cell: Cell) -> None:
    """Every check one cell allows on its own."""
    if field.needs_source and not cell.source and not (cell.value == "" and not field.required):
        raise cell.error("is empty; every number needs a source (a citation or 'assumption: …')", "source")
    if cell.value == "":
        if field.required or field.kind == "text":
            raise cell.error("is empty")
        return
    if field.kind == "number":  # a default ("param") is parsed by its parameter, once the registry exists
        number = parse_number(cell)
        if number > field.maximum:
            raise cell.error(f"{shorten(cell.value)!r} is above {field.maximum:g}{' %' if field.unit == '%' else ''}")
        if field.positive and number == 0:
            raise cell.error("must be positive")
    elif field.kind == "year":
        parse_year(cell, field.first_year, field.last_year)
    elif field.kind == "bool" and cell.value.lower() not in ("true", "false"):  # a spreadsheet writes TRUE
        raise cell.error(f"{shorten(cell.value)!r} must be true or false")
    elif field.kind == "choice" and field.options:
        if cell.value not in field.options:
            raise cell.error(f"{shorten(cell.value)!r}: {field.name} must be one of {', '.join(field.options)}")
    elif field.kind == "choice":
        bases = GOAL_BASES[key.partition(":")[0]]
        if cell.value not in bases:
            raise cell.error(f"{shorten(cell.value)!r}: basis for this goal must be one of {', '.join(bases)}")


def add(entries: Entries, table: Table, key: str, field: str, cell: Cell, key_column: str) -> None:
    """One checked cell into `entries`; a cell given twice is refused (the later one would
    silently win). `key_column` is the column that holds the row's key."""
    try:
        declared = table.field(field)
    except KeyError as error:
        raise cell.error(str(error.args[0]), "field") from None
    key = check_key(table, key, replace(cell, value=key, column=key_column))
    check_cell(table, key, declared, cell)
    fields = entries.setdefault(table.name, {}).setdefault(key, {})
    if field in fields:
        twice = f"{table.name} {shorten(key)} {field} is given twice (first in row {fields[field].row})"
        raise DataError(cell.file, twice, cell.row)
    fields[field] = cell


# --- the builder -----------------------------------------------------------------------------


class Builder:
    """Makes one zone from its entries; `where(table)` names the file a whole-table problem
    is reported in (the folder's file for that table, or the uploaded file)."""

    def __init__(self, key: str, entries: Entries, files: Mapping[str, str]):
        self.key, self.entries, self.files = key, entries, files

    def fail(self, table: Table, message: str) -> DataError:
        return DataError(self.files[table.name], f"table {table.name} of zone {self.key!r}: {message}")

    def items(self, table: Table) -> dict[str, dict[str, Cell]]:
        items = self.entries.get(table.name, {})
        for key, fields in items.items():
            missing = [f.name for f in table.fields if f.required and f.name not in fields]
            if missing:
                raise self.fail(table, f"{shorten(key)!r} lacks {', '.join(missing)}")
        return items

    def zone(self) -> Zone:
        """The zone without its defaults, which depend on the registry its clusters make."""
        rows = self.items(ZONE_TABLE)
        if self.key not in rows:
            raise self.fail(ZONE_TABLE, "there are no rows for the zone")
        fields = rows[self.key]
        land = fields.get("land_ha")
        names = {f: fields[f] for f in ("name_ru", "name_en")}
        actuals = self.actuals()
        clusters = self.clusters()
        zone = Zone(
            self.key,
            fields["name_ru"].value,
            fields["name_en"].value,
            occupancy=float(fields["occupancy_pct"].value) / 100,
            land_ha=float(land.value) if land and land.value else None,
            clusters=clusters,
            goals=self.goals(actuals),
            actuals=actuals,
            baseline_sources=tuple(
                Sourced(f, fields[f].value, fields[f].source) if f in fields else Sourced(f, "", "not given")
                for f in BASELINE_FIELDS
            ),
            defaults=(),
            source=sources(names) or f"{self.files[ZONE_TABLE.name]}",
            projects=self.projects(clusters),
        )
        return zone

    def projects(self, clusters: tuple[Cluster, ...]) -> tuple[Project, ...]:
        items = self.items(PROJECT_TABLE)
        if len(items) > MAX_PROJECTS:
            raise self.fail(PROJECT_TABLE, f"{len(items)} projects; at most {MAX_PROJECTS}")
        known = [cluster.key for cluster in clusters]
        projects = []
        for key, fields in items.items():
            if fields["cluster"].value not in known:
                message = f"project {key}: {shorten(fields['cluster'].value)!r} is not a cluster of the zone"
                raise fields["cluster"].error(f"{message}; known: {', '.join(known)}")
            year = int(float(fields["year"].value))
            first = fields.get("first_year")
            first_year = int(float(first.value)) if first and first.value else year
            if first_year > year:
                raise fields["year"].error(f"project {key}: its first year {first_year} is after its year {year}")
            jobs = fields.get("jobs")
            projects.append(
                Project(
                    key,
                    fields["name_ru"].value,
                    fields["name_en"].value,
                    fields["site"].value,
                    fields["cluster"].value,
                    fields["status"].value,
                    float(fields["floor_area_m2"].value),
                    first_year,
                    year,
                    float(jobs.value) if jobs and jobs.value else None,
                    sources(fields),
                )
            )
        parts = sum(project.year - project.first_year + 1 for project in projects)
        if parts > MAX_PARTS:
            raise self.fail(PROJECT_TABLE, f"the projects open in {parts:,} yearly parts; at most {MAX_PARTS:,} in all")
        return tuple(projects)

    def clusters(self) -> tuple[Cluster, ...]:
        items = self.items(CLUSTER_TABLE)
        if not items:
            raise self.fail(CLUSTER_TABLE, "no clusters; give at least one")
        if len(items) > MAX_CLUSTERS:
            raise self.fail(CLUSTER_TABLE, f"{len(items)} clusters; at most {MAX_CLUSTERS}")
        clusters = tuple(
            Cluster(
                key,
                fields["name_ru"].value,
                fields["name_en"].value,
                float(fields["base_share_pct"].value) / 100,
                float(fields["density_jobs_per_1000m2"].value),
                sources(fields),
            )
            for key, fields in items.items()
        )
        total = sum(cluster.base_share for cluster in clusters)
        if abs(total - 1) > 1e-6:
            raise self.fail(CLUSTER_TABLE, f"base_share_pct sums to {total * 100:g}, not 100")
        return clusters

    def goals(self, actuals: tuple[Actual, ...]) -> tuple[Goal, ...]:
        observed = {actual.year: actual for actual in actuals}
        goals = []
        for key, fields in self.items(GOAL_TABLE).items():
            metric, _, reading = key.partition(":")
            base_year = int(float(fields["base_year"].value))
            level_field = LEVEL_FIELDS[metric]
            base = getattr(observed[base_year], level_field) if base_year in observed else None
            if base is None or base <= 0:
                raise fields["base_year"].error(
                    f"goal {shorten(key)} counts from {base_year}, but the actuals give no {level_field} "
                    f"above 0 for {base_year}; add it to the actuals or name another base year"
                )
            superseded = fields.get("superseded")
            value, basis = float(fields["value"].value), fields["basis"].value
            goals.append(
                Goal(
                    metric=metric,
                    reading=reading,
                    basis=basis,
                    value=value,
                    year=int(float(fields["year"].value)),
                    base_year=base_year,
                    base_level=float(base),
                    level=goal_level(basis, value, float(base)),
                    is_default=fields["is_default"].value.lower() == "true",
                    label_ru=fields["label_ru"].value,
                    label_en=fields["label_en"].value,
                    source=sources(fields),
                    superseded=int(float(superseded.value)) if superseded and superseded.value else None,
                )
            )
        in_force = [goal for goal in goals if goal.superseded is None]
        for metric in GOAL_BASES:
            count = sum(goal.metric == metric and goal.is_default for goal in in_force)
            if count != 1:
                raise self.fail(GOAL_TABLE, f"needs exactly one default {metric} goal (is_default true), has {count}")
        if any(goal.is_default for goal in goals if goal.superseded is not None):
            raise self.fail(GOAL_TABLE, "a superseded goal cannot be the default")
        years = sorted({goal.year for goal in in_force})
        if len(years) != 1:  # the model has one target year per zone
            raise self.fail(GOAL_TABLE, f"all goals must share one target year; found {', '.join(map(str, years))}")
        start = jump_off(actuals).year if any(is_complete(a) for a in actuals) else None
        if start is None:
            raise self.fail(
                ACTUAL_TABLE,
                "no year gives floor_area_m2, jobs and companies together; "
                "the forecast starts from the latest such year",
            )
        if start < FIRST_BASE_YEAR:
            raise self.fail(
                ACTUAL_TABLE,
                f"the latest complete year is {start}; the forecast must start in {FIRST_BASE_YEAR} or later",
            )
        if years[0] <= start:
            raise self.fail(GOAL_TABLE, f"the target year {years[0]} must come after the jump-off year {start}")
        if not jump_off(actuals).floor_area_m2:  # the model grows the stock by rates: it needs one
            raise self.fail(ACTUAL_TABLE, f"floor_area_m2 of the jump-off year {start} must be above 0")
        late = [goal for goal in goals if goal.base_year >= goal.year]
        if late:
            goal = late[0]
            raise self.fail(
                GOAL_TABLE,
                f"goal {goal.metric}:{goal.reading} counts from {goal.base_year}, "
                f"not before its target year {goal.year}",
            )
        return tuple(goals)

    def actuals(self) -> tuple[Actual, ...]:
        def number(cell: Cell | None) -> float | None:
            return float(cell.value) if cell and cell.value else None

        actuals = (
            Actual(
                year=int(year),
                floor_area_m2=number(fields.get("floor_area_m2")),
                jobs=number(fields.get("jobs")),
                companies=number(fields.get("companies")),
                source=sources(fields),
            )
            for year, fields in self.items(ACTUAL_TABLE).items()
        )
        return tuple(sorted(actuals, key=lambda actual: actual.year))

    def given_defaults(self, registry: Registry, zone: Zone) -> list[Sourced]:
        """The defaults the data gives, each parsed by its parameter."""
        given = []
        for key, fields in self.items(DEFAULT_TABLE).items():
            cell = fields["value"]
            try:
                param = registry[key]
            except ParamError as error:
                raise cell.error(f"default {error}", "key") from None
            try:
                value = param.parse(cell.value)
            except ParamError as error:
                raise cell.error(f"default {error}") from None
            if key == HORIZON_KEY and float(value) < zone.target_year:  # the goals must be inside the years shown
                raise cell.error(f"default horizon: {value:g} is before the target year {zone.target_year}")
            given.append(Sourced(key, param.format(value), cell.source))  # "1,5" is read as 1.5; kept as "1.5"
        return given


def sources(fields: Mapping[str, Cell]) -> str:
    """One source for several cells: each distinct one once, in order."""
    return "; ".join(dict.fromkeys(cell.source for cell in fields.values() if cell.source))


# --- documentation ---------------------------------------------------------------------------


def format_tables(tables: Iterable[Table] = SCHEMA) -> str:
    """The fields of every table as Markdown, as docs/zone-format.md shows them."""
    parts = []
    for table in tables:
        parts.append(f"#### `{table.name}` fields (in the bundled folder: `{table.folder_file}`)\n")
        parts.append("| field | unit | required | allowed | meaning |")
        parts.append("|---|---|---|---|---|")
        for field in table.fields:
            required = "yes" if field.required else "no"
            parts.append(f"| `{field.name}` | {field.unit} | {required} | {field.bounds()} | {field.meaning} |")
        parts.append("")
    return "\n".join(parts)
