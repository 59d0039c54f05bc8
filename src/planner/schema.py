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

from planner.i18n import NBSP
from planner.messages import Message, Wording, message
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
KEY_RULE = message("data_key_rule")  # what a key may hold, for a message
# Plain decimal notation only: float() would also take "1_000", "２０" (other scripts'
# digits), "nan" and "inf", none of which belongs in a data file.
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
GOAL_BASES = {"floor_area": ("multiple", "increment_m2", "total_m2"), "new_jobs": ("new", "total")}
DEFAULT_READING = "main"


# --- words of a message ---------------------------------------------------------------------


class Figure(Message):
    """A number in a message, written as each language writes it: `format(value, spec)` in
    English (1,234.5), with a space between thousands and a decimal comma in Russian (1 234,5)."""

    def __init__(self, value: float, spec: str = ",") -> None:
        super().__init__("", (("en", format(value, spec)),))

    def text(self, lang: str) -> str:
        english = str(self.values[0][1])
        return english.replace(",", NBSP).replace(".", ",") if lang == "ru" else english


def either(names: Iterable[str]) -> Message:
    """The names joined as "a or b" ("a, b or c") in the reader's language."""
    *first, last = names
    return message("data_either", first=", ".join(first), last=last)


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
        raise KeyError(message("data_unknown_field", field=repr(shorten(name)), table=self.name, allowed=allowed))


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

    def error(self, wording: Wording, column: str | None = None) -> DataError:
        return DataError(self.file, wording, self.row, column or self.column)


# table → key → field → cell, in the order the data first names them.
Entries = dict[str, dict[str, dict[str, Cell]]]


def parse_number(cell: Cell) -> float:
    """A finite, non-negative number in plain notation, or a DataError naming the cell."""
    if not NUMBER.fullmatch(cell.value):
        raise cell.error(message("data_not_a_number", value=repr(shorten(cell.value))))
    value = float(cell.value)
    if not 0 <= value <= LARGEST:
        raise cell.error(
            message("data_number_out_of_range", value=repr(shorten(cell.value)), largest=Figure(LARGEST, "g"))
        )
    return value


def parse_year(cell: Cell, first: int, last: int) -> int:
    """A whole year in range: int() of 2024.5 would silently be 2024."""
    if not NUMBER.fullmatch(cell.value) or not float(cell.value).is_integer() or not first <= float(cell.value) <= last:
        raise cell.error(message("data_not_a_year", value=repr(shorten(cell.value)), first=first, last=last))
    return int(float(cell.value))


def check_key(table: Table, key: str, cell: Cell) -> str:
    """A row's key in canonical form (`new_jobs` and `new_jobs:main` are one goal); `cell`
    is the key's own cell."""
    if table.key == "slug" and not KEY.fullmatch(key):
        raise cell.error(message("data_not_a_key", name=repr(shorten(key)), rule=KEY_RULE))
    if table.key == "goal":
        metric, colon, reading = key.partition(":")
        if metric not in GOAL_BASES:
            raise cell.error(message("data_not_a_goal", name=repr(shorten(key)), metrics=either(GOAL_BASES)))
        reading = reading if colon else DEFAULT_READING
        if not KEY.fullmatch(reading):
            raise cell.error(message("data_not_a_reading", reading=repr(shorten(reading)), rule=KEY_RULE))
        return f"{metric}:{reading}"
    if table.key == "year":
        return str(parse_year(cell, FIRST_ACTUAL_YEAR, LAST_YEAR))
    return key


def check_cell(table: Table, key: str, field: Field, cell: Cell) -> None:
    """Every check one cell allows on its own."""
    if field.needs_source and not cell.source and not (cell.value == "" and not field.required):
        raise cell.error(message("data_no_source"), "source")
    if cell.value == "":
        if field.required or field.kind == "text":
            raise cell.error(message("data_empty"))
        return
    if field.kind == "number":  # a default ("param") is parsed by its parameter, once the registry exists
        number = parse_number(cell)
        if number > field.maximum:
            maximum = Figure(field.maximum, "g")
            unit = " %" if field.unit == "%" else ""
            raise cell.error(message("data_above_maximum", value=repr(shorten(cell.value)), maximum=maximum, unit=unit))
        if field.positive and number == 0:
            raise cell.error(message("data_not_positive"))
    elif field.kind == "year":
        parse_year(cell, field.first_year, field.last_year)
    elif field.kind == "bool" and cell.value.lower() not in ("true", "false"):  # a spreadsheet writes TRUE
        raise cell.error(message("data_not_bool", value=repr(shorten(cell.value))))
    elif field.kind == "choice" and field.options:
        if cell.value not in field.options:
            options = ", ".join(field.options)
            raise cell.error(
                message("data_not_an_option", value=repr(shorten(cell.value)), field=field.name, options=options)
            )
    elif field.kind == "choice":
        bases = GOAL_BASES[key.partition(":")[0]]
        if cell.value not in bases:
            raise cell.error(message("data_not_a_basis", value=repr(shorten(cell.value)), bases=", ".join(bases)))


