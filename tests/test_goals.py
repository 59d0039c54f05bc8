"""Goal attainment, the year a goal is reached, and goal seek."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.data import Dataset
from planner.forecast import project
from planner.goals import compound_growth_needed, evaluate, first_year_met, is_met, solve_lever
from planner.metrics import AREA
from planner.metrics import metric as metric_named
from planner.scenario import Registry, Scenario
from planner.zone import Goal, Zone


def levers_for(registry: Registry, metric: str, zone: Zone | None = None) -> tuple[str, ...]:
    """Goal seek's levers; zones together turn only the shared ones."""
    return metric_named(metric).levers(registry, shared=bool(zone and zone.parts))


def scenario(dataset: Dataset, zone_key: str = "sez", **values: object) -> Scenario:
    return dataset.scenario(zone_key).with_values(dataset.registry, values)


def outcome(zone: Zone, scenario: Scenario, goal: Goal, lever: str, value: float) -> float:
    """The goal's metric in its year with `lever` at `value` (through the draws axis, so a
    solved value need not sit on the slider's step)."""
    run = project(zone, scenario, {lever: np.array([value])})
    return float(metric_named(goal.metric).series(run, goal)[0, run.year_index(goal.year)])


# --- closed forms --------------------------------------------------------------------------


def test_compound_growth_needed() -> None:
    assert compound_growth_needed(3.5, 6) == pytest.approx(23.219092917, abs=1e-9)
    assert (1 + compound_growth_needed(3.5, 6) / 100) ** 6 == pytest.approx(3.5, rel=1e-12)
    assert compound_growth_needed(1, 6) == 0
    assert compound_growth_needed(2, 1) == pytest.approx(100)


def test_solved_growth_agrees_with_the_closed_form(dataset: Dataset, sez: Zone) -> None:
    plan = dataset.scenario("sez")
    assert (plan["profile"], plan.number("delay"), plan.number("delivery")) == ("compound", 0, 100)
    solved = solve_lever(sez, plan, dataset.registry, sez.goal("floor_area"), "growth")
    assert solved is not None
    # From 2025's observed 2.0 million m² to the goal's 5.6 million: ×2.8 in five years.
    assert solved == pytest.approx(compound_growth_needed(2.8, 2030 - 2025), abs=1e-6)


def test_solved_delay_and_delivery_agree_with_closed_forms(dataset: Dataset, sez: Zone) -> None:
    goal = sez.goal("floor_area")
    # From the 2025 jump-off (2.0 million m²), compound at 30 % a year, delayed d years: 1.3^(5 − d) = 2.8.
    fast = scenario(dataset, growth=30)
    delay = solve_lever(sez, fast, dataset.registry, goal, "delay")
    assert delay == pytest.approx(5 - math.log(2.8) / math.log(1.3), abs=1e-6)
    # 22 % a year built in part r: 1 + r·(1.22^5 − 1) = 2.8.
    slow = scenario(dataset, growth=22)
    delivery = solve_lever(sez, slow, dataset.registry, goal, "delivery")
    assert delivery == pytest.approx(100 * 1.8 / (1.22**5 - 1), abs=1e-6)


def test_required_density_for_new_jobs(dataset: Dataset, sez: Zone) -> None:
    """Jobs added after the jump-off are proportional to the density, so the required density
    is a ratio of what each still adds over 2025's observed 7,900 new (30,000 − 22,100)."""
    plan = dataset.scenario("sez")
    goal = sez.goal("new_jobs")
    at_plan = outcome(sez, plan, goal, "density", plan.number("density"))
    required = solve_lever(sez, plan, dataset.registry, goal, "density")
    assert required is not None
    observed = 30_000 - 22_100
    assert required == pytest.approx(plan.number("density") * (90_000 - observed) / (at_plan - observed), rel=1e-8)
    assert required > plan.number("density")  # the plan's density is not enough


