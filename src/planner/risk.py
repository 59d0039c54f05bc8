"""Monte Carlo over the uncertain parameters, goal probabilities, and one-at-a-time sensitivity.

Draws run through the same vectorised model as a single scenario (`forecast.project` with a
draws axis), each a function of one scrambled Sobol' point (`planner.points`). Large runs go
in fixed-size chunks, so memory stays bounded for a million draws, and the chunk size is
fixed so a seed gives the same numbers whatever the count. The points come in independent
scrambles, whose spread gives each probability its standard error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner import pipeline
from planner.forecast import model_years, project
from planner.goals import is_met
from planner.metrics import AREA, JOBS
from planner.metrics import metric as metric_named
from planner.points import Cursor, Method, standard_error, stream
from planner.points import starts as replicate_starts
from planner.scenario import Param, Registry, Scenario
from planner.zone import Goal, Zone

QUANTILES = (10, 25, 50, 75, 90)
# Chunks as large as stay fast: 8,192 top-down draws make one model call where its cost is
# mostly per call; the pipeline's draws carry a (draws × projects × years) array, which
# keeps to the processor's cache at 2,048 and slows beyond it (bench/run.py measured both).
# Powers of two, as the Sobol' points' balance asks of their first call.
CHUNK = 8_192
PIPELINE_CHUNK = 2_048
HISTOGRAM_BINS = 40


def draw_range(param: Param, value: float, uncertainty: float) -> tuple[float, float]:
    """Low and high ends of a parameter's triangular distribution, within its bounds."""
    half = uncertainty / 100 * (param.spread * abs(value) + param.spread_abs)
    return max(value - half, param.min), min(value + half, param.max)


def one_sided(registry: Registry, scenario: Scenario) -> tuple[tuple[str, int], ...]:
    """The uncertain parameters whose value sits at an end of its own range (a delay of 0 can
    only be late; a fill-up period of 0 can only be longer), each with the one direction its
    draws can go (+1 or −1). Their draws pull the median away from the central run, so a
    median below the plan is their doing, not a fault."""
    uncertainty = scenario.number("uncertainty")
    sided: dict[tuple[str, int], None] = {}  # a zone of zones: each part's, once
    for part in [part for _, part in scenario.parts] or [scenario]:
        for param in registry.uncertain:
            value = part.number(param.key)
            low, high = draw_range(param, value, uncertainty)
            if low != high and value in (low, high):
                sided[(param.key, +1 if low == value else -1)] = None
    return tuple(sided)


def dimensions(registry: Registry, scenario: Scenario) -> int:
    """How many uniform coordinates `sample` reads a draw: one per uncertain parameter, and
    for a zone of zones the common ones, the choice of common or own, and each part's own."""
    count = len(registry.uncertain)
    return count if not scenario.parts else count + 1 + count * len(scenario.parts)


def sample(registry: Registry, scenario: Scenario, points: Cursor) -> dict[str, np.ndarray]:
    """Triangular draws (low, value, high) for every uncertain parameter, by the inverse of
    the distribution function applied to the points' coordinates: a handful of array
    operations for all parameters at once, and with no uncertainty exactly the value.

    For a zone of zones each part draws around its own values, as `part/key`. In a share
    `correlation` of the draws (chosen per draw) every part takes the same uniforms, in the
    rest each its own: every part's draws keep their distribution exactly, and the parts'
    uniforms correlate by exactly `correlation` (0 independent, 1 lock-step)."""
    count = len(registry.uncertain)
    if not scenario.parts:
        return _triangular(registry, scenario, points.take(count))
    common = points.take(count)
    same = points.one() < scenario.number("correlation")
    draws = {}
    for name, part in scenario.parts:
        u = np.where(same, common, points.take(count))
        draws.update({f"{name}/{key}": values for key, values in _triangular(registry, part, u).items()})
    return draws


