"""Cached entry points into the core, so a rerun recomputes only what changed.

The data set is loaded once per state of its files and shared by every session. Results
are kept in `cachetools` LRU caches with explicit keys instead of `st.cache_data`: a
Streamlit cache call hashes every argument and inspects the function's signature, ≈ 0.2 ms
a call, and a rerun makes several. These keys — the data's full digest, the zone, the jobs
reading and the scenario's values, a tuple that hashes in microseconds — cost next to
nothing, and name everything a result depends on, so no upload can be served another
session's results. Results are immutable (frozen dataclasses over arrays made read-only
here) and shared as they are, never copied.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

import numpy as np
from cachetools import LRUCache, cached

from planner.data import FILES, Dataset, data_dir, load
from planner.goals import Solver, solve_lever
from planner.hosting import within_limits
from planner.metrics import AREA, JOBS, METRICS
from planner.outlook import Outlook, assess, for_reading
from planner.risk import RiskResult, Swing, simulate_goals
from planner.risk import sensitivity as tornado
from planner.scenario import MONTE_CARLO, OUTCOMES, YEARS, Registry, Scenario
from planner.zone import DataError, Goal, Zone

Result = TypeVar("Result")

# What each result depends on, by the effects every parameter declares (tests/test_effects.py
# checks the declarations against the model): the Monte Carlo summarises floor area and new
# jobs over the years shown, so economics-only parameters stay out of its key; goal seek
# reads one year of the two outcomes, so the Monte Carlo's settings and the years shown
# stay out of its key too.
_RISK_INPUTS = frozenset({*OUTCOMES, MONTE_CARLO, YEARS})
_GOAL_SEEK_INPUTS = frozenset(OUTCOMES)


def _lru(size: int, key: Callable[..., Hashable]) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    # Sessions run in threads of one server: the lock keeps the cache's bookkeeping whole.
    return cached(LRUCache(maxsize=size), key=key, lock=threading.Lock())


@dataclass(frozen=True)
class Data:
    """The data the app serves, and why it is not the folder's current state, if it is not."""

    dataset: Dataset
    stale: DataError | None = None  # the folder's files are broken; the last good data serves


_LAST_GOOD: dict[str, Dataset] = {}
_LAST_GOOD_LOCK = threading.Lock()


def dataset() -> Data:
    """The folder's data as it is now: an edit is picked up by the next run of any session,
    and a broken edit keeps the last good data serving (with the reason) instead of an
    error page for everyone. Raises DataError only if the folder never loaded."""
    folder = str(data_dir())
    loaded = _load(folder, _stamp(folder))
    with _LAST_GOOD_LOCK:
        if isinstance(loaded, Dataset):
            _LAST_GOOD[folder] = loaded
            return Data(loaded)
        last = _LAST_GOOD.get(folder)
    if last is None:
        raise loaded
    return Data(last, stale=loaded)


def _stamp(folder: str) -> tuple[tuple[str, int, int, int], ...]:
    """Size, inode and modification time of each data file: a stat is microseconds, where
    reading and hashing every file on every rerun would not be."""
    stamp = []
    for name in FILES:
        try:
            info = os.stat(os.path.join(folder, name))
        except OSError:
            stamp.append((name, -1, -1, -1))
            continue
        stamp.append((name, info.st_size, info.st_ino, info.st_mtime_ns))
    return tuple(stamp)


@_lru(8, key=lambda folder, stamp: (folder, stamp))
def _load(folder: str, stamp: Hashable) -> Dataset | DataError:
    # The load is keyed by the files' stamp and the Dataset by the files' content (its
    # digest): the same files loaded twice give equal keys for every result cache. A
    # failure is kept too, so a broken file is not re-read on every rerun of every session.
    try:
        return load(folder)
    except DataError as error:
        return error


def _read_only(result: Result) -> Result:
    """Lock every array reachable through the result's dataclass fields: a result is shared
    by every session, so a stray write must fail rather than change someone else's numbers."""
    if isinstance(result, np.ndarray):
        result.flags.writeable = False
    elif isinstance(result, tuple):  # a zone of zones' runs, an outlook's vintages
        for item in result:
            _read_only(item)
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        for field in dataclasses.fields(result):
            _read_only(getattr(result, field.name))
    return result


def _values(registry: Registry, scenario: Scenario, inputs: frozenset[str], lever: str = "") -> tuple[Hashable, ...]:
    """The values of the parameters that move any of `inputs` (less `lever`); for zones
    together, each part's own too (the preset sets them, and the shared values alone would
    let two presets share a result)."""
    kept = {p.key for p in registry if p.moves_any(inputs)} - {lever}
    own = tuple((key, value) for key, value in scenario.values if key in kept)
    edited = (("pipeline", scenario.pipeline),) if scenario.pipeline is not None else ()  # an analyst's projects
    return own + edited + tuple((name, _values(registry, part, inputs, lever)) for name, part in scenario.parts)


