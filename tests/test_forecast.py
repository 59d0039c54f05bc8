"""The floor-area and jobs model: closed-form cases and hypothesis invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.data import Dataset
from planner.forecast import Run, occupancy_by_age, occupied_new_area, planned_floor_area, project
from planner.goals import compound_growth_needed
from planner.metrics import AREA
from planner.scenario import CORE_PARAMS, PROFILES, Scenario
from planner.zone import Zone
from tests.conftest import everywhere

PARAMS = {param.key: param for param in CORE_PARAMS}
ZONES = ("sez", "technoparks", "all")
FIELDS = (
    "floor_area_m2_by_cluster",
    "commissioned_m2_by_cluster",
    "occupied_m2_by_cluster",
    "jobs_by_cluster",
    "companies",
    "investment_rub",
    "floor_area_m2",
    "occupied_m2",
    "jobs",
    "new_jobs",
)


def scenario(dataset: Dataset, zone_key: str = "sez", **values: object) -> Scenario:
    return everywhere(dataset, zone_key, **values)


def at(projection: Run, series: np.ndarray, year: int) -> np.ndarray:
    return series[..., projection.year_index(year)]


# --- closed-form cases ---------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("zone_key", ZONES)
def test_zero_growth_keeps_everything_flat(dataset: Dataset, zone_key: str, profile: str) -> None:
    zone = dataset.zone(zone_key)
    run = project(zone, scenario(dataset, zone_key, growth=0, profile=profile, delay=1.5, horizon=2035))
    assert run.years[0] == zone.jump_off_year and run.years[-1] == 2035
    np.testing.assert_allclose(run.floor_area_m2, zone.floor_area_m2, rtol=1e-12)
    np.testing.assert_allclose(run.new_jobs, 0.0, atol=1e-9)
    np.testing.assert_allclose(run.commissioned_m2_by_cluster, 0.0, atol=1e-9)
    np.testing.assert_allclose(run.occupied_m2, zone.floor_area_m2 * zone.occupancy, rtol=1e-12)
    np.testing.assert_allclose(run.companies, zone.companies, rtol=1e-12)
    np.testing.assert_allclose(run.investment_rub, 0.0, atol=1e-6)


@pytest.mark.parametrize("profile", PROFILES)
def test_delivery_zero_builds_nothing(dataset: Dataset, sez: Zone, profile: str) -> None:
    run = project(sez, scenario(dataset, growth=40, profile=profile, delivery=0, horizon=2035))
    np.testing.assert_allclose(run.floor_area_m2, sez.floor_area_m2, rtol=1e-12)
    np.testing.assert_allclose(run.new_jobs, 0.0, atol=1e-9)
    np.testing.assert_allclose(run.investment_rub, 0.0, atol=1e-6)


def test_compound_at_the_closed_form_rate_reaches_exactly_3_5x(dataset: Dataset, sez: Zone) -> None:
    """From 2025's observed 2.0 million m², the goal's 5.6 million (×3.5 on 2024) is ×2.8 in five years."""
    growth = compound_growth_needed(5.6 / 2.0, 2030 - 2025)
    assert growth == pytest.approx(22.8659679, abs=1e-7)
    run = project(sez, scenario(dataset, growth=growth, profile="compound", delay=0, delivery=100))
    goal = sez.goal("floor_area")
    assert at(run, AREA.series(run, goal), 2030) == pytest.approx(3.5, rel=1e-9)
    assert at(run, run.floor_area_m2, 2030) == pytest.approx(5_600_000, rel=1e-9)
    expected = 2_000_000 * 2.8 ** ((run.years - 2025) / 5)  # a constant rate on the way
    np.testing.assert_allclose(run.floor_area_m2, expected, rtol=1e-12)


@pytest.mark.parametrize("growth", [0.5, 14.01, 23.22, 40])
@pytest.mark.parametrize("zone_key", ZONES)
def test_every_profile_reaches_the_same_area_in_the_target_year(dataset: Dataset, zone_key: str, growth: float) -> None:
    zone = dataset.zone(zone_key)
    span = zone.target_year - zone.jump_off_year
    runs = {p: project(zone, scenario(dataset, zone_key, growth=growth, profile=p, horizon=2035)) for p in PROFILES}
    for profile, run in runs.items():
        g = growth / 100
        assert run.floor_area_m2[0] == pytest.approx(zone.floor_area_m2, rel=1e-12), profile
        multiple = run.floor_area_m2 / zone.floor_area_m2  # on the jump-off
        assert at(run, multiple, zone.target_year) == pytest.approx((1 + g) ** span, rel=1e-12), profile
        assert np.all(np.diff(run.floor_area_m2) >= 0), profile


def test_the_profiles_differ_on_the_way(dataset: Dataset, sez: Zone) -> None:
    """Shapes from the methodology, at τ = 1/5 (2026 from the SEZ's 2025 jump-off): linear 0.2,
    front 1 − 0.8² = 0.36, back 0.2² = 0.04, S 3·0.2² − 2·0.2³ = 0.104."""
    shares = {}
    for profile in ("linear", "front", "back", "s"):
        run = project(sez, scenario(dataset, profile=profile))
        increment = run.floor_area_m2 - sez.floor_area_m2
        shares[profile] = at(run, increment, 2026) / at(run, increment, 2030)
    assert shares == pytest.approx({"linear": 0.2, "front": 0.36, "back": 0.04, "s": 0.104}, rel=1e-12)


@pytest.mark.parametrize("ramp", [0, 1.5])
def test_a_one_year_delay_shifts_the_compound_path_by_a_year(dataset: Dataset, sez: Zone, ramp: float) -> None:
    values = {"profile": "compound", "ramp": ramp, "density_trend": 0, "horizon": 2035}
    on_time = project(sez, scenario(dataset, delay=0, **values))
    delayed = project(sez, scenario(dataset, delay=1, **values))
    assert delayed.floor_area_m2[0] == pytest.approx(sez.floor_area_m2, rel=1e-12)
    np.testing.assert_allclose(delayed.floor_area_m2[1:], on_time.floor_area_m2[:-1], rtol=1e-12)
    np.testing.assert_allclose(delayed.floor_area_m2_by_cluster[:, 1:], on_time.floor_area_m2_by_cluster[:, :-1])
    # With a time-invariant occupancy kernel and no density trend, jobs shift with the area.
    assert delayed.new_jobs[0] == pytest.approx(0, abs=1e-9)
    np.testing.assert_allclose(delayed.new_jobs[1:], on_time.new_jobs[:-1], rtol=1e-12, atol=1e-9)


def test_occupancy_by_age_by_hand() -> None:
    # o = 0.9, R = 2: a vintage is occupied at 0.3, 0.6, then 0.9 from its third year.
    by_age = occupancy_by_age(4, np.array([0.9]), np.array([2.0]))
    np.testing.assert_allclose(by_age, [[0.3, 0.6, 0.9, 0.9]], rtol=1e-15)
    # One vintage opened in the second year is occupied along the same curve, a year later.
    opened = np.array([[0.0, 1.0, 0.0, 0.0]])
    np.testing.assert_allclose(occupied_new_area(opened, by_age), [[0.0, 0.3, 0.6, 0.9]], rtol=1e-15)


def test_occupied_new_area_vectorised_over_draws() -> None:
    occupancy, ramp = np.array([1.0, 0.8, 0.5]), np.array([0.0, 1.0, 0.5])
    by_age = occupancy_by_age(3, occupancy, ramp)
    np.testing.assert_allclose(by_age[0], [1, 1, 1])  # R = 0: let at once
    np.testing.assert_allclose(by_age[1], [0.4, 0.8, 0.8])
    np.testing.assert_allclose(by_age[2], [1 / 3, 0.5, 0.5])  # 0.5·min(1, (k+1)/1.5)
    opened = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 1.0], [3.0, 0.0, 1.0]])
    expected = [np.convolve(o, w)[:3] for o, w in zip(opened, by_age, strict=True)]
    np.testing.assert_allclose(occupied_new_area(opened, by_age), expected, rtol=1e-15)


def test_a_small_case_by_hand(dataset: Dataset, sez: Zone) -> None:
    """Linear profile, so the same area opens every year; each vintage is half let in its
    first year (R = 1); at the default mix new jobs are occupied new m² × density / 1000."""
    g, occupancy, density, trend, capex, company_m2 = 0.20, 0.80, 25.0, -0.02, 300, 5000
    run = project(
        sez,
        scenario(
            dataset,
            growth=g * 100,
            profile="linear",
            ramp=1,
            occupancy=occupancy * 100,
            density=density,
            density_trend=trend * 100,
            capex=capex,
            company_m2=company_m2,
        ),
    )
    k = np.arange(6)  # years since the 2025 jump-off
    yearly = sez.floor_area_m2 * ((1 + g) ** 5 - 1) / 5
    np.testing.assert_allclose(run.floor_area_m2, sez.floor_area_m2 + yearly * k, rtol=1e-12)
    np.testing.assert_allclose(run.commissioned_m2_by_cluster.sum(axis=0), np.where(k > 0, yearly, 0), rtol=1e-12)
    occupied_new = np.where(k > 0, occupancy * yearly * (k - 0.5), 0)
    np.testing.assert_allclose(run.occupied_m2 - sez.floor_area_m2 * sez.occupancy, occupied_new, atol=1e-6)
    np.testing.assert_allclose(run.new_jobs, occupied_new * density / 1000 * (1 + trend) ** k, atol=1e-9)
    np.testing.assert_allclose(run.companies, sez.companies + occupied_new / company_m2, rtol=1e-12)
    np.testing.assert_allclose(run.investment_rub, yearly * k * capex * 1000, rtol=1e-12)


def test_new_area_follows_the_normalised_mix(dataset: Dataset, sez: Zone) -> None:
    plan = dataset.scenario("sez")
    doubled = plan.with_values(dataset.registry, {k: 2 * plan.number(k) for k in dataset.registry.mix_keys})
    first, second = project(sez, plan), project(sez, doubled)
    for name in FIELDS:
        np.testing.assert_allclose(getattr(first, name), getattr(second, name), rtol=1e-12, err_msg=name)
    only_ev = plan.with_values(dataset.registry, {k: 100 if k == "mix_ev" else 0 for k in dataset.registry.mix_keys})
    run = project(sez, only_ev)
    base = sez.floor_area_m2 * np.array([c.base_share for c in sez.clusters])
    growth = run.floor_area_m2_by_cluster - base[:, None]
    ev = run.cluster_keys.index("ev")
    np.testing.assert_allclose(growth[ev], run.floor_area_m2 - sez.floor_area_m2, rtol=1e-12)
    np.testing.assert_allclose(np.delete(growth, ev, axis=0), 0, atol=1e-6)
    no_mix = plan.with_values(dataset.registry, dict.fromkeys(dataset.registry.mix_keys, 0))
    run = project(sez, no_mix)
    growth = run.floor_area_m2_by_cluster - base[:, None]
    np.testing.assert_allclose(growth, np.tile((run.floor_area_m2 - sez.floor_area_m2) / 7, (7, 1)), atol=1e-6)


def test_draws_give_the_numbers_of_separate_runs(dataset: Dataset) -> None:
    zone = dataset.zone("technoparks")
    base = scenario(dataset, "technoparks", profile="s", horizon=2033)
    cases = [
        {"growth": 0, "delay": 0, "delivery": 100, "occupancy": 99, "ramp": 1, "density": 30.3, "mix_ev": 5},
        {"growth": 14.01, "delay": 0.7, "delivery": 85, "occupancy": 90, "ramp": 0, "density": 12.5, "mix_ev": 0},
        {"growth": 28.47, "delay": 2.5, "delivery": 120, "occupancy": 50, "ramp": 2.5, "density": 60, "mix_ev": 70},
        {"growth": 40, "delay": 5, "delivery": 0, "occupancy": 100, "ramp": 5, "density": 5, "mix_ev": 100},
    ]
    for case in cases:
        case.update(density_trend=case["delay"] - 2, capex=10 + case["growth"], company_m2=500 + 100 * case["ramp"])
    draws = {key: np.array([case[key] for case in cases], dtype=float) for key in cases[0]}
    together = project(zone, base, draws)
    assert together.floor_area_m2.shape == (len(cases), 2033 - 2025 + 1)
    for i, case in enumerate(cases):
        alone = project(zone, base.with_values(dataset.registry, case))
        assert alone.floor_area_m2.shape == (2033 - 2025 + 1,)
        for name in FIELDS:
            np.testing.assert_allclose(getattr(together, name)[i], getattr(alone, name), rtol=1e-12, err_msg=name)


@pytest.mark.parametrize("key", ["growth", "occupancy", "density_trend", "mix_ev", "capex"])
def test_one_drawn_parameter_broadcasts_the_others(dataset: Dataset, key: str) -> None:
    """Parameters that are not drawn enter as one value broadcast over the draws; every output
    still has the full draws axis and the numbers of separate runs."""
    zone = dataset.zone("technoparks")
    base = scenario(dataset, "technoparks", ramp=1.5)
    param = dataset.registry[key]
    values = np.array([param.min, (param.min + param.max) / 2, param.max])
    together = project(zone, base, {key: values})
    for i, value in enumerate(values):
        alone = project(zone, base.with_values(dataset.registry, {key: float(value)}))
        for name in FIELDS:
            assert getattr(together, name).shape[0] == len(values), name
            np.testing.assert_allclose(getattr(together, name)[i], getattr(alone, name), rtol=1e-12, err_msg=name)


# --- hypothesis invariants -----------------------------------------------------------------

MODEL_KEYS = ("growth", "delay", "delivery", "occupancy", "ramp", "density", "density_trend", "capex", "company_m2")


def bounded(key: str) -> st.SearchStrategy[float]:
    param = PARAMS[key]
    return st.floats(min_value=param.min, max_value=param.max)


values_st = st.fixed_dictionaries({key: bounded(key) for key in MODEL_KEYS})
mix_st = st.one_of(  # all shares 0 is a case of its own (an equal split), too rare to be drawn
    st.just([0.0] * 7), st.lists(st.floats(min_value=0, max_value=100), min_size=7, max_size=7)
)
setting_st = st.tuples(st.sampled_from(ZONES), st.sampled_from(PROFILES), st.integers(2030, 2035))
PROPERTY = settings(max_examples=300, deadline=None)


def run_draws(
    dataset: Dataset,
    setting: tuple[str, str, int],
    values: dict[str, float],
    mix: list[float] | None,
    **vary: list[float],
) -> tuple[Zone, Run]:
    """Project arbitrary in-bounds values (as Monte Carlo passes them: through the draws axis)."""
    zone_key, profile, horizon = setting
    zone = dataset.zone(zone_key)
    n = len(next(iter(vary.values()))) if vary else 1
    draws = {key: np.full(n, value) for key, value in values.items()}
    if mix is not None:
        draws.update({key: np.full(n, share) for key, share in zip(dataset.registry.mix_keys, mix, strict=True)})
    draws.update({key: np.asarray(column, dtype=float) for key, column in vary.items()})
    return zone, project(zone, scenario(dataset, zone_key, profile=profile, horizon=horizon), draws)


def non_decreasing(low: np.ndarray, high: np.ndarray) -> bool:
    return bool(np.all(high >= low - 1e-9 * np.maximum(1.0, np.abs(low))))


@PROPERTY
@given(setting=setting_st, values=values_st, mix=mix_st)
def test_outputs_are_non_negative(dataset: Dataset, setting, values, mix) -> None:
    _, run = run_draws(dataset, setting, values, mix)
    for name in FIELDS:
        array = getattr(run, name)
        assert np.all(np.isfinite(array)), name
        assert np.all(array >= -1e-6), name
    assert np.all(run.new_jobs >= -1e-9)
    assert np.all(run.floor_area_m2 >= run.floor_area_m2[..., :1] * (1 - 1e-12))


@PROPERTY
@given(
    setting=setting_st,
    values=values_st,
    mix=mix_st,
    lever=st.sampled_from(["growth", "density", "delivery"]),
    data=st.data(),
)
def test_area_and_jobs_are_monotone_in_growth_density_and_delivery(
    dataset: Dataset, setting, values, mix, lever, data
) -> None:
    low, high = sorted(data.draw(st.lists(bounded(lever), min_size=2, max_size=2), label=lever))
    _, run = run_draws(dataset, setting, values, mix, **{lever: [low, high]})
    assert non_decreasing(run.floor_area_m2[0], run.floor_area_m2[1])  # every year
    assert non_decreasing(run.jobs[0], run.jobs[1])
    assert non_decreasing(run.occupied_m2[0], run.occupied_m2[1])


@PROPERTY
@given(setting=setting_st, values=values_st, mix=mix_st, delays=st.lists(bounded("delay"), min_size=2, max_size=2))
def test_delay_never_increases_the_area(dataset: Dataset, setting, values, mix, delays) -> None:
    early, late = sorted(delays)
    _, run = run_draws(dataset, setting, values, mix, delay=[early, late])
    assert at(run, run.floor_area_m2, 2030)[1] <= at(run, run.floor_area_m2, 2030)[0] * (1 + 1e-12)
    assert non_decreasing(run.floor_area_m2[1], run.floor_area_m2[0])  # and in no other year either


@PROPERTY
@given(setting=setting_st, values=values_st, mix=mix_st)
def test_cluster_sums_equal_totals_whatever_the_mix(dataset: Dataset, setting, values, mix) -> None:
    """Cluster sums against totals computed without the split: the plan's path, its yearly
    increments and their convolution with the occupancy kernel."""
    zone, run = run_draws(dataset, setting, values, mix)
    base = zone.floor_area_m2
    planned = planned_floor_area(
        setting[1],
        run.years - values["delay"],
        zone.jump_off_year,
        zone.target_year,
        base,
        np.array(values["growth"] / 100),
    )
    area = base + values["delivery"] / 100 * (planned - base)
    np.testing.assert_allclose(run.floor_area_m2_by_cluster.sum(axis=-2)[0], area, rtol=1e-9)
    opened = np.diff(area, prepend=base)
    np.testing.assert_allclose(run.commissioned_m2_by_cluster.sum(axis=-2)[0], opened, rtol=1e-9, atol=1e-6 * base)
    by_age = occupancy_by_age(len(run.years), np.array([values["occupancy"] / 100]), np.array([values["ramp"]]))[0]
    occupied = base * zone.occupancy + np.convolve(opened, by_age)[: len(opened)]
    np.testing.assert_allclose(run.occupied_m2_by_cluster.sum(axis=-2)[0], occupied, rtol=1e-9)
    assert run.jobs_by_cluster[0, :, 0].sum() == pytest.approx(zone.jobs, rel=1e-12)
    for by_cluster, total in [
        (run.floor_area_m2_by_cluster, run.floor_area_m2),
        (run.occupied_m2_by_cluster, run.occupied_m2),
        (run.jobs_by_cluster, run.jobs),
    ]:
        np.testing.assert_allclose(by_cluster.sum(axis=-2), total, rtol=1e-9)


def test_the_model_always_reaches_the_goals_year(dataset) -> None:
    """A zone whose goal lies past the shortest horizon a link can ask for (an upload's own
    target year) is still read in its goal's year, by the projection, goal seek and the
    Monte Carlo alike."""
    import re
    from dataclasses import replace

    from planner.outlook import assess
    from planner.risk import simulate
    from planner.zonefile import load_zone_csv, template_csv

    text = re.sub(r"(goal,[^,]+,year,)2030", r"\g<1>2033", template_csv(dataset, "sez"))
    text = re.sub(r"(default,horizon,value,)[0-9]+", r"\g<1>2035", text)
    own = load_zone_csv(text.encode(), "zone.csv", dataset)
    zone = own.zones[0]
    short = own.scenario(zone.key).with_values(own.registry, {"horizon": 2030})
    outlook = assess(own, zone.key, short)
    assert outlook.projection.years[-1] == 2033 and outlook.area.year == 2033
    assert outlook.area.required_value("growth") is not None
    result = simulate(zone, replace(short), own.registry, zone.goal("floor_area"), zone.goal("new_jobs"))
    assert result.years[-1] == 2033


@pytest.mark.parametrize("profile", ["compound", "linear", "front", "back", "s"])
@pytest.mark.parametrize("zone_key", ["sez", "technoparks", "all"])
def test_after_the_target_year_building_goes_on_at_the_last_planned_pace(dataset, zone_key: str, profile: str) -> None:
    """No profile compounds past its goal: each later year adds the m² the plan's last year added."""
    zone = dataset.zone(zone_key)
    scenario = dataset.scenario(zone_key).with_values(dataset.registry, {"profile": profile, "horizon": 2035})
    projection = project(zone, scenario)
    area = projection.floor_area_m2
    target = projection.year_index(zone.target_year)
    last_planned = area[target] - area[target - 1]
    added_after = np.diff(area[target:])
    assert added_after == pytest.approx(np.full(len(added_after), last_planned), rel=1e-9)
    assert area[-1] == pytest.approx(area[target] + last_planned * (2035 - zone.target_year), rel=1e-9)


# --- capacity: a cap on m² opened a year and on floor area per hectare -------------------------


def test_a_binding_construction_cap_opens_exactly_the_cap_each_year(dataset: Dataset, sez: Zone) -> None:
    """The plan opens ≥ 457,000 m² a year from 2026; at 300,000 a year the cap binds every year."""
    run = project(sez, scenario(dataset, build_cap=300))
    k = run.years - 2025
    np.testing.assert_allclose(run.floor_area_m2, 2_000_000 + 300_000 * k, rtol=1e-12)


def test_work_that_does_not_fit_a_year_moves_to_the_next(dataset: Dataset, sez: Zone) -> None:
    """A front-loaded plan overflows its early years; the backlog opens later, within the cap,
    until the capped stock catches up with the plan."""
    values = {"profile": "front", "horizon": 2035}
    free = project(sez, scenario(dataset, **values))
    capped = project(sez, scenario(dataset, build_cap=700, **values))
    opened = np.diff(capped.floor_area_m2)
    assert np.all(opened <= 700_000 + 1e-6)
    assert np.all(capped.floor_area_m2 <= free.floor_area_m2 + 1e-6)
    built = capped.floor_area_m2 - 2_000_000
    wanted = free.floor_area_m2 - 2_000_000
    for t in range(1, len(built)):  # C_t = min(C_{t−1} + cap, A_t)
        assert built[t] == pytest.approx(min(built[t - 1] + 700_000, wanted[t]), rel=1e-12)
    assert np.any(np.diff(free.floor_area_m2) > 700_000)  # the cap did bind somewhere
    assert capped.floor_area_m2[-1] == pytest.approx(free.floor_area_m2[-1], rel=1e-12)  # and the backlog cleared


def test_a_land_cap_holds_the_stock_under_floor_area_per_hectare(dataset: Dataset, sez: Zone) -> None:
    assert sez.land_ha == 392
    run = project(sez, scenario(dataset, land_cap=10_000))  # 3.92 million m² on 392 ha
    assert float(run.floor_area_m2.max()) == pytest.approx(3_920_000, rel=1e-12)
    below = project(sez, scenario(dataset, land_cap=4_000))  # under today's 2.0 million m²: nothing more
    np.testing.assert_allclose(below.floor_area_m2, 2_000_000, rtol=1e-12)
    parks = dataset.zone("technoparks")
    assert parks.land_ha is None  # no land figure: the cap cannot apply
    np.testing.assert_allclose(
        project(parks, scenario(dataset, "technoparks", land_cap=500)).floor_area_m2,
        project(parks, scenario(dataset, "technoparks")).floor_area_m2,
    )


@PROPERTY
@given(setting=setting_st, values=values_st, mix=mix_st, cap=st.floats(10, 3000))
def test_a_cap_is_never_exceeded_and_never_builds_more(dataset: Dataset, setting, values, mix, cap: float) -> None:
    zone, free = run_draws(dataset, setting, values, mix)
    _, capped = run_draws(dataset, setting, {**values, "build_cap": cap}, mix)
    limit = cap * 1000 * max(1, len(zone.parts))  # each zone of zones together has its own capacity
    assert np.all(np.diff(capped.floor_area_m2) <= limit * (1 + 1e-12) + 1e-6)
    assert np.all(capped.floor_area_m2 <= free.floor_area_m2 * (1 + 1e-12) + 1e-6)
