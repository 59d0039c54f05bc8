"""Each outcome's Metric: its goal unit, its level and their conversions, by closed forms."""

from __future__ import annotations

import pytest

from planner.data import Dataset
from planner.forecast import project
from planner.metrics import AREA, JOBS, METRICS, metric
from planner.zone import Zone


def test_each_metric_is_found_by_its_key_and_only_so() -> None:
    assert [metric(m.key) for m in METRICS] == list(METRICS)
    with pytest.raises(KeyError):
        metric("companies")


def test_the_area_goal_is_a_multiple_of_its_base_and_the_jobs_goal_new_jobs_on_its_base(
    dataset: Dataset, sez: Zone
) -> None:
    area_goal, jobs_goal = sez.goal("floor_area"), sez.goal("new_jobs")
    assert (area_goal.base_year, area_goal.base_level, area_goal.level) == (2024, 1.6e6, pytest.approx(5.6e6))
    assert AREA.target(area_goal) == pytest.approx(3.5)  # 5.6 million m² on 2024's 1.6
    assert AREA.as_level(area_goal, 3.5) == pytest.approx(5.6e6)
    assert (jobs_goal.base_year, jobs_goal.level) == (2024, 112_100)  # 90,000 new on 2024's 22,100
    assert JOBS.target(jobs_goal) == pytest.approx(90_000)
    assert JOBS.as_level(jobs_goal, 90_000) == pytest.approx(112_100)
    # What the goal still needs is counted from the jump-off: 2025's observed 2.0 million m², 30,000 jobs.
    projection = project(sez, dataset.scenario("sez"))
    assert AREA.needed(area_goal, projection) == pytest.approx(3.6e6)
    assert JOBS.needed(jobs_goal, projection) == pytest.approx(82_100)


@pytest.mark.parametrize("outcome", METRICS, ids=lambda m: m.key)
def test_the_series_is_the_level_in_the_goals_unit(dataset: Dataset, sez: Zone, outcome) -> None:
    projection = project(sez, dataset.scenario("sez"))
    goal = sez.goal(outcome.key)
    levels = [outcome.as_level(goal, float(v)) for v in outcome.series(projection, goal)]
    assert levels == pytest.approx(outcome.level(projection).tolist(), rel=1e-12)
    # The first year is the jump-off's observation, in the goal's unit on its own base year.
    observed = sez.jump_off.floor_area_m2 if outcome is AREA else sez.jump_off.jobs
    assert outcome.level(projection)[0] == observed
    assert outcome.by_cluster(projection).sum(axis=0) == pytest.approx(outcome.level(projection), rel=1e-12)


def test_each_part_of_an_outlook_and_a_risk_result_is_the_metrics_own(dataset: Dataset) -> None:
    from planner.outlook import assess

    outlook = assess(dataset, "sez", dataset.scenario("sez"))
    assert AREA.of(outlook) is outlook.area and JOBS.of(outlook) is outlook.jobs
    assert outlook.area.unit == "multiple" and outlook.jobs.unit == "new_jobs"
    assert [r.key for r in (outlook.area, outlook.jobs)] == ["area_multiple", "new_jobs"]
