"""Tidy tables and dictionaries of an outlook: one row per year, one per cluster and year."""

from __future__ import annotations

import pytest

from planner.data import Dataset
from planner.export import cluster_frame, outlook_dict, yearly_frame
from planner.outlook import assess


@pytest.fixture(scope="module")
def outlook(dataset: Dataset):
    return assess(dataset, "sez", dataset.scenario("sez"))


def test_the_yearly_table_is_the_projection(outlook) -> None:
    frame = yearly_frame(outlook)
    assert frame["year"].tolist() == outlook.projection.years.tolist()
    assert frame["floor_area_m2"].tolist() == pytest.approx(outlook.projection.floor_area_m2.tolist())


def test_the_cluster_table_adds_up_to_the_zone(outlook) -> None:
    frame = cluster_frame(outlook)
    totals = frame.groupby("year", sort=True)["floor_area_m2"].sum()
    assert totals.tolist() == pytest.approx(outlook.projection.floor_area_m2.tolist(), rel=1e-12)
    assert len(frame) == len(outlook.projection.years) * len(outlook.zone.clusters)


def test_the_dictionary_holds_both_goals_under_their_result_keys(dataset: Dataset, outlook) -> None:
    result = outlook_dict(outlook, "plan", dataset.version)
    assert set(result["goals"]) == {"area_multiple", "new_jobs"}
    assert result["goals"]["new_jobs"]["target"] == pytest.approx(outlook.jobs.target)
    assert result["data_version"] == dataset.version and result["zone"] == "sez"
