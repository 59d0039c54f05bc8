"""Cached entry points into the core, so a rerun recomputes only what changed."""

from __future__ import annotations

import streamlit as st

from planner.data import Dataset, data_dir, load
from planner.goals import levers_for, solve_lever
from planner.outlook import Outlook, assess
from planner.risk import RiskResult, Swing, simulate
from planner.risk import sensitivity as tornado
from planner.scenario import Scenario


def dataset() -> Dataset:
    return _dataset(str(data_dir()))


@st.cache_resource(show_spinner=False)
def _dataset(folder: str) -> Dataset:
    # A resource, not data: the Dataset is immutable and shared by every session as is.
    # A DataError is not cached, so fixing the file and reloading the page recovers.
    return load(folder)


@st.cache_data(show_spinner=False, max_entries=256)
def outlook(_dataset: Dataset, data_version: str, zone_key: str, scenario: Scenario, jobs_reading: str) -> Outlook:
    """Keyed on the data version (not the Dataset object) plus the scenario's values."""
    return assess(_dataset, zone_key, scenario, jobs_reading)


def risk(dataset: Dataset, zone_key: str, scenario: Scenario, jobs_reading: str) -> RiskResult:
    """Monte Carlo for the scenario. Parameters that do not move floor area or jobs
    (investment per m², floor area per company) are left out of the cache key, so moving
    them — or the language, the tab, a pin — reuses the draws."""
    relevant = tuple((key, value) for key, value in scenario.values if dataset.registry[key].group != "economics")
    return _risk(dataset, dataset.version, zone_key, relevant, jobs_reading, scenario)


@st.cache_data(show_spinner=False, max_entries=64)
def _risk(
    _dataset: Dataset, data_version: str, zone_key: str, key: tuple, jobs_reading: str, _scenario: Scenario
) -> RiskResult:
    zone = _dataset.zone(zone_key)
    return simulate(zone, _scenario, _dataset.registry, zone.goal("floor_area"), zone.goal("new_jobs", jobs_reading))


@st.cache_data(show_spinner=False, max_entries=64)
def sensitivity(
    _dataset: Dataset, data_version: str, zone_key: str, scenario: Scenario
) -> dict[str, tuple[Swing, ...]]:
    zone = _dataset.zone(zone_key)
    return {
        metric: tornado(zone, scenario, _dataset.registry, metric, zone.target_year)
        for metric in ("new_jobs", "floor_area")
    }


@st.cache_data(show_spinner=False, max_entries=64)
def requirements(
    _dataset: Dataset, data_version: str, zone_key: str, scenario: Scenario, jobs_reading: str
) -> dict[str, dict[str, float | None]]:
    """For each goal, the value of each lever that alone would meet it."""
    zone = _dataset.zone(zone_key)
    goals = {"floor_area": zone.goal("floor_area"), "new_jobs": zone.goal("new_jobs", jobs_reading)}
    return {
        metric: {lever: solve_lever(zone, scenario, _dataset.registry, goal, lever) for lever in levers_for(metric)}
        for metric, goal in goals.items()
    }
