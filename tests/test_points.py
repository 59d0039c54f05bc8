"""The Monte Carlo's quasi-random points: even, reproducible, faithful to each distribution,
and converging to the 200,000-draw answer within the standard error the app shows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import pipeline, risk
from planner.data import load
from planner.points import KEPT_COORDINATES, REPLICATES, Cursor, cursor, replicates, standard_error, starts, stream
from planner.risk import dimensions, draw_range, sample, simulate_goals

DATASET = load()
REGISTRY = DATASET.registry


def test_each_scramble_puts_one_point_in_every_slice_of_every_coordinate() -> None:
    """Scrambled Sobol' points of a power-of-two count are a stratified sample of every
    coordinate: 2ᵏ points, one in each of 2ᵏ equal slices (random numbers leave gaps)."""
    points = cursor(7, REPLICATES * 512, 5).take(7)
    for first in starts(REPLICATES * 512):
        one_scramble = points[:, first : first + 512]
        slices = np.floor(one_scramble * 512).astype(int)
        for row in slices:
            assert sorted(row.tolist()) == list(range(512))
    random = cursor(7, 512, 5, method="random").take(7)
    assert any(len(set(np.floor(row * 512).astype(int).tolist())) < 512 for row in random)


def test_the_same_seed_gives_the_same_points_and_another_seed_others() -> None:
    a, b, c = cursor(9, 3000, 11).take(9), cursor(9, 3000, 11).take(9), cursor(9, 3000, 12).take(9)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert np.all((a >= 0) & (a < 1))


@pytest.mark.parametrize("n", [1000, 8000, 20_000, 40_001])
@pytest.mark.parametrize("chunk", [1024, 8192])
def test_the_points_do_not_depend_on_the_chunking(n: int, chunk: int) -> None:
    whole = cursor(5, n, 3).take(5)
    pieces = np.concatenate([c.take(5) for c in stream(5, n, 3, chunk)], axis=1)
    np.testing.assert_array_equal(pieces, whole)


def test_a_run_too_big_to_keep_streams_the_same_points() -> None:
    assert 6000 * 1100 <= KEPT_COORDINATES < 8000 * 1100
    kept = np.concatenate([c.take(1100) for c in stream(1100, 6000, 4, 2048)], axis=1)
    streamed = np.concatenate([c.take(1100) for c in stream(1100, 8000, 4, 2048)], axis=1)
    np.testing.assert_array_equal(kept[:, :375], streamed[:, :375])  # the first scramble's first points agree


def test_a_large_zone_files_points_are_scrambled_once_for_every_move() -> None:
    """1,009 coordinates a draw (500 projects on the projects' basis): the second run reads
    the very points of the first instead of setting up sixteen scrambles again."""
    first = next(iter(stream(1009, 8000, 2030, 2048))).take(1009)
    again = next(iter(stream(1009, 8000, 2030, 2048))).take(1009)
    assert np.shares_memory(first, again)


def test_kept_points_are_read_only() -> None:
    block = next(iter(stream(3, 1000, 1, 1024))).take(3)
    with pytest.raises(ValueError):
        block[0, 0] = 0.5


def test_a_cursor_refuses_to_read_past_its_points_or_to_leave_any() -> None:
    points = Cursor(np.zeros((3, 10)))
    points.take(2)
    with pytest.raises(ValueError, match="read 2 coordinates of 3"):
        points.finish()
    with pytest.raises(ValueError, match="4 coordinates of 3"):
        points.take(2)


@given(st.integers(1, 300_000), st.integers(1, 40))
def test_replicates_split_every_point_once_and_evenly(n: int, count: int) -> None:
    split = replicates(n, count)
    sizes = [r.size for r in split]
    assert sum(sizes) == n
    assert max(sizes) - min(sizes) <= 1
    assert len(split) == min(n, count)


def test_the_standard_error_of_equal_replicates_is_their_spread_over_the_root_of_their_count() -> None:
    estimates = np.array([0.2, 0.4, 0.3, 0.5])
    sd = np.std(estimates, ddof=1)
    assert standard_error(estimates, np.full(4, 100)) == pytest.approx(sd / 2)
    assert standard_error(np.full(16, 0.3), np.full(16, 50)) == 0
    assert np.isnan(standard_error(np.array([0.3]), np.array([10])))


@settings(max_examples=25, deadline=None)
@given(
    uncertainty=st.sampled_from([10, 50, 100]),
    growth=st.floats(5, 35),
    delay=st.sampled_from([0.0, 0.5, 1.5]),
    seed=st.integers(0, 999_999),
)
def test_the_quasi_random_draws_keep_each_distributions_mean_and_spread(
    uncertainty: int, growth: float, delay: float, seed: int
) -> None:
    """Mean (low + value + high) / 3 and the triangle's standard deviation, from 8,000 points,
    within a tenth of what 8,000 independent draws would be allowed (five of their standard
    errors): the points fill the distribution far more evenly than random numbers."""
    scenario = DATASET.scenario("sez").with_values(
        REGISTRY, {"uncertainty": uncertainty, "growth": growth, "delay": delay}
    )
    n = 8000
    draws = sample(REGISTRY, scenario, cursor(dimensions(REGISTRY, scenario), n, seed))
    for param in REGISTRY.uncertain:
        value = scenario.number(param.key)
        low, high = draw_range(param, value, uncertainty)
        x = draws[param.key]
        assert low <= x.min() and x.max() <= high
        if high == low:
            assert np.all(x == value)
            continue
        sd = np.sqrt((low**2 + value**2 + high**2 - low * value - low * high - value * high) / 18)
        assert abs(x.mean() - (low + value + high) / 3) < 0.5 * sd / np.sqrt(n), param.key
        assert x.std() == pytest.approx(sd, rel=0.005), param.key


def test_the_slippage_shocks_keep_their_exponential_mean_and_spread() -> None:
    dataset = DATASET
    zone = dataset.zone("sez")
    scenario = dataset.scenario("sez").with_values(REGISTRY, {"basis": "pipeline", "slip_correlation": 0.3})
    points = cursor(pipeline.dimensions(zone, scenario), 8000, 2030)
    draws = pipeline.sample(zone, scenario, points)
    points.finish()
    shocks, complete = draws[pipeline.SLIP], draws[pipeline.COMPLETE]
    assert shocks.mean() == pytest.approx(1, abs=0.01)  # exponential: mean 1, standard deviation 1
    assert shocks.std() == pytest.approx(1, abs=0.03)
    assert complete.mean() == pytest.approx(0.5, abs=0.002)  # uniform completion draws
    shared = np.mean(np.all(shocks == shocks[:, :1], axis=1))  # every project the same shock
    assert shared == pytest.approx(0.3, abs=0.005)


@pytest.mark.parametrize(
    ("zone_key", "values"),
    [
        ("sez", {}),
        ("sez", {"growth": 23.8, "density": 25}),  # both goals near even odds
        ("technoparks", {}),
        ("all", {"correlation": 0.5}),
        ("sez", {"basis": "pipeline"}),
    ],
)
def test_the_probabilities_converge_to_the_200_000_draw_answer_within_the_stated_error(
    zone_key: str, values: dict[str, float]
) -> None:
    zone = DATASET.zone(zone_key)
    base = DATASET.scenario(zone_key).with_values(REGISTRY, values)
    large = simulate_goals(zone, base.with_values(REGISTRY, {"draws": 200_000, "seed": 1}), REGISTRY)
    for seed in (2, 3, 4):
        small = simulate_goals(zone, base.with_values(REGISTRY, {"seed": seed}), REGISTRY)
        assert small.draws == 8000
        for ours, answer in (
            ((small.area.probability, small.area.error), (large.area.probability, large.area.error)),
            ((small.jobs.probability, small.jobs.error), (large.jobs.probability, large.jobs.error)),
            ((small.probability_both, small.error_both), (large.probability_both, large.error_both)),
        ):
            # Four standard errors of the difference; a probability every draw agrees on
            # (0 or 1 in every scramble) has none, and must then be the answer exactly.
            allowed = 4 * np.hypot(ours[1], answer[1])
            assert abs(ours[0] - answer[0]) <= max(allowed, 1e-12), (zone_key, values, seed)


def test_the_stated_error_matches_the_spread_of_independent_runs() -> None:
    """Across 24 seeds the probabilities scatter about as widely as the error each run states."""
    zone = DATASET.zone("sez")
    base = DATASET.scenario("sez").with_values(REGISTRY, {"growth": 23.8, "density": 25})
    runs = [simulate_goals(zone, base.with_values(REGISTRY, {"seed": 100 + i}), REGISTRY) for i in range(24)]
    spread = np.std([r.area.probability for r in runs], ddof=1)
    stated = np.mean([r.area.error for r in runs])
    assert 0.6 < spread / stated < 1.6


def test_the_simulation_does_not_depend_on_the_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    zone = DATASET.zone("sez")
    scenario = DATASET.scenario("sez").with_values(REGISTRY, {"draws": 20_000})
    first = simulate_goals(zone, scenario, REGISTRY)
    monkeypatch.setattr(risk, "CHUNK", 1024)
    again = simulate_goals(zone, scenario, REGISTRY)
    np.testing.assert_array_equal(first.area.quantiles, again.area.quantiles)
    assert (first.area.probability, first.area.error) == (again.area.probability, again.area.error)


def test_random_draws_remain_available_for_comparison_and_agree() -> None:
    zone = DATASET.zone("sez")
    scenario = DATASET.scenario("sez").with_values(REGISTRY, {"draws": 40_000})
    sobol = risk.simulate(zone, scenario, REGISTRY, zone.goal("floor_area"), zone.goal("new_jobs"))
    plain = risk.simulate(zone, scenario, REGISTRY, zone.goal("floor_area"), zone.goal("new_jobs"), "random")
    assert (sobol.method, plain.method) == ("sobol", "random")
    assert abs(sobol.area.probability - plain.area.probability) <= 4 * np.hypot(sobol.area.error, plain.area.error)
    assert plain.area.error > sobol.area.error  # the point of the points