def _triangular(registry: Registry, scenario: Scenario, u: np.ndarray) -> dict[str, np.ndarray]:
    uncertainty = scenario.number("uncertainty")
    params = registry.uncertain
    mode = np.array([[scenario.number(p.key)] for p in params])  # (P, 1)
    low, high = np.array([draw_range(p, float(m[0]), uncertainty) for p, m in zip(params, mode, strict=True)]).T
    low, high = low[:, None], high[:, None]
    width = high - low
    below_mode = u * width < mode - low  # P(X ≤ mode) = (mode − low) / width
    values = np.where(
        below_mode,
        low + np.sqrt(u * width * (mode - low)),
        high - np.sqrt((1 - u) * width * (high - mode)),
    )
    # Rounding in the square roots may step a hair outside the range; the range is the contract.
    values = np.clip(values, low, high)
    return {p.key: values[i] for i, p in enumerate(params)}


@dataclass(frozen=True, eq=False)
class Distribution:
    """Percentiles per year and the target-year histogram of one outcome."""

    quantiles: np.ndarray  # (len(QUANTILES), Y)
    target: float
    probability: float  # share of draws meeting the goal in the target year
    error: float  # the probability's standard error, from the spread of the scrambles
    histogram: np.ndarray  # counts, (HISTOGRAM_BINS,)
    edges: np.ndarray  # (HISTOGRAM_BINS + 1,)

    def percentile(self, q: int) -> np.ndarray:
        return self.quantiles[QUANTILES.index(q)]


@dataclass(frozen=True, eq=False)
class RiskResult:
    years: np.ndarray
    draws: int
    seed: int
    area: Distribution  # area multiple
    jobs: Distribution  # new jobs
    probability_both: float
    error_both: float
    method: Method = "sobol"


def _quantiles(ordered: np.ndarray) -> np.ndarray:
    """QUANTILES of each row of `ordered` (sorted along its last axis), by numpy's default
    linear interpolation. One sort read at five places is several times faster than
    np.percentile, which partitions the data again for every quantile."""
    position = (ordered.shape[-1] - 1) * np.array(QUANTILES) / 100
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, ordered.shape[-1] - 1)
    weight = position - low
    below, above = ordered[:, low], ordered[:, high]
    step = above - below
    # numpy's own interpolation, from the nearer neighbour: exact when neighbours are equal,
    # so percentiles of equal draws equal the draws and stay ordered.
    return np.where(weight >= 0.5, above - step * (1 - weight), below + step * weight).T


