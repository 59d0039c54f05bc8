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


def test_the_area_goal_is_a_multiple_of_the_base_and_the_jobs_goal_new_jobs(sez: Zone) -> None:
    area_goal, jobs_goal = sez.goal("floor_area"), sez.goal("new_jobs")
    assert AREA.target(sez, area_goal) == pytest.approx(3.5)  # 5.6 million m² on 1.6
    assert AREA.as_level(sez, 3.5) == pytest.approx(5.6e6)
    assert AREA.increment(sez, 3.5) == pytest.approx(4.0e6)
    assert JOBS.target(sez, jobs_goal) == pytest.approx(90_000)
    assert JOBS.as_level(sez, 90_000) == pytest.approx(90_000 + sez.jobs)
    assert JOBS.increment(sez, 90_000) == pytest.approx(90_000)


@pytest.mark.parametrize("outcome", METRICS, ids=lambda m: m.key)
def test_the_series_is_the_level_in_the_goals_unit(dataset: Dataset, sez: Zone, outcome) -> None:
    projection = project(sez, dataset.scenario("sez"))
    levels = [outcome.as_level(sez, float(v)) for v in outcome.series(projection)]
    assert levels == pytest.approx(outcome.level(projection).tolist(), rel=1e-12)
    assert outcome.series(projection)[0] == pytest.approx(outcome.origin)  # nothing built in the base year
    assert outcome.by_cluster(projection).sum(axis=0) == pytest.approx(outcome.level(projection), rel=1e-12)


def test_each_part_of_an_outlook_and_a_risk_result_is_the_metrics_own(dataset: Dataset) -> None:
    from planner.outlook import assess

    outlook = assess(dataset, "sez", dataset.scenario("sez"))
    assert AREA.of(outlook) is outlook.area and JOBS.of(outlook) is outlook.jobs
    assert outlook.area.unit == "multiple" and outlook.jobs.unit == "new_jobs"
    assert [r.key for r in (outlook.area, outlook.jobs)] == ["area_multiple", "new_jobs"]
