"""Monte Carlo and sensitivity: reproducible, convergent, consistent with the deterministic model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from planner.cli import main
from planner.data import load
from planner.forecast import project
from planner.i18n import text
from planner.metrics import METRICS
from planner.metrics import metric as metric_named
from planner.outlook import assess
from planner.points import cursor
from planner.risk import (
    CHUNK,
    HISTOGRAM_BINS,
    QUANTILES,
    _histogram,
    _quantiles,
    dimensions,
    draw_range,
    sample,
    sensitivity,
    simulate,
    simulate_goals,
)
from tests.conftest import open_link

DATASET = load()
REGISTRY = DATASET.registry


def run(zone_key: str = "sez", preset: str = "plan", **values: object):
    zone = DATASET.zone(zone_key)
    scenario = DATASET.scenario(zone_key, preset).with_values(REGISTRY, values)
    return zone, scenario, simulate(zone, scenario, REGISTRY, zone.goal("floor_area"), zone.goal("new_jobs"))


def test_a_seed_reproduces_every_number_and_another_seed_does_not() -> None:
    _, _, first = run(seed=11)
    _, _, again = run(seed=11)
    _, _, other = run(seed=12)
    assert np.array_equal(first.jobs.quantiles, again.jobs.quantiles)
    assert first.probability_both == again.probability_both
    assert not np.array_equal(first.jobs.quantiles, other.jobs.quantiles)


def test_probabilities_converge_between_10_000_and_200_000_draws() -> None:
    _, _, small = run(draws=10_000)
    _, _, large = run(draws=200_000)
    for a, b in ((small.area, large.area), (small.jobs, large.jobs)):
        assert abs(a.probability - b.probability) <= 0.02
    assert abs(small.probability_both - large.probability_both) <= 0.02


@pytest.mark.parametrize("zone_key", ["sez", "technoparks", "all"])
def test_without_uncertainty_every_percentile_is_the_deterministic_run(zone_key: str) -> None:
    zone, scenario, result = run(zone_key, uncertainty=0, draws=1000)
    deterministic = project(zone, scenario)
    for q in QUANTILES:
        for outcome in METRICS:
            expected = outcome.series(deterministic, zone.goal(outcome.key))
            np.testing.assert_allclose(outcome.of(result).percentile(q), expected, rtol=1e-12)


@pytest.mark.parametrize("preset", ["plan", "current_pace", "delayed", "accelerated"])
def test_percentiles_are_ordered_every_year(preset: str) -> None:
    _, _, result = run(preset=preset, uncertainty=100, draws=5000)
    for distribution in (result.area, result.jobs):
        assert np.all(np.diff(distribution.quantiles, axis=0) >= 0)


def test_draws_stay_inside_bounds_and_triangular_ranges() -> None:
    scenario = DATASET.scenario("sez").with_values(REGISTRY, {"uncertainty": 100})
    draws = sample(REGISTRY, scenario, cursor(dimensions(REGISTRY, scenario), 20_000, 0))
    for param in REGISTRY.uncertain:
        low, high = draw_range(param, scenario.number(param.key), 100)
        assert param.min <= low <= high <= param.max
        assert draws[param.key].min() >= low and draws[param.key].max() <= high
    assert draws["delay"].min() >= 0  # a delay is never negative: the range is cut at the bound


def test_draws_follow_the_triangular_distribution() -> None:
    """Mean (low + value + high) / 3, the triangular spread, and P(X ≤ value) = (value − low) / (high − low), to within
    five standard errors of 20,000 draws; the delay's range is cut at 0, so it is lopsided."""
    scenario = DATASET.scenario("sez").with_values(REGISTRY, {"uncertainty": 100, "delay": 0.3})
    n = 20_000
    draws = sample(REGISTRY, scenario, cursor(dimensions(REGISTRY, scenario), n, 1))
    for param in REGISTRY.uncertain:
        value = scenario.number(param.key)
        low, high = draw_range(param, value, 100)
        if high == low:
            continue
        x = draws[param.key]
        sd = np.sqrt((low**2 + value**2 + high**2 - low * value - low * high - value * high) / 18)
        assert abs(x.mean() - (low + value + high) / 3) < 5 * sd / np.sqrt(n), param.key
        assert x.std() == pytest.approx(sd, rel=0.03), param.key  # a uniform draw would be √2 wider
        below = (value - low) / (high - low)
        assert abs(np.mean(x <= value) - below) < 5 * np.sqrt(below * (1 - below) / n) + 1e-9, param.key


def test_runs_longer_than_one_chunk_are_summarised_whole() -> None:
    _, _, result = run(draws=CHUNK + 3000)
    assert result.draws == CHUNK + 3000
    assert result.jobs.histogram.sum() == CHUNK + 3000


@pytest.mark.parametrize("metric", ["new_jobs", "floor_area"])
def test_the_widest_tornado_bar_moves_the_outcome_most_when_checked_directly(metric: str) -> None:
    zone = DATASET.zone("sez")
    scenario = DATASET.scenario("sez")
    goal = zone.goal(metric)
    swings = sensitivity(zone, scenario, REGISTRY, goal)
    index = 5  # 2030 from the 2025 jump-off
    direct = {}
    for param in REGISTRY.uncertain:
        low, high = draw_range(param, scenario.number(param.key), scenario.number("uncertainty"))
        at = [
            float(
                metric_named(metric).series(project(zone, scenario.with_values(REGISTRY, {param.key: v})), goal)[index]
            )
            for v in (low, high)
        ]
        direct[param.key] = abs(at[1] - at[0])
    assert swings[0].key == max(direct, key=direct.get)
    for swing in swings:
        assert swing.width == pytest.approx(direct[swing.key], rel=1e-9, abs=1e-9)
    assert [s.width for s in swings] == sorted((s.width for s in swings), reverse=True)


