"""The app's caches: what they share, what they leave out of a key, and that nobody can
write into a shared result."""

from __future__ import annotations

import numpy as np
import pytest

from planner.data import load
from planner.goals import solve_lever
from planner.scenario import Scenario
from planner.ui import cache

DATASET = load()
PLAN = DATASET.scenario("sez")
READING = DATASET.zone("sez").goal("new_jobs").reading


def changed(**values: object):
    return PLAN.with_values(DATASET.registry, values)


def test_investment_reuses_the_draws_and_growth_does_not() -> None:
    draws = cache.risk(DATASET, "sez", PLAN, READING)
    assert cache.risk(DATASET, "sez", changed(capex=450), READING) is draws
    assert cache.risk(DATASET, "sez", changed(company_m2=5000), READING) is draws
    assert cache.risk(DATASET, "sez", changed(growth=20), READING) is not draws


def test_shared_results_cannot_be_written() -> None:
    draws = cache.risk(DATASET, "sez", PLAN, READING)
    outlook = cache.outlook(DATASET, "sez", PLAN, READING)
    for array in (draws.area.quantiles, draws.jobs.histogram, draws.years, outlook.projection.added_m2):
        with pytest.raises(ValueError, match="read-only"):
            array[..., 0] = 0


@pytest.mark.parametrize("lever", ["growth", "density"])
def test_goal_seek_answers_for_any_value_of_its_own_lever(lever: str) -> None:
    """Solved at the plan's value, the cached answer serves the lever at its upper bound too
    (the key leaves the lever out), and equals a fresh solve there."""
    cache._solve.cache_clear()
    cache.outlook.cache_clear()
    goal = DATASET.zone("sez").goal("new_jobs", READING)
    at_plan = cache.outlook(DATASET, "sez", PLAN, READING).jobs.required_value(lever)
    other = changed(**{lever: DATASET.registry[lever].max})
    served = cache.outlook(DATASET, "sez", other, READING).jobs.required_value(lever)
    assert served == at_plan
    assert served == solve_lever(DATASET.zone("sez"), other, DATASET.registry, goal, lever)
    assert np.isfinite(served)


def test_zones_together_under_two_presets_never_share_a_result() -> None:
    """The whole's values can agree while a part's own (set by a preset) differ: here a
    preset that would speed up only the technoparks."""
    registry = DATASET.registry
    plan = DATASET.scenario("all", "plan")
    parks = DATASET.scenario("technoparks").with_values(registry, {"growth": 20})
    faster = Scenario.combined(registry, (("sez", DATASET.scenario("sez")), ("technoparks", parks)))
    assert plan.values == faster.values and plan != faster
    reading = DATASET.zone("all").goal("new_jobs").reading
    assert cache.risk(DATASET, "all", plan, reading) is not cache.risk(DATASET, "all", faster, reading)
    assert cache.sensitivity(DATASET, "all", plan) is not cache.sensitivity(DATASET, "all", faster)
    ours = cache.risk(DATASET, "all", faster, reading).area.probability
    assert ours > cache.risk(DATASET, "all", plan, reading).area.probability


def test_a_vintages_run_cannot_be_written() -> None:
    outlook = cache.outlook(DATASET, "sez", PLAN, READING)
    (vintage,) = outlook.vintages
    with pytest.raises(ValueError, match="read-only"):
        vintage.projection.added_m2[..., 0] = 0