@pytest.mark.parametrize(
    ("zone_key", "metric", "reading", "changes"),
    [
        ("sez", "floor_area", None, {}),
        ("sez", "floor_area", None, {"profile": "s", "delay": 0.5}),
        ("sez", "new_jobs", None, {}),
        ("sez", "new_jobs", "strategy", {"growth": 15, "ramp": 2}),
        ("technoparks", "floor_area", None, {"profile": "back"}),
        ("technoparks", "new_jobs", None, {"density_trend": -2}),
        ("all", "new_jobs", None, {"profile": "front"}),
    ],
)
def test_solving_then_projecting_meets_the_goal(
    dataset: Dataset, zone_key: str, metric: str, reading: str | None, changes: dict[str, object]
) -> None:
    zone = dataset.zone(zone_key)
    goal = zone.goal(metric, reading)
    base = scenario(dataset, zone_key, **changes)
    target = metric_named(metric).target(goal)
    solved_any = False
    for lever in levers_for(dataset.registry, metric, zone):
        value = solve_lever(zone, base, dataset.registry, goal, lever)
        param = dataset.registry[lever]
        if value is None:  # even the best bound misses
            best = param.max if param.lever > 0 else param.min
            assert not is_met(outcome(zone, base, goal, lever, best), target), lever
            continue
        solved_any = True
        assert param.min <= value <= param.max, lever
        assert is_met(outcome(zone, base, goal, lever, value), target), lever
        worst = param.min if param.lever > 0 else param.max
        if value != worst:  # a little less of the lever misses: the value is the threshold
            nudged = value - param.lever * 1e-6 * (param.max - param.min)
            assert not is_met(outcome(zone, base, goal, lever, nudged), target), lever
    assert solved_any


def test_unreachable_goals_give_none(dataset: Dataset, sez: Zone) -> None:
    registry, area, jobs = dataset.registry, sez.goal("floor_area"), sez.goal("new_jobs")
    nothing_built = scenario(dataset, delivery=0)
    assert solve_lever(sez, nothing_built, registry, area, "growth") is None
    assert solve_lever(sez, nothing_built, registry, jobs, "density") is None
    assert solve_lever(sez, scenario(dataset, growth=0), registry, area, "delivery") is None
    assert solve_lever(sez, scenario(dataset, growth=20), registry, area, "delivery") is None  # needs ≈ 126 %


def test_a_goal_met_at_the_worst_bound_returns_that_bound(dataset: Dataset, sez: Zone) -> None:
    none_needed = Goal("new_jobs", "test", "new", 0.0, 2030, 2024, 22_100, 22_100, False, "", "", "test")
    plan = dataset.scenario("sez")
    assert solve_lever(sez, plan, dataset.registry, none_needed, "density") == dataset.registry["density"].min
    assert solve_lever(sez, plan, dataset.registry, none_needed, "ramp") == dataset.registry["ramp"].max


# --- first year met ------------------------------------------------------------------------

YEARS = np.arange(2024, 2029)


@pytest.mark.parametrize(
    ("values", "target", "expected"),
    [
        ([1, 2, 3, 4, 5], 3.5, 2026.5),
        ([1, 2, 3, 4, 5], 3.0, 2026.0),  # reached exactly in a year
        ([1, 2, 3, 4, 5], 2.25, 2025.25),
        ([1, 2, 3, 4, 5], 1.0, 2024.0),  # met in the base year
        ([1, 2, 3, 4, 5], 0.5, 2024.0),
        ([1, 2, 3, 4, 5], 5.0, 2028.0),
        ([1, 2, 3, 4, 5], 5.5, None),  # never
        ([0, 5, 2, 6, 1], 4.0, 2024.8),  # the first crossing counts
        ([0, 0, 0, 1e5, 2e5], 25_000, 2026.25),
    ],
)
def test_first_year_met_interpolates(values: list[float], target: float, expected: float | None) -> None:
    got = first_year_met(YEARS, np.array(values, dtype=float), target)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-9)


def test_first_year_met_allows_rounding_noise() -> None:
    assert first_year_met(YEARS, np.array([1, 2, 3, 4, 3.5 - 1e-12]), 3.5) == pytest.approx(2026.5)
    assert first_year_met(YEARS[:2], np.array([1, 3.5 - 1e-12]), 3.5) == pytest.approx(2025, abs=1e-9)


# --- the plan against the SEZ goals --------------------------------------------------------


def test_the_plan_meets_the_area_goal_and_misses_the_jobs_goal(dataset: Dataset, sez: Zone) -> None:
    """A documented finding: ×3.5 floor area at the plan's job density gives fewer than
    90,000 new jobs by 2030, so the jobs goal is the harder of the two."""
    plan = dataset.scenario("sez", "plan")
    run = project(sez, plan)
    area = evaluate(sez, plan, dataset.registry, run, sez.goal("floor_area"))
    jobs = evaluate(sez, plan, dataset.registry, run, sez.goal("new_jobs"))

    assert area.target == 3.5 and area.met and area.value >= 3.5
    assert area.year_met is not None and 2029 < area.year_met <= 2030
    assert area.required_value("growth") == pytest.approx(compound_growth_needed(2.8, 5), abs=1e-6)
    assert area.required_value("density") is None and [k for k, _ in area.required] == ["growth", "delivery"]

    assert jobs.target == 90_000 and not jobs.met
    assert jobs.year_met is None
    assert 0 < jobs.value < 90_000 and jobs.gap == pytest.approx(90_000 - jobs.value)
    assert jobs.value == pytest.approx(float(run.jobs[-1]) - 22_100)  # new on 2024, the goal's base
    assert jobs.required_value("growth") > plan.number("growth")
    assert jobs.required_value("density") > plan.number("density")


