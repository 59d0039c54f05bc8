"""Each parameter's declared effects, checked against the model itself.

Levers, goal seek and every cache key are derived from `Param.moves`, `Param.lever` and
`Param.proportional`; a wrong declaration would serve stale results or seek the wrong way,
so each parameter is moved and what changes is compared with what it declares."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planner.data import Dataset, load
from planner.forecast import Run, project
from planner.metrics import METRICS
from planner.risk import simulate
from planner.scenario import ECONOMICS, MONTE_CARLO, OUTCOMES, YEARS, Param, ParamError, Scenario
from planner.zone import STATUSES, Goal

DATASET = load()
ZONES = [zone.key for zone in DATASET.zones]
CAPS = ("build_cap", "land_cap")
# A zone of zones takes only the shared parameters (its parts' own ones are refused).
# The pipeline's own settings are checked on each zone's projects (zones together add them up).
SETTABLE = [
    (zone.key, param)
    for zone in DATASET.zones
    for param in DATASET.registry
    if (param.shared or not zone.parts) and not (zone.parts and param.group == "pipeline" and param.key != "basis")
]


def _on_projects(dataset: Dataset, zone_key: str, base: Scenario) -> Scenario:
    """The projects' basis, with the zone's projects spread over every status still to open,
    so that each status's completion and slippage has projects to act on."""
    zone = dataset.zone(zone_key)
    to_open = [p for p in zone.projects if p.status != "operating"]
    mixed = tuple(replace(p, key=f"{p.key}_{status}", status=status) for p in to_open for status in STATUSES[1:])
    return replace(base.with_values(dataset.registry, {"basis": "pipeline"}), pipeline=mixed)


def _two_values(param: Param, base: Scenario) -> tuple[object, object]:
    """Two valid values far apart (a seed: two seeds; a choice: two options)."""
    if param.is_choice:
        return param.options[0], param.options[-1]
    current = base.number(param.key)
    low, high = param.min, param.max
    if param.key in CAPS and current == low:  # 0 is no cap: the smallest cap binds, the largest may not
        return current, low + param.step
    # From the current value to the far end, so the other parameters keep their meaning.
    other = high if current - low < high - current else low
    return current, other


def _observed(dataset: Dataset, zone_key: str, param: Param) -> set[str]:
    """What moving `param` changes in the deterministic model and in a small Monte Carlo."""
    base = dataset.scenario(zone_key)
    if param.group == "pipeline" and param.key != "basis":
        base = _on_projects(dataset, zone_key, base)
    first, second = (base.with_values(dataset.registry, {param.key: v}) for v in _two_values(param, base))
    zone = dataset.zone(zone_key)
    a, b = project(zone, first), project(zone, second)
    moved: set[str] = set()
    if not np.array_equal(a.years, b.years):
        moved.add(YEARS)
    common = min(len(a.years), len(b.years))

    def differs(series: np.ndarray, other: np.ndarray) -> bool:
        return not np.allclose(series[..., :common], other[..., :common], rtol=1e-12, atol=0)

    for metric in METRICS:
        goal = zone.goal(metric.key)
        if differs(metric.series(a, goal), metric.series(b, goal)) or differs(
            metric.by_cluster(a), metric.by_cluster(b)
        ):
            moved.add(metric.key)
    if differs(a.companies, b.companies) or differs(a.investment_rub, b.investment_rub):
        moved.add(ECONOMICS)
    if not moved & {*OUTCOMES, YEARS}:
        small = {"draws": 1000, "uncertainty": 0} if param.key == "slip_correlation" else {"draws": 1000}
        runs = [
            simulate(
                zone,
                s.with_values(dataset.registry, small) if param.key != "draws" else s,
                dataset.registry,
                zone.goal("floor_area"),
                zone.goal("new_jobs"),
            )
            for s in (first, second)
        ]
        # Every percentile and the target-year histogram: slippage comes in whole years, so a
        # setting may leave the median of a few projects' draws where it was and move the tails.
        if param.key == "draws" or any(
            not np.array_equal(getattr(d0, field), getattr(d1, field))
            for d0, d1 in ((runs[0].area, runs[1].area), (runs[0].jobs, runs[1].jobs))
            for field in ("quantiles", "histogram")
        ):
            moved.add(MONTE_CARLO)
    return moved


