"""The gap by cluster adds up to the zone's gap and shows in the app when a goal is missed."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from planner.data import load
from planner.gap import cluster_gaps, goal_increment
from planner.i18n import text
from planner.metrics import metric as metric_named
from planner.outlook import assess
from tests.conftest import APP

DATASET = load()


@pytest.mark.parametrize("zone_key", ["sez", "technoparks", "all"])
@pytest.mark.parametrize("preset", ["plan", "current_pace", "delayed", "accelerated"])
@pytest.mark.parametrize("metric", ["floor_area", "new_jobs"])
def test_cluster_gaps_add_up_to_the_zones_gap(zone_key: str, preset: str, metric: str) -> None:
    outlook = assess(DATASET, zone_key, DATASET.scenario(zone_key, preset))
    reference = assess(DATASET, zone_key, DATASET.scenario(zone_key, "plan"))
    outcome = metric_named(metric)
    gaps = cluster_gaps(outlook, reference, outcome)
    result = outcome.of(outlook)
    # The zone's gap as an amount of m² or of jobs (a gap in the multiple is × the goal's base area).
    zone_gap = outcome.as_level(result.goal, result.target) - outcome.as_level(result.goal, result.value)
    assert sum(g.gap for g in gaps) == pytest.approx(zone_gap, rel=1e-9, abs=1e-6)
    assert sum(g.expected for g in gaps) == pytest.approx(goal_increment(outlook, outcome))
    assert sum(g.share for g in gaps) == pytest.approx(1)
    assert [g.gap for g in gaps] == sorted((g.gap for g in gaps), reverse=True)


def test_a_reference_that_builds_nothing_splits_by_its_mix() -> None:
    outlook = assess(DATASET, "sez", DATASET.scenario("sez"))
    idle = assess(DATASET, "sez", DATASET.scenario("sez").with_values(DATASET.registry, {"delivery": 0}))
    gaps = {g.key: g for g in cluster_gaps(outlook, idle, metric_named("floor_area"))}
    assert gaps["other"].share == pytest.approx(0.35)  # the SEZ's default mix


def open_clusters(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.session_state["tab"] = text("tab_clusters", "ru")
    at.run()
    assert not at.exception
    return at


def test_the_clusters_tab_shows_the_gap_when_a_goal_is_missed() -> None:
    at = open_clusters({"preset": "delayed"})  # misses both goals
    waterfalls = [c for c in at.get("vega_lite_chart") if any(d.name == "steps" for d in c.proto.datasets)]
    assert len(waterfalls) == 2
    assert len(at.table) == 3  # the 2030 table and one per missed goal


def test_no_gap_when_both_goals_are_met() -> None:
    at = open_clusters({"growth": "30", "density": "30"})
    assert any(c.value == text("gap_none", "ru") for c in at.caption)
