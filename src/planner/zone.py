"""A zone's data as values: the zone, its clusters, goals, actuals and sourced defaults.

These are what both ways into the planner produce — the bundled folder (`planner.data`) and
one uploaded file (`planner.zonefile`) — through the one builder in `planner.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.i18n import text
from planner.messages import Wording, worded


class DataError(ValueError):
    """A data file that cannot be used; the message says where and why, in English by
    `str()` and in any language by `text(lang)`."""

    def __init__(self, file: str, message: Wording, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.wording = file, row, column, message
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        where = self.file
        if self.row is not None:
            where += ", " + text("where_row", lang, row=self.row)
        if self.column:
            where += ", " + text("where_column", lang, column=self.column)
        return f"{where}: {worded(self.wording, lang)}"


@dataclass(frozen=True)
class Cluster:
    key: str
    name_ru: str
    name_en: str
    base_share: float  # fraction of the base-year floor area
    density: float  # jobs per 1,000 m², relative weights scaled by the `density` parameter
    source: str

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_en


@dataclass(frozen=True)
class Goal:
    """A goal as an absolute level in its target year, with the base it is stated on.

    `value` and `basis` are the goal's own words (×3.5, +2.5 million m², 90,000 new);
    `level` is what they mean in the target year (floor area in m², or people working),
    resolved once from the observed figure of the goal's `base_year`. A later row of
    actuals moves the forecast's start, never a goal.
    """

    metric: str  # "floor_area" or "new_jobs"
    reading: str
    basis: str
    value: float
    year: int
    base_year: int  # the year whose end the goal's words count from
    base_level: float  # the observed floor area (m²) or jobs at the end of base_year
    level: float  # the goal in the target year: floor area in m², or people working
    is_default: bool
    label_ru: str
    label_en: str
    source: str
    superseded: int | None = None  # the year a newer goal replaced it: drawn as history, never assessed

    def label(self, lang: str) -> str:
        return self.label_ru if lang == "ru" else self.label_en


def goal_level(basis: str, value: float, base_level: float) -> float:
    """The level a goal's words give, on the observed level of its base year."""
    if basis == "multiple":
        return value * base_level
    if basis in ("increment_m2", "new"):
        return base_level + value
    return value  # total_m2, total


# A project's status, from the most to the least certain; each has its own completion
# probability and slippage (parameters `complete_<status>` and `slip_<status>`).
STATUSES: tuple[str, ...] = ("operating", "construction", "approved", "announced")


@dataclass(frozen=True)
class Project:
    """A named development project of the zone's pipeline. A site's plan known only as a
    total opens in equal parts each year from `first_year` to `year`."""

    key: str
    name_ru: str
    name_en: str
    site: str
    cluster: str  # a cluster key of the zone
    status: str  # one of STATUSES
    floor_area_m2: float
    first_year: int  # = year when it opens at once
    year: int  # the planned (last) opening year
    jobs: float | None  # stated jobs of the whole project; None: from the cluster's density
    source: str

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_en

    def tranches(self) -> tuple[tuple[int, float], ...]:
        """(opening year, m²) of each equal part."""
        years = range(self.first_year, self.year + 1)
        return tuple((year, self.floor_area_m2 / len(years)) for year in years)


@dataclass(frozen=True)
class Actual:
    year: int
    floor_area_m2: float | None
    jobs: float | None
    companies: float | None
    source: str


def is_complete(actual: Actual) -> bool:
    """A row the forecast can start from: floor area, jobs and companies all observed."""
    return None not in (actual.floor_area_m2, actual.jobs, actual.companies)


def jump_off(actuals: tuple[Actual, ...]) -> Actual:
    """The latest complete row of actuals (sorted by year): where the forecast starts."""
    complete = [actual for actual in actuals if is_complete(actual)]
    if not complete:
        raise ValueError("no year of actuals gives floor area, jobs and companies together")
    return complete[-1]


@dataclass(frozen=True)
class Sourced:
    """One number or default as it appears in data/, for the assumptions table."""

    key: str
    value: str
    source: str


@dataclass(frozen=True)
class Zone:
    """A zone's data. The forecast starts at the jump-off: the latest year whose actuals give
    floor area, jobs and companies together; `floor_area_m2`, `jobs` and `companies` are
    that year's observed figures."""

    key: str
    name_ru: str
    name_en: str
    occupancy: float  # fraction of the jump-off stock occupied
    land_ha: float | None
    clusters: tuple[Cluster, ...]
    goals: tuple[Goal, ...]
    actuals: tuple[Actual, ...]
    baseline_sources: tuple[Sourced, ...]
    defaults: tuple[Sourced, ...]
    source: str
    # A zone of zones ("both together"): its forecast is the sum of its parts' own runs,
    # and its actuals and goals are their sums (`planner.data.combine`).
    parts: tuple[Zone, ...] = ()
    projects: tuple[Project, ...] = ()  # the named pipeline (a zone of zones: its parts')

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_en

    @property
    def jump_off(self) -> Actual:
        return jump_off(self.actuals)

    @property
    def jump_off_year(self) -> int:
        """For a zone of zones, the latest of its parts' jump-offs: the sum starts where
        every part has either its observation or its forecast."""
        if self.parts:
            return max(part.jump_off_year for part in self.parts)
        return self.jump_off.year

    @property
    def floor_area_m2(self) -> float:
        return float(self.jump_off.floor_area_m2 or 0.0)

    @property
    def jobs(self) -> float:
        return float(self.jump_off.jobs or 0.0)

    @property
    def companies(self) -> float:
        return float(self.jump_off.companies or 0.0)

    @property
    def target_year(self) -> int:
        return next(goal.year for goal in self.goals if goal.superseded is None)

    def as_of(self, year: int) -> Zone:
        """The zone as it was known at the end of `year`: the actuals up to it (an earlier
        jump-off, for a forecast vintage); the goals keep their levels."""
        actuals = tuple(a for a in self.actuals if a.year <= year)
        return replace(self, actuals=actuals, parts=tuple(part.as_of(year) for part in self.parts))

    def vintages(self) -> tuple[int, ...]:
        """The earlier jump-off years: each year before the jump-off with a complete row."""
        return tuple(a.year for a in self.actuals if is_complete(a) and a.year < self.jump_off_year)

    def goal_readings(self, metric: str) -> tuple[Goal, ...]:
        """The goals in force for a metric (a superseded goal is history, not a reading)."""
        return tuple(goal for goal in self.goals if goal.metric == metric and goal.superseded is None)

    def goal_history(self, metric: str) -> tuple[Goal, ...]:
        return tuple(goal for goal in self.goals if goal.metric == metric and goal.superseded is not None)

    def goal(self, metric: str, reading: str | None = None) -> Goal:
        readings = self.goal_readings(metric)
        for goal in readings:
            if goal.reading == reading or (reading is None and goal.is_default):
                return goal
        raise KeyError(f"{self.key}: no {metric} goal {reading!r}")

    def default_values(self) -> dict[str, str]:
        return {item.key: item.value for item in self.defaults}