@pytest.mark.parametrize(("zone_key", "param"), SETTABLE, ids=lambda v: v if isinstance(v, str) else v.key)
def test_each_parameter_moves_exactly_what_it_declares(zone_key: str, param: Param) -> None:
    declared = set(param.moves)
    observed = _observed(DATASET, zone_key, param)
    zone = DATASET.zone(zone_key)
    # A cluster's share moves jobs (densities differ) and floor area by cluster; the zone's
    # total floor area stays, which is what the floor-area goal reads.
    if param.group == "mix":
        observed.discard("floor_area")
        observed.discard(ECONOMICS)  # companies follow occupied area, which the mix leaves whole
    if param.key == "correlation" and not zone.parts:
        declared = set()  # one zone has no partner to correlate with: the key still names it, harmlessly
    if param.key == "land_cap" and zone.land_ha is None:
        declared = set()  # no land to cap
    assert observed == declared, (param.key, zone_key)


def test_a_part_of_zones_together_is_not_changed_through_the_whole() -> None:
    base = DATASET.scenario("all")
    with pytest.raises(ParamError, match="each zone's own"):
        base.with_values(DATASET.registry, {"growth": 10})
    delayed = base.with_values(DATASET.registry, {"delay": 1})
    assert all(part.number("delay") == 1 for _, part in delayed.parts)


def _at_target(projection: Run, goal: Goal, metric_index: int) -> float:
    metric = METRICS[metric_index]
    return float(metric.series(projection, goal)[projection.year_index(goal.year)])


@pytest.mark.parametrize(
    ("zone_key", "param"), [(z, p) for z, p in SETTABLE if p.lever], ids=lambda v: v if isinstance(v, str) else v.key
)
def test_a_lever_helps_in_its_declared_direction(zone_key: str, param: Param) -> None:
    zone = DATASET.zone(zone_key)
    base = DATASET.scenario(zone_key)
    low, high = (base.with_values(DATASET.registry, {param.key: v}) for v in (param.min, param.max))
    for index, metric in enumerate(METRICS):
        if metric.key not in param.moves:
            continue
        at_low = _at_target(project(zone, low), zone.goal(metric.key), index)
        at_high = _at_target(project(zone, high), zone.goal(metric.key), index)
        assert (at_high - at_low) * param.lever > 0, (param.key, metric.key)


@pytest.mark.parametrize(
    ("zone_key", "param"),
    [(z, p) for z, p in SETTABLE if p.proportional],
    ids=lambda v: v if isinstance(v, str) else v.key,
)
def test_a_proportional_lever_scales_the_new_part_exactly(zone_key: str, param: Param) -> None:
    zone = DATASET.zone(zone_key)
    base = DATASET.scenario(zone_key)
    half, full = (project(zone, base, {param.key: np.array([value])}) for value in (param.max / 2, param.max))
    for metric in METRICS:
        goal = zone.goal(metric.key)
        # The new part is what follows the jump-off, which no parameter moves.
        new_half = metric.series(half, goal)[0, -1] - metric.series(half, goal)[0, 0]
        new_full = metric.series(full, goal)[0, -1] - metric.series(full, goal)[0, 0]
        if metric.key in param.proportional:
            assert new_full == pytest.approx(2 * new_half, rel=1e-9), (param.key, metric.key)


def test_the_levers_of_each_goal_come_from_the_declarations() -> None:
    registry = DATASET.registry
    area, jobs = METRICS
    assert area.levers(registry) == ("growth", "delay", "delivery")
    assert set(jobs.levers(registry)) == {"growth", "delay", "delivery", "occupancy", "ramp", "density"}
    assert area.proportional(registry) == ("delivery",)
    assert set(jobs.proportional(registry)) == {"delivery", "occupancy", "density"}


def test_an_inconsistent_declaration_is_refused() -> None:
    with pytest.raises(ValueError, match="inconsistent"):
        Param(key="x", group="economics", label_ru="x", label_en="x", moves=frozenset({"economics"}), lever=+1)
    with pytest.raises(ValueError, match="inconsistent"):
        Param(key="x", group="economics", label_ru="x", label_en="x", moves=frozenset({"weather"}))