def add(entries: Entries, table: Table, key: str, field: str, cell: Cell, key_column: str) -> None:
    """One checked cell into `entries`; a cell given twice is refused (the later one would
    silently win). `key_column` is the column that holds the row's key."""
    try:
        declared = table.field(field)
    except KeyError as error:
        unknown: Wording = error.args[0]
        raise cell.error(unknown, "field") from None
    key = check_key(table, key, replace(cell, value=key, column=key_column))
    check_cell(table, key, declared, cell)
    fields = entries.setdefault(table.name, {}).setdefault(key, {})
    if field in fields:
        twice = message("data_field_twice", table=table.name, name=shorten(key), field=field, row=fields[field].row)
        raise DataError(cell.file, twice, cell.row)
    fields[field] = cell


# --- the builder -----------------------------------------------------------------------------


class Builder:
    """Makes one zone from its entries; `where(table)` names the file a whole-table problem
    is reported in (the folder's file for that table, or the uploaded file)."""

    def __init__(self, key: str, entries: Entries, files: Mapping[str, str]):
        self.key, self.entries, self.files = key, entries, files

    def fail(self, table: Table, reason: Wording) -> DataError:
        wording = message("data_table_of_zone", table=table.name, zone=repr(self.key), reason=reason)
        return DataError(self.files[table.name], wording)

    def items(self, table: Table) -> dict[str, dict[str, Cell]]:
        items = self.entries.get(table.name, {})
        for key, fields in items.items():
            missing = [f.name for f in table.fields if f.required and f.name not in fields]
            if missing:
                raise self.fail(table, message("data_lacks", name=repr(shorten(key)), missing=", ".join(missing)))
        return items

    def zone(self) -> Zone:
        """The zone without its defaults, which depend on the registry its clusters make."""
        rows = self.items(ZONE_TABLE)
        if self.key not in rows:
            raise self.fail(ZONE_TABLE, message("data_no_zone_rows"))
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
            raise self.fail(PROJECT_TABLE, message("data_too_many_projects", count=len(items), limit=MAX_PROJECTS))
        known = [cluster.key for cluster in clusters]
        projects = []
        for key, fields in items.items():
            if fields["cluster"].value not in known:
                cluster = repr(shorten(fields["cluster"].value))
                wording = message("data_project_cluster", project=key, cluster=cluster, known=", ".join(known))
                raise fields["cluster"].error(wording)
            year = int(float(fields["year"].value))
            first = fields.get("first_year")
            first_year = int(float(first.value)) if first and first.value else year
            if first_year > year:
                raise fields["year"].error(message("data_project_years", project=key, first=first_year, year=year))
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
            raise self.fail(PROJECT_TABLE, message("data_too_many_parts", parts=Figure(parts), limit=Figure(MAX_PARTS)))
        return tuple(projects)

    def clusters(self) -> tuple[Cluster, ...]:
        items = self.items(CLUSTER_TABLE)
        if not items:
            raise self.fail(CLUSTER_TABLE, message("data_no_clusters"))
        if len(items) > MAX_CLUSTERS:
            raise self.fail(CLUSTER_TABLE, message("data_too_many_clusters", count=len(items), limit=MAX_CLUSTERS))
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
            raise self.fail(CLUSTER_TABLE, message("data_shares_sum", total=Figure(total * 100, "g")))
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
                    message("data_goal_base", goal=shorten(key), year=base_year, field=level_field)
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
                raise self.fail(GOAL_TABLE, message("data_one_default", metric=metric, count=count))
        if any(goal.is_default for goal in goals if goal.superseded is not None):
            raise self.fail(GOAL_TABLE, message("data_superseded_default"))
        years = sorted({goal.year for goal in in_force})
        if len(years) != 1:  # the model has one target year per zone
            raise self.fail(GOAL_TABLE, message("data_one_target_year", years=", ".join(map(str, years))))
        start = jump_off(actuals).year if any(is_complete(a) for a in actuals) else None
        if start is None:
            raise self.fail(ACTUAL_TABLE, message("data_no_complete_year"))
        if start < FIRST_BASE_YEAR:
            raise self.fail(ACTUAL_TABLE, message("data_start_too_early", start=start, first=FIRST_BASE_YEAR))
        if years[0] <= start:
            raise self.fail(GOAL_TABLE, message("data_target_before_start", target=years[0], start=start))
        if not jump_off(actuals).floor_area_m2:  # the model grows the stock by rates: it needs one
            raise self.fail(ACTUAL_TABLE, message("data_no_start_floor_area", start=start))
        late = [goal for goal in goals if goal.base_year >= goal.year]
        if late:
            goal = late[0]
            wording = message(
                "data_goal_base_late", goal=f"{goal.metric}:{goal.reading}", base=goal.base_year, year=goal.year
            )
            raise self.fail(GOAL_TABLE, wording)
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
                raise cell.error(message("data_default_refused", reason=error.wording), "key") from None
            try:
                value = param.parse(cell.value)
            except ParamError as error:
                raise cell.error(message("data_default_refused", reason=error.wording)) from None
            if key == HORIZON_KEY and float(value) < zone.target_year:  # the goals must be inside the years shown
                wording = message("data_default_horizon", horizon=f"{value:g}", year=zone.target_year)
                raise cell.error(wording)
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
