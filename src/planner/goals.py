"""Goal attainment, the year a goal is reached, and goal seek ("what must be true").

Goal seek is a vectorised k-section: each round evaluates the model at many values of the
lever at once (as draws) and keeps the bracket where the goal is crossed, so it costs a
handful of model calls rather than dozens of bisection steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.forecast import Run, model_years, project
from planner.metrics import Metric, metric
from planner.scenario import Param, Registry, Scenario
from planner.zone import Goal, Zone

TOLERANCE = 1e-9  # relative: a goal met to nine digits is met


class OfGoal:
    """What a result says of its goal: its metric, reading and year (the goal holds them)."""

    goal: Goal

    @property
    def metric(self) -> str:
        return self.goal.metric

    @property
    def reading(self) -> str:
        return self.goal.reading

    @property
    def year(self) -> int:
        return self.goal.year


@dataclass(frozen=True)
class GoalResult(OfGoal):
    goal: Goal
    target: float  # in the metric's goal unit (`unit`): an area multiple, or new jobs, on the goal's base year
    value: float  # the scenario's value in the target year, in the same unit
    met: bool
    year_met: float | None  # first (interpolated) year the target is reached, if any
    required: tuple[tuple[str, float | None], ...]  # lever → value that alone meets the goal

    @property
    def outcome(self) -> Metric:
        return metric(self.metric)

    @property
    def key(self) -> str:
        return self.outcome.result_key

    @property
    def unit(self) -> str:
        return self.outcome.goal_unit

    @property
    def gap(self) -> float:
        """Positive when short of the goal."""
        return self.target - self.value

    def required_value(self, lever: str) -> float | None:
        return dict(self.required).get(lever)


def is_met(value: float | np.ndarray, target: float) -> bool | np.ndarray:
    return value >= target - TOLERANCE * max(abs(target), 1.0)


def first_year_met(years: np.ndarray, values: np.ndarray, target: float) -> float | None:
    """First year the series reaches the target, interpolated linearly between years."""
    reached = np.flatnonzero(is_met(values, target))
    if reached.size == 0:
        return None
    i = int(reached[0])
    if i == 0:
        return float(years[0])
    before, after = values[i - 1], values[i]
    return float(years[i - 1] + (target - before) / (after - before))


def solve_lever(
    zone: Zone, scenario: Scenario, registry: Registry, goal: Goal, lever: str, points: int = 33
) -> float | None:
    """The value of `lever` alone that meets `goal` in the target year, all else fixed.

    Returns None when even the lever's most favourable bound misses the goal, and the
    least favourable bound when every value meets it. The answer never depends on the
    lever's own value in `scenario`, so a cache may leave it out of the key.
    """
    param = registry[lever]
    outcome = metric(goal.metric)
    direction = param.lever
    if not direction or outcome.key not in param.moves:
        raise ValueError(f"{lever} is not a lever for {goal.metric}")
    target = outcome.target(goal)
    if outcome.key in param.proportional and _proportional_holds(scenario):
        return _proportional(zone, scenario, param, goal, target)
    index = int(np.searchsorted(model_years(zone, scenario), goal.year))

    def at(values: np.ndarray) -> np.ndarray:
        return outcome.series(project(zone, scenario, {lever: values}), goal)[:, index]

    worst, best = (param.min, param.max) if direction > 0 else (param.max, param.min)
    ends = at(np.array([worst, best]))
    if not is_met(ends[1], target):
        return None
    if is_met(ends[0], target):
        return worst
    low, high = worst, best  # low misses, high meets (in the lever's helpful direction)
    while abs(high - low) > 1e-10 * max(1.0, abs(param.max - param.min)):
        grid = np.linspace(low, high, points)
        met = is_met(at(grid), target)
        first = int(np.argmax(met))  # met[-1] is True by the bracket's invariant
        low, high = grid[max(first - 1, 0)], grid[first]
        if first == 0:
            break
    return float(high)


def _proportional_holds(scenario: Scenario) -> bool:
    """The new part is proportional to a lever only in the top-down model with no capacity
    cap: a cap clips it, and the projects' forecast does not scale with the plan's levers."""
    own = [part for _, part in scenario.parts] or [scenario]
    return all(s["basis"] == "top_down" and s.number("build_cap") == 0 and s.number("land_cap") == 0 for s in own)


def _proportional(zone: Zone, scenario: Scenario, param: Param, goal: Goal, target: float) -> float | None:
    index = int(np.searchsorted(model_years(zone, scenario), goal.year))
    # The outcome over its jump-off value (what is observed, which no lever moves) at the
    # lever's upper bound, so the answer does not depend on where the lever stands now.
    outcome = metric(goal.metric)
    series = outcome.series(project(zone, scenario, {param.key: np.array([param.max])}), goal)
    origin, at_max = float(series[0, 0]), float(series[0, index])
    if at_max - origin <= 0:
        return param.min if is_met(origin, target) else None
    needed = param.max * (target - origin) / (at_max - origin)
    if needed > param.max:
        return None
    return max(needed, param.min)


Solver = Callable[[Zone, Scenario, Registry, Goal, str], float | None]


def evaluate(
    zone: Zone,
    scenario: Scenario,
    registry: Registry,
    projection: Run,
    goal: Goal,
    levers: tuple[str, ...] = ("growth", "density", "delivery"),
    solve: Solver = solve_lever,
) -> GoalResult:
    """The goal against the projection, and for each lever the value that alone meets it
    (`solve` lets the app pass a cached goal seek)."""
    outcome = metric(goal.metric)
    target = outcome.target(goal)
    values = outcome.series(projection, goal)
    value = float(values[projection.year_index(goal.year)])
    usable = tuple(lever for lever in levers if lever in outcome.levers(registry, shared=bool(zone.parts)))
    return GoalResult(
        goal=goal,
        target=target,
        value=value,
        met=bool(is_met(value, target)),
        year_met=first_year_met(projection.years, values, target),
        required=tuple((lever, solve(zone, scenario, registry, goal, lever)) for lever in usable),
    )


def compound_growth_needed(multiple: float, years: int) -> float:
    """Closed form for the plain compound profile: the rate in % a year that multiplies the
    stock by `multiple` in `years`."""
    return (math.pow(multiple, 1 / years) - 1) * 100
