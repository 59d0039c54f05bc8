"""The two outcomes a goal is set for, each declared once: floor area and new jobs.

A `Metric` knows its series on a projection, the unit of its goal (a multiple of the floor
area of the goal's base year, or new jobs over that year's), how that unit turns into the
level people read (m², jobs), how both are scaled for display, the words that title its charts, and which
parameters are its levers. Code that treats the two outcomes alike asks the metric; no
module outside this one branches on a metric's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from planner.scenario import FLOOR_AREA, NEW_JOBS, Registry

if TYPE_CHECKING:
    from planner.forecast import Run
    from planner.zone import Goal


Quantity = TypeVar("Quantity", float, np.ndarray)


@dataclass(frozen=True)
class Metric:
    key: str  # the goal's metric in the data: "floor_area" or "new_jobs"
    result_key: str  # its name in files, the CLI and the workbook: "area_multiple" or "new_jobs"
    goal_unit: str  # the unit of a goal result's target and value: "multiple" or "new_jobs"
    origin: float  # the goal series at the goal's base level: 1× the base, or no new jobs
    attribute: str  # the attribute holding it on an Outlook and a RiskResult: "area" or "jobs"
    level_field: str  # the projection's (and an actual's) level people read: m² or jobs
    cluster_field: str  # the level by cluster
    level_scale: float  # the level in charts and tables: million m², thousand jobs
    goal_scale: float  # the goal's unit in charts: the multiple as is, thousand new jobs
    decimals: int
    title: str  # i18n keys: the trajectory chart's title, the fan chart's, the gap's axis
    fan_title: str
    gap_axis: str
    cluster_title: str
    level_unit: str  # i18n key of the level's unit
    # A level (m², jobs) in the goal's unit on a base level, and back.
    _in_unit: Callable[[Any, float], Any]
    _to_level: Callable[[Any, float], Any]

    def series(self, projection: Run, goal: Goal) -> np.ndarray:
        """Per year in the goal's unit (with any leading draws axis)."""
        in_unit: np.ndarray = self._in_unit(self.level(projection), goal.base_level)
        return in_unit

    def level(self, projection: Run) -> np.ndarray:
        values: np.ndarray = getattr(projection, self.level_field)
        return values

    def by_cluster(self, projection: Run) -> np.ndarray:
        values: np.ndarray = getattr(projection, self.cluster_field)
        return values

    def target(self, goal: Goal) -> float:
        """The goal in the goal's unit."""
        target: float = self._in_unit(goal.level, goal.base_level)
        return target

    def as_level(self, goal: Goal, value: Quantity) -> Quantity:
        """A value (or an array of them) in the goal's unit as the level people read (m², jobs)."""
        level: Quantity = self._to_level(value, goal.base_level)
        return level

    def needed(self, goal: Goal, projection: Run) -> float:
        """What the goal still needs from the jump-off: its level less the jump-off's (m², jobs)."""
        return goal.level - float(np.asarray(self.level(projection))[..., 0].flat[0])

    def of(self, holder: Any) -> Any:
        """This metric's part of an Outlook (its GoalResult) or a RiskResult (its Distribution)."""
        return getattr(holder, self.attribute)

    def levers(self, registry: Registry, shared: bool = False) -> tuple[str, ...]:
        """The parameters goal seek may turn for this metric, in registry order; `shared`:
        only those set once for a zone of zones (a part's own growth is not one number)."""
        return tuple(p.key for p in registry if p.lever and self.key in p.moves and (p.shared or not shared))

    def proportional(self, registry: Registry) -> tuple[str, ...]:
        return tuple(p.key for p in registry if self.key in p.proportional)


AREA = Metric(
    key=FLOOR_AREA,
    result_key="area_multiple",
    goal_unit="multiple",
    origin=1.0,
    attribute="area",
    level_field="floor_area_m2",
    cluster_field="floor_area_m2_by_cluster",
    level_scale=1e6,
    goal_scale=1.0,
    decimals=2,
    title="chart_area_title",
    fan_title="fan_area_title",
    gap_axis="gap_area_axis",
    cluster_title="clusters_area_title",
    level_unit="unit_m2",
    _in_unit=lambda m2, base: m2 / base,
    _to_level=lambda multiple, base: multiple * base,
)
JOBS = Metric(
    key=NEW_JOBS,
    result_key="new_jobs",
    goal_unit="new_jobs",
    origin=0.0,
    attribute="jobs",
    level_field="jobs",
    cluster_field="jobs_by_cluster",
    level_scale=1e3,
    goal_scale=1e3,
    decimals=1,
    title="chart_jobs_title",
    fan_title="fan_jobs_title",
    gap_axis="gap_jobs_axis",
    cluster_title="clusters_jobs_title",
    level_unit="unit_working",
    _in_unit=lambda jobs, base: jobs - base,
    _to_level=lambda new_jobs, base: new_jobs + base,
)
METRICS: tuple[Metric, ...] = (AREA, JOBS)


def metric(key: str) -> Metric:
    for candidate in METRICS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)