def _histogram(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.histogram's bins and counts (the last bin closed), read off sorted values."""
    edges = np.linspace(ordered[0], ordered[-1], HISTOGRAM_BINS + 1)
    if ordered[0] == ordered[-1]:  # one value: np.histogram's unit-wide range around it
        edges = np.linspace(ordered[0] - 0.5, ordered[0] + 0.5, HISTOGRAM_BINS + 1)
    bounds = np.concatenate([[0], np.searchsorted(ordered, edges[1:-1], side="left"), [len(ordered)]])
    return np.diff(bounds), edges


def _distribution(by_year: np.ndarray, target: float, index: int, met: np.ndarray, starts: np.ndarray) -> Distribution:
    """Summarise (Y, n) outcomes; sorts `by_year` in place."""
    probability, error = _share(met, starts)
    by_year.sort(axis=1)
    counts, edges = _histogram(by_year[index])
    return Distribution(
        quantiles=_quantiles(by_year),
        target=target,
        probability=probability,
        error=error,
        histogram=counts,
        edges=edges,
    )


def _share(met: np.ndarray, starts: np.ndarray) -> tuple[float, float]:
    """The share of draws meeting a goal, and its standard error from the replicates, whose
    points start at `starts` (in order, the first at 0)."""
    sizes = np.diff(np.append(starts, len(met)))
    by_replicate = np.add.reduceat(met.astype(float), starts) / sizes
    return float(np.mean(met)), standard_error(by_replicate, sizes)


def simulate(
    zone: Zone,
    scenario: Scenario,
    registry: Registry,
    area_goal: Goal,
    jobs_goal: Goal,
    method: Method = "sobol",
) -> RiskResult:
    """Run `draws` scenarios with the scenario's seed and summarise both goals. `method`
    "random" draws independent uniforms instead of Sobol' points, for comparing the two."""
    n = int(scenario.number("draws"))
    seed = int(scenario.number("seed"))
    years = model_years(zone, scenario)
    own = pipeline.dimensions(zone, scenario)
    coordinates = dimensions(registry, scenario) + own
    # Only the two outcome series per draw are kept: 2 × years × n floats, 190 MB at a
    # million draws over 12 years, while the model's working arrays live one chunk at a
    # time. Years first, so sorting each year's draws reads contiguous memory.
    area = np.empty((len(years), n))
    jobs = np.empty((len(years), n))
    start = 0
    for points in stream(coordinates, n, seed, PIPELINE_CHUNK if own else CHUNK, method):
        size = points.size
        draws = sample(registry, scenario, points)
        draws.update(pipeline.sample(zone, scenario, points))  # none on the top-down basis
        points.finish()
        projection = project(zone, scenario, draws)
        area[:, start : start + size] = AREA.series(projection, area_goal).T
        jobs[:, start : start + size] = JOBS.series(projection, jobs_goal).T
        start += size
    begins = replicate_starts(n)
    index = int(np.searchsorted(years, area_goal.year))
    area_target, jobs_target = AREA.target(area_goal), JOBS.target(jobs_goal)
    area_met = np.asarray(is_met(area[index], area_target))
    jobs_met = np.asarray(is_met(jobs[index], jobs_target))
    both, error_both = _share(area_met & jobs_met, begins)
    return RiskResult(
        years=years,
        draws=n,
        seed=seed,
        area=_distribution(area, area_target, index, area_met, begins),
        jobs=_distribution(jobs, jobs_target, index, jobs_met, begins),
        probability_both=both,
        error_both=error_both,
        method=method,
    )


def simulate_goals(zone: Zone, scenario: Scenario, registry: Registry, jobs_reading: str | None = None) -> RiskResult:
    """The Monte Carlo against the zone's floor-area goal and its chosen jobs reading, as the
    app, the CLI and the brief run it."""
    return simulate(zone, scenario, registry, zone.goal("floor_area"), zone.goal("new_jobs", jobs_reading))


@dataclass(frozen=True)
class Swing:
    """One bar of the tornado: the outcome with the parameter at each end of its range."""

    key: str
    low_value: float  # the parameter at the low end
    high_value: float
    outcome_at_low: float
    outcome_at_high: float
    part: str = ""  # in a zone of zones, the zone whose parameter it is

    @property
    def width(self) -> float:
        return abs(self.outcome_at_high - self.outcome_at_low)


def sensitivity(zone: Zone, scenario: Scenario, registry: Registry, goal: Goal) -> tuple[Swing, ...]:
    """Each uncertain parameter at the low and the high end of its Monte Carlo range, the
    others at their values; widest swing first. One vectorised model call for all bars."""
    uncertainty = scenario.number("uncertainty")
    # (part, its scenario, the draw's key): each part's own parameters, one bar each.
    inputs = [
        (name, part, f"{name}/{p.key}" if name else p.key, p)
        for name, part in (scenario.parts or (("", scenario),))
        for p in registry.uncertain
    ]
    ends = [draw_range(p, part.number(p.key), uncertainty) for _, part, _, p in inputs]
    n = 2 * len(inputs)
    draws = {key: np.full(n, part.number(p.key)) for _, part, key, p in inputs}
    for i, ((_, _, key, _), (low, high)) in enumerate(zip(inputs, ends, strict=True)):
        draws[key][2 * i] = low
        draws[key][2 * i + 1] = high
    outcome = metric_named(goal.metric).series(project(zone, scenario, draws), goal)
    index = int(np.searchsorted(model_years(zone, scenario), goal.year))
    swings = [
        Swing(p.key, low, high, float(outcome[2 * i, index]), float(outcome[2 * i + 1, index]), name)
        for i, ((name, _, _, p), (low, high)) in enumerate(zip(inputs, ends, strict=True))
    ]
    return tuple(sorted(swings, key=lambda s: s.width, reverse=True))
