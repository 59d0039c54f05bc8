"""One scenario assessed: the projection and both goals, as the CLI and the app show them."""

from __future__ import annotations

import pytest

from planner.data import Dataset
from planner.goals import evaluate, solve_lever
from planner.outlook import assess


@pytest.mark.parametrize("zone_key", ["sez", "technoparks", "all"])
def test_an_outlook_is_the_projection_and_both_goals_evaluated_on_it(dataset: Dataset, zone_key: str) -> None:
    zone = dataset.zone(zone_key)
    scenario = dataset.scenario(zone_key)
    outlook = assess(dataset, zone_key, scenario)
    assert outlook.zone is zone and outlook.scenario is scenario
    direct = evaluate(zone, scenario, dataset.registry, outlook.projection, zone.goal("floor_area"))
    assert outlook.area == direct
    assert outlook.jobs.reading == zone.goal("new_jobs").reading  # the zone's default reading


def test_the_chosen_jobs_reading_is_the_one_evaluated(dataset: Dataset) -> None:
    readings = [g.reading for g in dataset.zone("sez").goal_readings("new_jobs")]
    assert len(readings) >= 2
    targets = {assess(dataset, "sez", dataset.scenario("sez"), r).jobs.target for r in readings}
    assert len(targets) == len(readings)


def test_a_solver_passed_in_is_the_one_used(dataset: Dataset) -> None:
    calls: list[str] = []

    def counting(*args: object) -> float | None:
        calls.append(str(args[-1]))
        return solve_lever(*args)  # type: ignore[arg-type]

    assess(dataset, "sez", dataset.scenario("sez"), solve=counting)
    # density is no lever for floor area; delivery serves both
    assert sorted(calls) == sorted(["growth", "growth", "density", "delivery", "delivery"])