def test_cli_risk_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["risk", "--draws", "2000", "--seed", "5", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["draws"] == 2000 and data["seed"] == 5
    assert set(data["percentiles"]["new_jobs"]) == {f"p{q}" for q in QUANTILES}
    assert (
        0 <= data["probability"]["both"] <= min(data["probability"]["area_multiple"], data["probability"]["new_jobs"])
    )


def test_cli_sensitivity_and_bad_draws(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["new_jobs"][0]["key"] == "growth"
    assert main(["risk", "--draws", "10"]) == 2
    assert "draws: 10 is out of range" in capsys.readouterr().err


@pytest.mark.parametrize(
    "values",
    [
        np.random.default_rng(3).normal(size=(7, 10_000)),
        np.random.default_rng(4).integers(0, 4, size=(3, 1001)).astype(float),  # many equal neighbours
        np.full((2, 50), 3.5),
        np.array([[1.25]]),
    ],
    ids=["normal", "ties", "constant", "one draw"],
)
def test_quantiles_and_histogram_are_numpys_own(values: np.ndarray) -> None:
    """The sort-based summaries give exactly what np.percentile and np.histogram give."""
    ordered = np.sort(values, axis=1)
    np.testing.assert_array_equal(_quantiles(ordered), np.percentile(values, QUANTILES, axis=1))
    counts, edges = np.histogram(values[0], bins=HISTOGRAM_BINS)
    ours = _histogram(ordered[0])
    np.testing.assert_array_equal(ours[0], counts)
    np.testing.assert_array_equal(ours[1], edges)


def test_without_uncertainty_the_percentiles_are_ordered_and_equal() -> None:
    for zone_key in ("sez", "technoparks", "all"):
        _, _, result = run(zone_key, uncertainty=0, draws=1000)
        for distribution in (result.area, result.jobs):
            assert np.all(np.diff(distribution.quantiles, axis=0) == 0)


def test_one_sided_assumptions_are_those_at_an_end_of_their_range() -> None:
    """A delay of 0 can only be late: its draws go one way, and the risk tab says so."""
    from planner.risk import one_sided

    plan = DATASET.scenario("sez")
    sided = dict(one_sided(REGISTRY, plan))
    assert sided["delay"] == +1 and plan.number("delay") == 0
    late = plan.with_values(REGISTRY, {"delay": 1})
    assert "delay" not in dict(one_sided(REGISTRY, late))
    assert one_sided(REGISTRY, plan.with_values(REGISTRY, {"uncertainty": 0})) == ()


def test_the_risk_tab_names_the_one_sided_assumptions() -> None:
    at = open_link({})
    at.session_state["tab"] = text("tab_risk", "ru")
    at.run()
    assert not at.exception
    assert any("Односторонние допущения" in c.value and "Задержка" in c.value for c in at.caption)


# --- zones together: each zone draws around its own values, with correlated shocks -----------


def _ranks(values: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(values)).astype(float)


@pytest.mark.parametrize("correlation", [0.0, 0.5, 1.0])
def test_the_zones_shocks_correlate_by_the_setting(correlation: float) -> None:
    scenario = DATASET.scenario("all").with_values(REGISTRY, {"correlation": correlation, "uncertainty": 100})
    draws = sample(REGISTRY, scenario, cursor(dimensions(REGISTRY, scenario), 20_000, 7))
    for key in ("growth", "density", "delay"):
        sez, parks = draws[f"sez/{key}"], draws[f"technoparks/{key}"]
        spearman = float(np.corrcoef(_ranks(sez), _ranks(parks))[0, 1])
        if correlation == 1.0:
            np.testing.assert_array_equal(_ranks(sez), _ranks(parks))  # lock-step: the same shocks
        else:
            assert spearman == pytest.approx(correlation, abs=0.03), key


def test_each_zone_draws_around_its_own_values_and_keeps_its_distribution() -> None:
    scenario = DATASET.scenario("all").with_values(REGISTRY, {"correlation": 0.5})
    draws = sample(REGISTRY, scenario, cursor(dimensions(REGISTRY, scenario), 50_000, 3))
    for part, key in (("sez", "growth"), ("technoparks", "growth"), ("technoparks", "density")):
        own = DATASET.scenario(part)
        low, high = draw_range(REGISTRY[key], own.number(key), own.number("uncertainty"))
        values = draws[f"{part}/{key}"]
        assert low <= values.min() and values.max() <= high
        assert values.mean() == pytest.approx((low + high + own.number(key)) / 3, rel=5e-3)  # the triangle's mean


def test_zones_together_meet_a_goal_as_often_as_their_draws_say() -> None:
    """The whole's probability comes from the sum of the two zones' draws, each run on its own data."""
    together = DATASET.zone("all")
    scenario = DATASET.scenario("all").with_values(REGISTRY, {"draws": 2000})
    result = simulate_goals(together, scenario, REGISTRY)
    assert 0 <= result.area.probability <= 1
    assert result.years[0] == together.jump_off_year
    low = DATASET.scenario("all").with_values(REGISTRY, {"draws": 2000, "uncertainty": 0})
    certain = simulate_goals(together, low, REGISTRY)
    deterministic = assess(DATASET, "all", low)
    assert certain.area.probability == float(deterministic.area.met)