@_lru(256, key=lambda dataset, zone_key, scenario, jobs_reading: (dataset.digest, zone_key, scenario, jobs_reading))
def outlook(dataset: Dataset, zone_key: str, scenario: Scenario, jobs_reading: str) -> Outlook:
    """The projection and both goals. Each reading of the jobs goal shares one projection:
    the headline shows every reading, and only the jobs goal differs between them."""
    assessed = _assessed(dataset, zone_key, scenario)
    return for_reading(dataset, assessed, jobs_reading, solve=_goal_seek(dataset, zone_key))


@_lru(256, key=lambda dataset, zone_key, scenario: (dataset.digest, zone_key, scenario))
def _assessed(dataset: Dataset, zone_key: str, scenario: Scenario) -> Outlook:
    """The scenario against the zone's own reading of the jobs goal."""
    result = assess(dataset, zone_key, scenario, solve=_goal_seek(dataset, zone_key))
    _read_only(result.projection)  # the rest is the shared zone and tuples of numbers
    _read_only(result.vintages)
    _read_only(result.projects)
    return result


def _goal_seek(dataset: Dataset, zone_key: str) -> Solver:
    """Goal seek cached per lever and goal. A lever's answer does not depend on the lever's
    own value, so the key leaves it out: dragging the growth slider does not redo the
    search for the growth each goal needs."""

    def solve(zone: Zone, scenario: Scenario, registry: Registry, goal: Goal, lever: str) -> float | None:
        return _solve(dataset, zone_key, scenario, goal, lever)

    return solve


def _solve_key(dataset: Dataset, zone_key: str, scenario: Scenario, goal: Goal, lever: str) -> Hashable:
    registry = dataset.registry
    values = _values(registry, scenario, _GOAL_SEEK_INPUTS, lever)
    return (dataset.digest, zone_key, goal.metric, goal.reading, lever, values)


@_lru(1024, key=_solve_key)
def _solve(dataset: Dataset, zone_key: str, scenario: Scenario, goal: Goal, lever: str) -> float | None:
    return solve_lever(dataset.zone(zone_key), scenario, dataset.registry, goal, lever)


def _risk_key(dataset: Dataset, zone_key: str, scenario: Scenario, jobs_reading: str) -> Hashable:
    values = _values(dataset.registry, scenario, _RISK_INPUTS)
    return (dataset.digest, zone_key, values, jobs_reading)


@_lru(64, key=_risk_key)
def risk(dataset: Dataset, zone_key: str, scenario: Scenario, jobs_reading: str) -> RiskResult:
    """Monte Carlo for the scenario; moving investment, footprint, the language, the tab or a
    pin reuses the draws. No way into the app runs more draws than the host allows."""
    zone = dataset.zone(zone_key)
    scenario = within_limits(dataset.registry, scenario)
    return _read_only(simulate_goals(zone, scenario, dataset.registry, jobs_reading))


def _sensitivity_key(dataset: Dataset, zone_key: str, scenario: Scenario) -> Hashable:
    # The tornado reads one year of the two outcomes over each parameter's Monte Carlo range.
    return (dataset.digest, zone_key, _values(dataset.registry, scenario, frozenset({*OUTCOMES, MONTE_CARLO})))


@_lru(64, key=_sensitivity_key)
def sensitivity(dataset: Dataset, zone_key: str, scenario: Scenario) -> Mapping[str, tuple[Swing, ...]]:
    """The tornado's bars for new jobs and for floor area (a read-only mapping: it is shared)."""
    zone = dataset.zone(zone_key)
    return MappingProxyType(
        {metric.key: tornado(zone, scenario, dataset.registry, zone.goal(metric.key)) for metric in METRICS}
    )


def requirements(
    dataset: Dataset, zone_key: str, scenario: Scenario, jobs_reading: str
) -> dict[str, dict[str, float | None]]:
    """For each goal, the value of each lever that alone would meet it."""
    zone = dataset.zone(zone_key)
    goals = {AREA: zone.goal(AREA.key), JOBS: zone.goal(JOBS.key, jobs_reading)}
    return {
        metric.key: {
            lever: _solve(dataset, zone_key, scenario, goal, lever)
            for lever in metric.levers(dataset.registry, shared=bool(zone.parts))
        }
        for metric, goal in goals.items()
    }
