"""One scenario assessed: the projection and both goals, as the CLI and the app show them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.data import Dataset
from planner.forecast import Run, project
from planner.goals import GoalResult, Solver, evaluate, solve_lever
from planner.scenario import Scenario
from planner.vintages import Vintage, backtest
from planner.zone import Zone


@dataclass(frozen=True, eq=False)
class Outlook:
    zone: Zone
    scenario: Scenario
    projection: Run
    area: GoalResult
    jobs: GoalResult
    vintages: tuple[Vintage, ...] = ()  # the same scenario from each earlier jump-off
    projects: Run | None = None  # the named projects' expected forecast, drawn beside another basis


def own_scenarios(zone: Zone, scenario: Scenario) -> tuple[tuple[Zone, Scenario], ...]:
    """Each zone with data of its own and the scenario it runs on: the zone itself, or for
    zones together each part with its own values (what the assumptions tables list)."""
    if zone.parts:
        return tuple((part, scenario.part(part.key)) for part in zone.parts)
    return ((zone, scenario),)


def assess(
    dataset: Dataset, zone_key: str, scenario: Scenario, jobs_reading: str | None = None, solve: Solver = solve_lever
) -> Outlook:
    """Project `scenario` for the zone and evaluate the area goal and the chosen jobs goal."""
    zone = dataset.zone(zone_key)
    projection = project(zone, scenario)
    return Outlook(
        zone=zone,
        scenario=scenario,
        projection=projection,
        area=evaluate(zone, scenario, dataset.registry, projection, zone.goal("floor_area"), solve=solve),
        jobs=evaluate(zone, scenario, dataset.registry, projection, zone.goal("new_jobs", jobs_reading), solve=solve),
        # Earlier jump-offs with today's growth: today's list of projects says nothing of 2016.
        vintages=backtest(zone, scenario.with_values(dataset.registry, {"basis": "top_down"})),
        projects=_projects_beside(dataset, zone, scenario),
    )


def for_reading(dataset: Dataset, outlook: Outlook, jobs_reading: str | None, solve: Solver = solve_lever) -> Outlook:
    """The same assessment against another reading of the jobs goal: the projection, the
    area goal and the vintages are the reading's too, so only the jobs goal is evaluated."""
    goal = outlook.zone.goal("new_jobs", jobs_reading)
    if goal == outlook.jobs.goal:
        return outlook
    jobs = evaluate(outlook.zone, outlook.scenario, dataset.registry, outlook.projection, goal, solve=solve)
    return replace(outlook, jobs=jobs)


def _projects_beside(dataset: Dataset, zone: Zone, scenario: Scenario) -> Run | None:
    """The forecast on the named projects alone, when the headline rests on another basis
    and the zone has projects to show."""
    has_projects = any(part.projects for part in (*zone.parts, zone))
    if scenario["basis"] == "pipeline" or not has_projects:
        return None
    return project(zone, scenario.with_values(dataset.registry, {"basis": "pipeline"}))
