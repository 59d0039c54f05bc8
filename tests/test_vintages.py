"""Forecasts from earlier jump-offs and their checks against what was then observed; every
preset starts from the observed years; zones together are the sum of their zones."""

from __future__ import annotations

import numpy as np
import pytest

from planner.data import Dataset
from planner.forecast import Combined, project
from planner.metrics import AREA, JOBS
from planner.outlook import assess
from planner.vintages import backtest

PRESETS = ("plan", "current_pace", "delayed", "accelerated")
ZONES = ("sez", "technoparks", "all")


def test_the_2024_based_plan_said_1_97_million_m2_for_2025(dataset: Dataset) -> None:
    sez = dataset.zone("sez")
    plan = dataset.scenario("sez")
    (vintage,) = backtest(sez, plan)
    assert vintage.year == 2024 and vintage.projection.years[0] == 2024
    growth = plan.number("growth") / 100
    (area,) = [check for check in vintage.checks if check.metric == "floor_area"]
    assert (area.year, area.observed) == (2025, 2_000_000)
    assert area.forecast == pytest.approx(1_600_000 * (1 + growth), rel=1e-12)  # 1.97 million
    assert area.error == pytest.approx(area.forecast - 2_000_000) and area.relative < 0
    assert vintage.level(AREA, 2030) == pytest.approx(1_600_000 * (1 + growth) ** 6, rel=1e-12)


def test_checks_are_the_observations_after_the_vintage_and_up_to_today(dataset: Dataset) -> None:
    parks = dataset.zone("technoparks")
    (vintage,) = backtest(parks, dataset.scenario("technoparks"))
    assert vintage.year == 2016  # the parks' only earlier complete year
    observed = {
        (a.year, f)
        for a in parks.actuals
        for f in ("floor_area", "new_jobs")
        if 2016 < a.year <= 2025 and getattr(a, "floor_area_m2" if f == "floor_area" else "jobs") is not None
    }
    assert {(c.year, c.metric) for c in vintage.checks} == observed
    for check in vintage.checks:
        level = vintage.level(AREA if check.metric == "floor_area" else JOBS, check.year)
        assert check.forecast == pytest.approx(level)


def test_a_vintage_keeps_the_goals_and_moves_only_the_start(dataset: Dataset) -> None:
    sez = dataset.zone("sez")
    earlier = sez.as_of(2024)
    assert earlier.goals == sez.goals and earlier.jump_off_year == 2024 and earlier.vintages() == ()


def test_zones_together_have_no_vintage_without_a_common_complete_year(dataset: Dataset) -> None:
    assert backtest(dataset.zone("all"), dataset.scenario("all")) == ()


@pytest.mark.parametrize("zone_key", ZONES)
@pytest.mark.parametrize("preset", PRESETS)
def test_no_preset_contradicts_an_observed_year(dataset: Dataset, zone_key: str, preset: str) -> None:
    """Every preset acts from the jump-off on: the run starts at the latest observed year, on
    its observation, and forecasts no year that has been observed in full."""
    zone = dataset.zone(zone_key)
    run = project(zone, dataset.scenario(zone_key, preset))
    assert run.years[0] == zone.jump_off_year
    complete = [a.year for a in zone.actuals if None not in (a.floor_area_m2, a.jobs, a.companies)]
    assert max(complete) <= zone.jump_off_year  # nothing observed in full lies in the forecast
    observed = next(a for a in zone.actuals if a.year == zone.jump_off_year)
    if not zone.parts:
        assert (run.floor_area_m2[0], run.jobs[0], run.companies[0]) == (
            observed.floor_area_m2,
            observed.jobs,
            observed.companies,
        )
    else:
        assert run.floor_area_m2[0] == pytest.approx(observed.floor_area_m2)
        assert run.jobs[0] == pytest.approx(observed.jobs)


@pytest.mark.parametrize("preset", PRESETS)
def test_zones_together_are_the_sum_of_the_zones_own_runs(dataset: Dataset, preset: str) -> None:
    together = project(dataset.zone("all"), dataset.scenario("all", preset))
    assert isinstance(together, Combined)
    parts = [project(dataset.zone(key), dataset.scenario(key, preset)) for key in ("sez", "technoparks")]
    for field in ("floor_area_m2", "jobs", "companies", "investment_rub", "occupied_m2", "jobs_by_cluster"):
        np.testing.assert_allclose(
            getattr(together, field), sum(getattr(p, field) for p in parts), rtol=1e-12, err_msg=field
        )
    outlook = assess(dataset, "all", dataset.scenario("all", preset))
    sez, parks = (dataset.zone(key) for key in ("sez", "technoparks"))
    assert outlook.area.goal.level == sez.goal("floor_area").level + parks.goal("floor_area").level


def test_a_shared_setting_reaches_both_zones(dataset: Dataset) -> None:
    delayed = dataset.scenario("all").with_values(dataset.registry, {"delay": 1.5})
    together = project(dataset.zone("all"), delayed)
    parts = [
        project(dataset.zone(k), dataset.scenario(k).with_values(dataset.registry, {"delay": 1.5}))
        for k in ("sez", "technoparks")
    ]
    np.testing.assert_allclose(together.floor_area_m2, parts[0].floor_area_m2 + parts[1].floor_area_m2)