def test_year_met_matches_the_projection(dataset: Dataset, sez: Zone) -> None:
    faster = scenario(dataset, growth=30, horizon=2035)
    run = project(sez, faster)
    result = evaluate(sez, faster, dataset.registry, run, sez.goal("floor_area"), levers=())
    assert result.required == ()
    multiple = AREA.series(run, sez.goal("floor_area"))
    year = result.year_met
    assert year is not None and 2028 < year < 2029
    i = int(year) - 2025
    assert multiple[i] < 3.5 <= multiple[i + 1]
    assert multiple[i] + (year - int(year)) * (multiple[i + 1] - multiple[i]) == pytest.approx(3.5, rel=1e-12)


@pytest.mark.parametrize("metric", ["floor_area", "new_jobs"])
def test_a_levers_answer_does_not_depend_on_where_the_lever_stands(dataset: Dataset, sez: Zone, metric: str) -> None:
    """The app caches goal seek without the lever's own value in the key; this is why it may.
    Density at 0 builds no jobs at all, and the answer must still be the density that would."""
    goal = sez.goal(metric)
    for lever in levers_for(dataset.registry, metric):
        param = dataset.registry[lever]
        answers = {
            solve_lever(sez, scenario(dataset, **{lever: value}), dataset.registry, goal, lever)
            for value in (param.min, param.max, scenario(dataset).number(lever))
        }
        assert len(answers) == 1, (lever, answers)


@pytest.mark.parametrize("zone_key", ["sez", "technoparks", "all"])
@pytest.mark.parametrize("preset", ["plan", "current_pace", "delayed", "accelerated"])
def test_every_goal_seek_answer_typed_back_as_shown_meets_its_goal(
    dataset: Dataset, zone_key: str, preset: str
) -> None:
    """The figure the app shows (rounded to its decimals in the direction that meets the goal)
    is a value an analyst can type into the lever and see the goal met."""
    from planner.present import meeting_value

    zone = dataset.zone(zone_key)
    base = dataset.scenario(zone_key, preset)
    for goal in zone.goals:
        outcome = metric_named(goal.metric)
        target = outcome.target(goal)
        for lever in levers_for(dataset.registry, goal.metric, zone):
            answer = solve_lever(zone, base, dataset.registry, goal, lever)
            if answer is None:
                continue
            param = dataset.registry[lever]
            shown = meeting_value(param, answer)
            typed = base.with_values(dataset.registry, {lever: shown})
            run = project(zone, typed)
            assert is_met(float(outcome.series(run, goal)[run.year_index(goal.year)]), target), (
                goal.reading,
                lever,
                shown,
            )


def test_the_strategys_600_companies_follow_from_9500_m2_per_new_company(dataset: Dataset) -> None:
    """Methodology: the plan's 650 companies against the strategy's ≈ 600 is the floor area
    per new company, 8,350 m² (2025's average) against ≈ 9,500 m²."""
    from planner.outlook import assess

    for company_m2, expected in ((8350, 650), (9500, 600)):
        outlook = assess(dataset, "sez", scenario(dataset, company_m2=company_m2))
        p = outlook.projection
        assert round(float(p.companies[p.year_index(2030)])) == expected


def test_a_binding_cap_turns_goal_seek_from_a_ratio_to_a_search(dataset: Dataset, sez: Zone) -> None:
    """With 14,500 m² per hectare on the SEZ's 392 ha the stock stops at 5.68 million m²: the
    plan still meets 5.6 million at full delivery, and the answer typed back meets the goal."""
    capped = scenario(dataset, land_cap=14_500)
    goal = sez.goal("floor_area")
    delivery = solve_lever(sez, capped, dataset.registry, goal, "delivery")
    assert delivery is not None and delivery <= 100
    assert is_met(outcome(sez, capped, goal, "delivery", delivery), metric_named("floor_area").target(goal))
