"""Cached entry points into the core, so a rerun recomputes only what changed.

Keys are cheap on purpose: the data version, the zone, the jobs reading and the scenario's
values as one exact string (repr round-trips every float). Hashing the frozen dataclasses
themselves, field by field, cost more than the projection they keyed.

Results are immutable — frozen dataclasses over arrays made read-only here — so they are
cached as resources and shared as they are; `st.cache_data` would unpickle a fresh copy of
every result on every rerun.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import streamlit as st

from planner.data import Dataset, data_dir, load
from planner.goals import levers_for, solve_lever
from planner.outlook import Outlook, assess
from planner.risk import RiskResult, Swing, simulate
from planner.risk import sensitivity as tornado
from planner.scenario import Scenario

Result = TypeVar("Result")


def dataset() -> Dataset:
    return _dataset(str(data_dir()))


@st.cache_resource(show_spinner=False)
def _dataset(folder: str) -> Dataset:
    # A resource, not data: the Dataset is immutable and shared by every session as is.
    # A DataError is not cached, so fixing the file and reloading the page recovers.
    return load(folder)


def _read_only(result: Result) -> Result:
    """Lock every array reachable through the result's dataclass fields: a result is shared
    by every session, so a stray write must fail rather than change someone else's numbers."""
    if isinstance(result, np.ndarray):
        result.flags.writeable = False
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        for field in dataclasses.fields(result):
            _read_only(getattr(result, field.name))
    elif isinstance(result, tuple | list):
        for item in result:
            _read_only(item)
    elif isinstance(result, dict):
        for item in result.values():
            _read_only(item)
    return result


def _values(scenario: Scenario, keep: Callable[[str], bool] = lambda key: True) -> str:
    return repr(tuple((key, value) for key, value in scenario.values if keep(key)))


def outlook(dataset: Dataset, zone_key: str, scenario: Scenario, jobs_reading: str) -> Outlook:
    """The projection and both goals."""
    return _outlook(dataset, dataset.version, zone_key, _values(scenario), jobs_reading, scenario)


@st.cache_resource(show_spinner=False, max_entries=256)
def _outlook(
    _dataset: Dataset, data_version: str, zone_key: str, values: str, jobs_reading: str, _scenario: Scenario
) -> Outlook:
    return _read_only(assess(_dataset, zone_key, _scenario, jobs_reading))


def risk(dataset: Dataset, zone_key: str, scenario: Scenario, jobs_reading: str) -> RiskResult:
    """Monte Carlo for the scenario. Parameters that do not move floor area or jobs
    (investment per m², floor area per company) are left out of the cache key, so moving
    them — or the language, the tab, a pin — reuses the draws."""
    physical = _values(scenario, lambda key: dataset.registry[key].group != "economics")
    return _risk(dataset, dataset.version, zone_key, physical, jobs_reading, scenario)


@st.cache_resource(show_spinner=False, max_entries=64)
def _risk(
    _dataset: Dataset, data_version: str, zone_key: str, values: str, jobs_reading: str, _scenario: Scenario
) -> RiskResult:
    zone = _dataset.zone(zone_key)
    return _read_only(
        simulate(zone, _scenario, _dataset.registry, zone.goal("floor_area"), zone.goal("new_jobs", jobs_reading))
    )


def sensitivity(dataset: Dataset, zone_key: str, scenario: Scenario) -> dict[str, tuple[Swing, ...]]:
    """The tornado's bars for new jobs and for floor area."""
    return _sensitivity(dataset, dataset.version, zone_key, _values(scenario), scenario)


@st.cache_resource(show_spinner=False, max_entries=64)
def _sensitivity(
    _dataset: Dataset, data_version: str, zone_key: str, values: str, _scenario: Scenario
) -> dict[str, tuple[Swing, ...]]:
    zone = _dataset.zone(zone_key)
    return {
        metric: tornado(zone, _scenario, _dataset.registry, metric, zone.target_year)
        for metric in ("new_jobs", "floor_area")
    }


def requirements(
    dataset: Dataset, zone_key: str, scenario: Scenario, jobs_reading: str
) -> dict[str, dict[str, float | None]]:
    """For each goal, the value of each lever that alone would meet it."""
    return _requirements(dataset, dataset.version, zone_key, _values(scenario), jobs_reading, scenario)


@st.cache_resource(show_spinner=False, max_entries=64)
def _requirements(
    _dataset: Dataset, data_version: str, zone_key: str, values: str, jobs_reading: str, _scenario: Scenario
) -> dict[str, dict[str, float | None]]:
    zone = _dataset.zone(zone_key)
    goals = {"floor_area": zone.goal("floor_area"), "new_jobs": zone.goal("new_jobs", jobs_reading)}
    return {
        metric: {lever: solve_lever(zone, _scenario, _dataset.registry, goal, lever) for lever in levers_for(metric)}
        for metric, goal in goals.items()
    }
