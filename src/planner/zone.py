"""A zone's data as values: the zone, its clusters, goals, actuals and sourced defaults.

These are what both ways into the planner produce — the bundled folder (`planner.data`) and
one uploaded file (`planner.zonefile`) — through the one builder in `planner.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass


class DataError(ValueError):
    """A data file that cannot be used; the message says where and why."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        where = file + (f", row {row}" if row is not None else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}")
        self.file, self.row, self.column = file, row, column


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
    metric: str  # "floor_area" or "new_jobs"
    reading: str
    basis: str
    value: float
    year: int
    is_default: bool
    label_ru: str
    label_en: str
    source: str

    def label(self, lang: str) -> str:
        return self.label_ru if lang == "ru" else self.label_en


@dataclass(frozen=True)
class Actual:
    year: int
    floor_area_m2: float | None
    jobs: float | None
    companies: float | None
    source: str


@dataclass(frozen=True)
class Sourced:
    """One number or default as it appears in data/, for the assumptions table."""

    key: str
    value: str
    source: str


@dataclass(frozen=True)
class Zone:
    key: str
    name_ru: str
    name_en: str
    base_year: int
    floor_area_m2: float
    jobs: float
    companies: float
    occupancy: float  # fraction of the base stock occupied
    land_ha: float | None
    clusters: tuple[Cluster, ...]
    goals: tuple[Goal, ...]
    actuals: tuple[Actual, ...]
    baseline_sources: tuple[Sourced, ...]
    defaults: tuple[Sourced, ...]
    source: str

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_en

    @property
    def target_year(self) -> int:
        return self.goals[0].year

    def goal_readings(self, metric: str) -> tuple[Goal, ...]:
        return tuple(goal for goal in self.goals if goal.metric == metric)

    def goal(self, metric: str, reading: str | None = None) -> Goal:
        readings = self.goal_readings(metric)
        for goal in readings:
            if goal.reading == reading or (reading is None and goal.is_default):
                return goal
        raise KeyError(f"{self.key}: no {metric} goal {reading!r}")

    def target(self, goal: Goal) -> float:
        """The goal as floor area in m² (floor_area) or as new jobs (new_jobs)."""
        if goal.basis == "multiple":
            return goal.value * self.floor_area_m2
        if goal.basis == "increment_m2":
            return self.floor_area_m2 + goal.value
        if goal.basis == "total":
            return goal.value - self.jobs
        return goal.value  # total_m2, new

    def default_values(self) -> dict[str, str]:
        return {item.key: item.value for item in self.defaults}
