"""The sites' named projects: coverage arithmetic, the pipeline forecast and its draws."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planner.data import Dataset
from planner.forecast import Built, model_years, project
from planner.pipeline import (
    COMPLETE,
    SLIP,
    coverage,
    dimensions,
    new_projects_needed,
    open_shares,
    sample,
    tranches,
)
from planner.points import cursor
from planner.scenario import Scenario
from planner.zone import DataError, Project, Zone
from planner.zonefile import load_zone_csv, template_csv


def made(key: str, m2: float, year: int, status: str = "announced", first: int | None = None, **more) -> Project:
    return Project(
        key,
        key,
        key,
        more.get("site", "site"),
        more.get("cluster", "other"),
        status,
        m2,
        first or year,
        year,
        more.get("jobs"),
        "test",
    )


def on(dataset: Dataset, projects: tuple[Project, ...], zone: str = "sez", **values: object) -> Scenario:
    base = dataset.scenario(zone).with_values(dataset.registry, {"basis": "pipeline", **values})
    return replace(base, pipeline=projects)


CERTAIN = {f"complete_{s}": 100 for s in ("construction", "approved", "announced")} | {
    f"slip_{s}": 0 for s in ("construction", "approved", "announced")
}


def test_coverage_is_the_named_pipeline_over_what_the_goal_still_needs(dataset: Dataset, sez: Zone) -> None:
    projects = (
        made("a", 1_000_000, 2027),
        made("b", 600_000, 2030, "construction", first=2026),  # 120,000 a year, 2026–2030
        made("c", 500_000, 2031),  # after the target year: not in the coverage
        made("d", 300_000, 2025, "operating"),  # already in 2025's stock
    )
    found = coverage(sez, on(dataset, projects), sez.goal("floor_area"))
    assert found.needed_m2 == pytest.approx(5_600_000 - 2_000_000)
    assert found.named_m2 == pytest.approx(1_600_000)
    assert found.share == pytest.approx(1_600_000 / 3_600_000)
    assert found.unidentified_m2 == pytest.approx(2_000_000)
    assert dict(found.by_status)["construction"] == pytest.approx(600_000)
    (line,) = [s for s in found.sites if s.site == "site"]
    assert (line.by_target, line.later, line.projects) == (pytest.approx(1_600_000), pytest.approx(500_000), 3)


def test_projects_all_on_time_and_certain_reproduce_their_own_sum(dataset: Dataset, sez: Zone) -> None:
    projects = (made("a", 400_000, 2026, jobs=4000), made("b", 900_000, 2029, first=2027), made("c", 50_000, 2030))
    run = project(sez, on(dataset, projects, **CERTAIN, horizon=2031))
    assert isinstance(run, Built)
    expected = 2_000_000 + np.array([0, 400_000, 700_000, 1_000_000, 1_300_000, 1_350_000, 1_350_000])
    np.testing.assert_allclose(run.floor_area_m2, expected, rtol=1e-12)
    found = coverage(sez, on(dataset, projects, **CERTAIN), sez.goal("floor_area"))
    assert found.expected_m2 == pytest.approx(found.named_m2) == pytest.approx(1_350_000)
    # A stated figure is the project's jobs, in place once its space has filled (ramp 0 for the SEZ).
    jobs_of_a = project(sez, on(dataset, projects[:1], **CERTAIN)).new_jobs
    np.testing.assert_allclose(jobs_of_a[1:], 4000, rtol=1e-12)


def test_the_expectation_is_a_completion_times_a_geometric_slippage(dataset: Dataset, sez: Zone) -> None:
    one = (made("a", 1_000_000, 2027),)
    scenario = on(dataset, one, complete_announced=50, slip_announced=1.5)
    run = project(sez, scenario)
    q = 1.5 / 2.5  # the chance of one more year late
    opened = [0.0, 0.0] + [0.5 * (1 - q ** (k + 1)) for k in range(4)]  # 2025 … 2030
    np.testing.assert_allclose(run.added_m2, 1_000_000 * np.array(opened), rtol=1e-12)


def test_the_draws_average_to_the_expectation(dataset: Dataset, sez: Zone) -> None:
    one = (made("a", 1_000_000, 2027), made("b", 500_000, 2029, "approved"))
    scenario = on(dataset, one, complete_announced=70, slip_announced=1.2, slip_correlation=0.3)
    years = model_years(sez, scenario)
    parts = tranches(sez, scenario.pipeline or ())
    draws = sample(sez, scenario, cursor(dimensions(sez, scenario), 200_000, 1))
    drawn = open_shares(sez, scenario, parts, years, draws).mean(axis=0)
    exact = open_shares(sez, scenario, parts, years, None)[0]
    np.testing.assert_allclose(drawn, exact, atol=0.005)


def test_slippage_never_opens_a_project_early(dataset: Dataset, sez: Zone) -> None:
    projects = tuple(made(f"p{i}", 100_000, 2026 + i % 5) for i in range(10))
    scenario = on(dataset, projects, complete_announced=100, slip_announced=2)
    years = model_years(sez, scenario)
    parts = tranches(sez, projects)
    draws = sample(sez, scenario, cursor(dimensions(sez, scenario), 5000, 2))
    shares = open_shares(sez, scenario, parts, years, draws)
    for t, planned in enumerate(parts.year):
        assert not shares[:, t, years < planned].any()  # never open before its year
    assert shares[:, :, -1].mean() < 1  # and some are late


def test_shared_slippage_moves_every_project_alike(dataset: Dataset, sez: Zone) -> None:
    projects = tuple(made(f"p{i}", 100_000, 2027) for i in range(4))
    together, apart = on(dataset, projects, slip_correlation=1), on(dataset, projects, slip_correlation=0)
    draws = sample(sez, together, cursor(dimensions(sez, together), 1000, 3))
    assert np.all(draws[SLIP] == draws[SLIP][:, :1])
    independent = sample(sez, apart, cursor(dimensions(sez, apart), 1000, 3))
    assert not np.all(independent[SLIP] == independent[SLIP][:, :1])
    assert draws[COMPLETE].shape == (1000, 4)


def test_the_bundled_pipelines_and_what_the_goals_still_need(dataset: Dataset) -> None:
    sez, parks = dataset.zone("sez"), dataset.zone("technoparks")
    found = coverage(sez, dataset.scenario("sez"), sez.goal("floor_area"))
    # Alabushevo 550,000 + Rudnevo 620,000 + Pechatniki 5/7 of 850,000 + Khrunichev 4/6 of
    # 1 million + Krasnaya Pakhra 130,000, against 3.6 million m² still needed.
    named = 550_000 + 620_000 + 850_000 * 5 / 7 + 1_000_000 * 4 / 6 + 130_000
    assert found.named_m2 == pytest.approx(named)
    assert found.share == pytest.approx(named / 3_600_000)
    both = coverage(dataset.zone("all"), dataset.scenario("all"), dataset.zone("all").goal("floor_area"))
    alone = coverage(parks, dataset.scenario("technoparks"), parks.goal("floor_area"))
    assert both.named_m2 == pytest.approx(found.named_m2 + alone.named_m2)
    area, latest = new_projects_needed(sez, dataset.scenario("sez"), sez.goal("floor_area"))
    assert latest == 2029  # announced slippage 1.5 years: the median is one year late
    # Planned for 2029, an announced project is built with 0.6 and open by 2030 with 1 − 0.6².
    assert area == pytest.approx((3_600_000 - found.expected_m2) / (0.6 * (1 - 0.6**2)))


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("cluster", "mining", "'mining' is not a cluster of the zone"),
        ("status", "dreamt", "status must be one of operating, construction, approved, announced"),
        ("floor_area_m2", "0", "must be positive"),
        ("year", "2031.5", "must be a whole year"),
    ],
)
def test_a_malformed_project_row_is_refused_with_its_row(dataset: Dataset, field: str, value: str, words: str) -> None:
    lines = template_csv(dataset, "sez").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith(f"project,rudnevo,{field},"))
    cells = lines[row].split(",")
    lines[row] = ",".join([*cells[:3], value, *cells[4:]])
    with pytest.raises(DataError) as error:
        load_zone_csv("\n".join(lines).encode(), "zone.csv", dataset)
    assert str(error.value).startswith(f"zone.csv, row {row + 1}, column value: ") and words in str(error.value)


def test_a_project_opening_before_its_first_year_is_refused(dataset: Dataset) -> None:
    text = template_csv(dataset, "sez").replace(
        "project,pechatniki,first_year,2026", "project,pechatniki,first_year,2033"
    )
    with pytest.raises(DataError, match="its first year 2033 is after its year 2032"):
        load_zone_csv(text.encode(), "zone.csv", dataset)


def test_every_status_still_to_open_has_its_completion_and_slippage(dataset: Dataset) -> None:
    from planner.zone import STATUSES

    for status in STATUSES[1:]:
        assert f"complete_{status}" in dataset.registry and f"slip_{status}" in dataset.registry
    assert "complete_operating" not in dataset.registry  # open is open


@pytest.mark.parametrize("count", [0, 1, 2])
def test_a_pipeline_of_none_one_or_two_projects_runs_on_the_quasi_random_points(
    dataset: Dataset, sez: Zone, count: int
) -> None:
    """The points are shared read-only: a single project's column reaches the model as it is
    kept, and none leaves only the shared choices to read."""
    from planner.risk import simulate

    projects = tuple(made(f"p{i}", 400_000, 2027 + i) for i in range(count))
    scenario = on(dataset, projects, slip_correlation=0.5)
    result = simulate(sez, scenario, dataset.registry, sez.goal("floor_area"), sez.goal("new_jobs"))
    again = simulate(sez, scenario, dataset.registry, sez.goal("floor_area"), sez.goal("new_jobs"))
    assert 0 <= result.area.probability <= 1
    assert result.area.probability == again.area.probability
    assert np.all(np.diff(result.area.quantiles, axis=0) >= 0)
