"""Chart data in display units: the bands and points the app and the brief both draw."""

from __future__ import annotations

import numpy as np
import pytest

from planner.chartdata import chart_points, goal_bands, level_bands, series_labels
from planner.data import Dataset
from planner.metrics import AREA, JOBS, METRICS
from planner.outlook import assess
from planner.risk import QUANTILES, simulate


@pytest.fixture(scope="module")
def run(dataset: Dataset):
    zone = dataset.zone("sez")
    scenario = dataset.scenario("sez").with_values(dataset.registry, {"draws": 2000})
    simulation = simulate(zone, scenario, dataset.registry, zone.goal("floor_area"), zone.goal("new_jobs"))
    return assess(dataset, "sez", scenario), simulation


def test_level_bands_are_million_m2_and_thousand_jobs(run) -> None:
    outlook, simulation = run
    zone = outlook.zone
    area = level_bands(simulation, AREA, zone.goal("floor_area"))
    jobs = level_bands(simulation, JOBS, zone.goal("new_jobs"))
    for q in QUANTILES:
        # The draws are in the goals' units, on 2024 (1.6 million m², 22,100 jobs).
        expected_area = simulation.area.percentile(q) * 1.6e6 / 1e6
        expected_jobs = (simulation.jobs.percentile(q) + 22_100) / 1e3
        np.testing.assert_allclose(area.column(f"p{q}").to_numpy(), expected_area, rtol=1e-12)
        np.testing.assert_allclose(jobs.column(f"p{q}").to_numpy(), expected_jobs, rtol=1e-12)
    assert area.column("p10").to_numpy()[0] == pytest.approx(zone.floor_area_m2 / 1e6)


def test_goal_bands_are_the_multiple_and_thousand_new_jobs(run) -> None:
    _, simulation = run
    np.testing.assert_allclose(goal_bands(simulation, AREA).column("p50").to_numpy(), simulation.area.percentile(50))
    np.testing.assert_allclose(
        goal_bands(simulation, JOBS).column("p50").to_numpy(), simulation.jobs.percentile(50) / 1e3
    )


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("outcome", METRICS, ids=lambda m: m.key)
def test_points_hold_the_lines_the_actuals_and_the_goal(run, outcome, lang: str) -> None:
    outlook, _ = run
    labels = series_labels(lang, "Plan")
    table = chart_points(outlook, outlook, lang, labels, outcome).to_pydict()
    goal = [v for v, s in zip(table["value"], table["series"], strict=True) if s == labels.goal]
    assert goal == [
        pytest.approx(outcome.as_level(outcome.of(outlook).goal, outcome.of(outlook).target) / outcome.level_scale)
    ]
    actual = [y for y, s in zip(table["year"], table["series"], strict=True) if s == labels.actual]
    assert actual == [a.year for a in outlook.zone.actuals if getattr(a, outcome.level_field) is not None]
    scenario = [v for v, s in zip(table["value"], table["series"], strict=True) if s == labels.scenario]
    assert scenario == pytest.approx((outcome.level(outlook.projection) / outcome.level_scale).tolist())
    assert len(table["text"]) == len(table["value"])
