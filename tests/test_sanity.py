"""Sanity warnings: each rule fires when its threshold is crossed, and only then."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from planner.data import load
from planner.forecast import project
from planner.sanity import check, record_build_m2
from tests.conftest import APP

DATASET = load()


def fired(zone_key: str, preset: str = "plan", **values: object) -> set[str]:
    zone = DATASET.zone(zone_key)
    scenario = DATASET.scenario(zone_key, preset).with_values(DATASET.registry, values)
    return {finding.rule.key for finding in check(DATASET.rules, zone, scenario, project(zone, scenario))}


def test_the_sez_plan_is_physically_plausible() -> None:
    assert fired("sez") == set()


@pytest.mark.parametrize(
    ("values", "rule"),
    [
        ({"growth": 28}, "floor_area_per_ha"),  # ×4.4 on 392 ha
        ({"density": 45}, "density_high"),
        ({"density": 6}, "density_low"),
        ({"growth": 40}, "build_pace"),
    ],
)
def test_each_rule_fires_past_its_threshold(values: dict, rule: str) -> None:
    assert rule in fired("sez", **values)


def test_thresholds_come_from_the_data() -> None:
    rule = next(r for r in DATASET.rules if r.key == "density_high")
    assert rule.threshold == 40 and rule.source
    assert "density_high" not in fired("sez", density=40)
    assert "density_high" in fired("sez", density=40.1)


def test_the_record_pace_is_the_largest_observed_yearly_gain() -> None:
    assert record_build_m2(DATASET.zone("sez")) == pytest.approx(400_000)  # 1.6 → 2.0 million m², 2024 → 2025
    # The technoparks' record: 1.0 million m² in 2016 to 2.7 million in 2025, spread evenly.
    assert record_build_m2(DATASET.zone("technoparks")) == pytest.approx(1_700_000 / 9)


def test_zones_together_are_checked_zone_by_zone_and_say_which() -> None:
    together = DATASET.zone("all")
    scenario = DATASET.scenario("all").with_values(DATASET.registry, {"delivery": 120})
    findings = check(DATASET.rules, together, scenario, project(together, scenario))
    assert findings and all(finding.zone in together.parts for finding in findings)


def test_the_app_shows_a_specific_warning_with_its_source() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"density": "45"})
    at.run()
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and "45,0" in warnings[0] and "40,0" in warnings[0]
    assert any("FACTS" in c.value for c in at.caption)  # the threshold's reasoning is shown beside it


def test_a_warning_quotes_the_figure_of_the_year_it_names() -> None:
    from planner.data import load
    from planner.forecast import project
    from planner.sanity import check

    dataset = load()
    zone = dataset.zone("sez")
    scenario = dataset.scenario("sez").with_values(dataset.registry, {"growth": 40})
    projection = project(zone, scenario)
    findings = [f for f in check(dataset.rules, zone, scenario, projection) if f.year is not None]
    assert findings
    for finding in findings:
        index = projection.year_index(finding.year)
        per_ha = projection.floor_area_m2 / zone.land_ha
        series = projection.commissioned_m2 if finding.rule.key == "build_pace" else per_ha
        assert finding.value == pytest.approx(float(series[index]))
        assert finding.value > finding.limit and (index == 0 or series[index - 1] <= finding.limit)


def test_a_pace_warning_names_the_zones_own_record() -> None:
    """The technoparks' plan is measured against the technoparks' best year, and the warning
    quotes that record, not the SEZ's."""
    from planner.data import load
    from planner.forecast import project
    from planner.outlook import assess
    from planner.sanity import check, record_build_m2
    from planner.ui.warnings import message

    dataset = load()
    zone = dataset.zone("technoparks")
    scenario = dataset.scenario("technoparks")
    findings = [f for f in check(dataset.rules, zone, scenario, project(zone, scenario)) if f.rule.key == "build_pace"]
    record = record_build_m2(zone)
    assert record is not None and record != record_build_m2(dataset.zone("sez"))
    for finding in findings:
        assert finding.limit == pytest.approx(finding.rule.threshold * record)
        words = message(finding, assess(dataset, "technoparks", scenario), "en")
        assert f"({round(record):,} m²)" in words
