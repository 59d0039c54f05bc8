"""Bottom-up: the sites' named projects held against the top-down goal.

Each project has a status, a floor area and a planned opening year (a site's plan known only
as a total opens in equal yearly parts). A project is built with the completion probability
of its status and opens late by a whole number of years drawn from a geometric distribution
with the mean m of its status — on time with probability 1 / (1 + m), never early; one not
open by the jump-off opens after it.
Jobs come from a project's own figure where stated (filling as the space fills), else from its
cluster's density on its occupied floor area, as in the top-down model.

Without draws the run is the expectation, in closed form: a part planned for year y of a
project of completion p and mean slippage m is open at the end of year Y with probability
p · (1 − q^(Y − y + 1)) for Y ≥ y, q = m / (1 + m) (p · [Y ≥ y] when m = 0). The Monte Carlo
draws the completion and the slippage of every project — the slippage as ⌊E / ln(1/q)⌋ of an
exponential shock E, which is exactly that geometric distribution; in a share
`slip_correlation` of the draws every project takes the same shock, in the rest each its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from planner.forecast import (
    Built,
    Projection,
    density_trend,
    model_years,
    occupancy_by_age,
    occupied_new_area,
    scaled_densities,
)
from planner.points import Cursor
from planner.scenario import Scenario
from planner.zone import STATUSES, Goal, Project, Zone

COMPLETE, SLIP = "pipeline_complete", "pipeline_slip"  # the Monte Carlo's draws, (D, projects)


@dataclass(frozen=True)
class Tranches:
    """The parts of the projects that open after the jump-off, as arrays (T parts)."""

    project: np.ndarray  # (T,) index into the projects
    year: np.ndarray  # (T,) planned opening year
    m2: np.ndarray  # (T,)
    jobs: np.ndarray  # (T,) stated jobs of the part, NaN where the cluster's density applies
    cluster: np.ndarray  # (T,) cluster index


def projects_of(zone: Zone, scenario: Scenario) -> tuple[Project, ...]:
    """The pipeline the scenario plans with: its own edited list, or the zone's."""
    return zone.projects if scenario.pipeline is None else scenario.pipeline


def tranches(zone: Zone, projects: tuple[Project, ...]) -> Tranches:
    """Every yearly part still to open: an operating project's parts up to the jump-off are in
    the observed stock already."""
    clusters = [cluster.key for cluster in zone.clusters]
    rows = []
    for index, project in enumerate(projects):
        parts = project.tranches()
        for year, m2 in parts:
            if project.status == "operating" and year <= zone.jump_off_year:
                continue
            jobs = project.jobs / len(parts) if project.jobs is not None else math.nan
            rows.append((index, year, m2, jobs, clusters.index(project.cluster)))
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), (), ()]
    return Tranches(
        project=np.array(columns[0], dtype=int),
        year=np.array(columns[1], dtype=float),
        m2=np.array(columns[2], dtype=float),
        jobs=np.array(columns[3], dtype=float),
        cluster=np.array(columns[4], dtype=int),
    )


def _status_values(scenario: Scenario, projects: tuple[Project, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(P,) completion probability and mean slippage in years of each project's status."""
    complete = {"operating": 1.0, **{s: scenario.number(f"complete_{s}") / 100 for s in STATUSES[1:]}}
    slip = {"operating": 0.0, **{s: scenario.number(f"slip_{s}") for s in STATUSES[1:]}}
    return np.array([complete[p.status] for p in projects]), np.array([slip[p.status] for p in projects])


def open_shares(
    zone: Zone, scenario: Scenario, parts: Tranches, years: np.ndarray, draws: Mapping[str, np.ndarray] | None
) -> np.ndarray:
    """(D, T, Y): the share of each part open at the end of each year, its expectation
    without pipeline draws (D = 1)."""
    projects = projects_of(zone, scenario)
    complete, slip = _status_values(scenario, projects)
    p, m = complete[parts.project], slip[parts.project]  # (T,)
    after = years[None, :] >= zone.jump_off_year + 1  # nothing still to open is open at the jump-off
    q = m / (1 + m)  # (T,) the chance of one more year late
    if draws is None or COMPLETE not in draws:
        late = np.maximum(years[None, :] - parts.year[:, None], 0.0)  # (T, Y)
        started = years[None, :] >= parts.year[:, None]
        return (p[:, None] * np.where(started & after, 1 - q[:, None] ** (late + 1), 0.0))[None]
    opening = opening_index(zone, scenario, parts, years, draws)  # (D, T)
    return (opening[:, :, None] <= np.arange(len(years))[None, None, :]).astype(float)


def opening_index(
    zone: Zone, scenario: Scenario, parts: Tranches, years: np.ndarray, draws: Mapping[str, np.ndarray]
) -> np.ndarray:
    """(D, T): the index into `years` of the year each drawn part opens, len(years) for one
    not built or not open by the last year — a few bytes per part and draw, where a share
    for every year would take that times the years."""
    complete, slip = _status_values(scenario, projects_of(zone, scenario))
    p, m = complete[parts.project], slip[parts.project]
    q = m / (1 + m)
    built = draws[COMPLETE][:, parts.project] < p[None, :]  # (D, T)
    rate = np.log(1 / np.where(q > 0, q, 1.0))  # (T,); q = 0: on time, whatever the shock
    slips = np.where(q > 0, np.floor(draws[SLIP][:, parts.project] / np.where(q > 0, rate, 1.0)), 0.0)
    opens = np.maximum(parts.year[None, :] + slips, zone.jump_off_year + 1)  # (D, T)
    index = np.clip(opens - years[0], 0, len(years)).astype(np.int64)
    return np.where(built, index, len(years))


def _accumulated(
    opening: np.ndarray, weight: np.ndarray, cluster: np.ndarray, n_clusters: int, n_years: int
) -> np.ndarray:
    """(D, C, Y): each part's `weight` (T,) counted from the year it opens on, by cluster."""
    n_draws = opening.shape[0]
    size = n_draws * n_clusters * (n_years + 1)
    draw = np.arange(n_draws)[:, None]
    cell = (draw * n_clusters + cluster[None, :]) * (n_years + 1) + opening  # (D, T)
    flat = np.bincount(cell.ravel(), weights=np.broadcast_to(weight, opening.shape).ravel(), minlength=size)
    return np.cumsum(flat.reshape(n_draws, n_clusters, n_years + 1), axis=-1)[..., :n_years]


def project_pipeline(
    zone: Zone, scenario: Scenario, draws: Mapping[str, np.ndarray] | None, top_down: Projection
) -> Built:
    """The run on the named projects ("pipeline"), or on the projects plus the top-down
    growth scaled to the part they leave unidentified ("pipeline_plus")."""
    years = model_years(zone, scenario)
    n_clusters = len(zone.clusters)
    parts = tranches(zone, projects_of(zone, scenario))
    stated = ~np.isnan(parts.jobs)
    weights = (parts.m2, np.where(stated, parts.jobs, 0.0), np.where(stated, 0.0, parts.m2))
    if draws is not None and COMPLETE in draws:  # drawn: each part counted from its opening year
        opening = opening_index(zone, scenario, parts, years, draws)
        added, stated_jobs, by_density = (
            _accumulated(opening, w, parts.cluster, n_clusters, len(years)) for w in weights
        )
    else:  # the expectation: each part's share open by each year, in closed form
        shares = open_shares(zone, scenario, parts, years, None)  # (1, T, Y)
        onehot = np.eye(n_clusters)[parts.cluster]  # (T, C)
        added, stated_jobs, by_density = (np.einsum("dty,t,tc->dcy", shares, w, onehot) for w in weights)

    values = scenario.as_dict()

    def param(key: str) -> np.ndarray:
        if draws is not None and key in draws:
            return np.asarray(draws[key], dtype=float)
        return np.array([float(values[key])])

    occupancy, ramp = param("occupancy") / 100, param("ramp")
    by_age = occupancy_by_age(len(years), occupancy, ramp)  # (D', Y)
    fill = by_age / occupancy[:, None]  # the share of a vintage's eventual tenants in place

    def occupied(opened: np.ndarray, curve: np.ndarray) -> np.ndarray:
        """(D, C, Y): the stock added by cluster, occupied along the fill-up `curve` (D', Y)."""
        d, c, y = max(opened.shape[0], curve.shape[0]), opened.shape[1], opened.shape[2]
        stock = np.broadcast_to(opened, (d, c, y)).reshape(d * c, y)
        kernel = np.repeat(np.broadcast_to(curve, (d, y)), c, axis=0)  # row d·C + c is draw d's curve
        return occupied_new_area(np.diff(stock, axis=1, prepend=0.0), kernel).reshape(d, c, y)

    n = len(next(iter(draws.values()))) if draws else 1  # goal seek's lever values are draws too
    added = np.broadcast_to(added, (n, *added.shape[1:]))
    by_density = np.broadcast_to(by_density, (n, *by_density.shape[1:]))
    stated_jobs = np.broadcast_to(stated_jobs, (n, *stated_jobs.shape[1:]))
    occupied_new = occupied(added, by_age)
    density = scaled_densities(zone, param("density"))  # (D', C)
    trend = density_trend(param("density_trend"), years)  # (D', Y)
    dense_jobs = occupied(by_density, by_age) * density[:, :, None] * trend[:, None, :] / 1000
    new_jobs = dense_jobs + occupied(stated_jobs, fill)

    if scenario["basis"] == "pipeline_plus":
        added, occupied_new, new_jobs = _plus_remainder(top_down, added, occupied_new, new_jobs, years, zone, parts)

    squeeze = draws is not None
    return Built(
        years=years,
        cluster_keys=tuple(c.key for c in zone.clusters),
        base_floor_area_m2=zone.floor_area_m2,
        base_jobs=zone.jobs,
        base_companies=zone.companies,
        base_occupancy=zone.occupancy,
        base_share=np.array([c.base_share for c in zone.clusters]),
        added_by_cluster=added if squeeze else added[0],
        occupied_new_by_cluster=occupied_new if squeeze else occupied_new[0],
        new_jobs_by_cluster=new_jobs if squeeze else new_jobs[0],
        company_m2=param("company_m2") if squeeze else float(values["company_m2"]),
        capex_rub_per_m2=param("capex") * 1000 if squeeze else float(values["capex"]) * 1000,
    )


def _plus_remainder(
    top_down: Projection,
    added: np.ndarray,
    occupied_new: np.ndarray,
    new_jobs: np.ndarray,
    years: np.ndarray,
    zone: Zone,
    parts: Tranches,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The projects plus the top-down growth for what they leave: the top-down run scaled by
    the share of its target-year increment that the projects do not name (as planned, so a
    draw's luck with the projects does not change how much is left to the growth rate)."""
    index = int(np.searchsorted(years, zone.target_year))
    # What the projects name by the target year, as planned: the rest is what no one has named.
    named = float(parts.m2[parts.year <= zone.target_year].sum())

    def batch(array: np.ndarray, ndim: int) -> np.ndarray:
        return array if array.ndim == ndim else array[None]

    top_added = batch(top_down.added_m2, 2)  # (D, Y)
    top_mix = batch(top_down.mix, 2)[:, :, None]  # (D, C, 1)
    top_jobs = batch(top_down.jobs_by_cluster, 3) - (top_down.base_jobs * top_down.base_share)[:, None]
    wanted = top_added[:, index]
    rest = np.where(wanted > 0, np.clip(1 - named / np.where(wanted > 0, wanted, 1.0), 0.0, 1.0), 0.0)
    share = rest[:, None, None]
    return (
        added + share * top_mix * top_added[:, None, :],
        occupied_new + share * top_mix * batch(top_down.occupied_new_m2, 2)[:, None, :],
        new_jobs + share * top_jobs,
    )


def dimensions(zone: Zone, scenario: Scenario) -> int:
    """How many uniform coordinates `sample` reads a draw: per zone with projects, one for
    the shared-slippage choice, one for the shared shock, and two per project."""
    if scenario["basis"] == "top_down":
        return 0
    if zone.parts:
        return sum(dimensions(part, scenario.part(part.key)) for part in zone.parts)
    return 2 + 2 * len(projects_of(zone, scenario))


def sample(zone: Zone, scenario: Scenario, points: Cursor) -> dict[str, np.ndarray]:
    """The pipeline's own draws, for each zone with projects: completion uniforms and
    slippage shocks (exponential, mean 1), the latter shared by every project in a share
    `slip_correlation` of the draws."""
    if scenario["basis"] == "top_down":
        return {}
    if zone.parts:
        draws = {}
        for part in zone.parts:
            own = sample(part, scenario.part(part.key), points)
            draws.update({f"{part.key}/{key}": values for key, values in own.items()})
        return draws
    count = len(projects_of(zone, scenario))
    same = points.one() < scenario.number("slip_correlation")
    common = points.exponential(1)[0]
    shocks = np.where(same[:, None], common[:, None], points.exponential(count).T)
    return {COMPLETE: np.ascontiguousarray(points.take(count).T), SLIP: shocks}


# --- coverage: how much of what the goal still needs is in named projects -------------------


@dataclass(frozen=True)
class SiteLine:
    zone: str  # the zone's key
    site: str
    by_target: float  # m² planned to open after the jump-off up to the target year
    later: float  # m² planned after the target year
    projects: int


@dataclass(frozen=True)
class Coverage:
    needed_m2: float  # the goal's level less the jump-off's floor area
    named_m2: float  # planned to open after the jump-off up to the target year, as planned
    expected_m2: float  # the same with each status's completion and slippage
    by_status: tuple[tuple[str, float], ...]  # named m² by status
    by_year: tuple[tuple[int, str, float], ...]  # (year, status, m²) planned, after the jump-off
    sites: tuple[SiteLine, ...]

    @property
    def share(self) -> float:
        """Named pipeline ÷ what the goal still needs (may pass 1)."""
        return self.named_m2 / self.needed_m2 if self.needed_m2 > 0 else math.inf

    @property
    def unidentified_m2(self) -> float:
        """What no named project covers yet."""
        return max(self.needed_m2 - self.named_m2, 0.0)


def coverage(zone: Zone, scenario: Scenario, goal: Goal) -> Coverage:
    """The named pipeline against the floor-area goal; zones together add up their zones'."""
    own = [(part, scenario.part(part.key)) for part in zone.parts] or [(zone, scenario)]
    needed = goal.level - sum(part.floor_area_m2 for part, _ in own)
    named = expected = 0.0
    status_m2 = dict.fromkeys(STATUSES, 0.0)
    by_year: dict[tuple[int, str], float] = {}
    sites: dict[tuple[str, str], tuple[list[float], set[str]]] = {}
    for part, part_scenario in own:
        projects = projects_of(part, part_scenario)
        parts = tranches(part, projects)
        years = np.arange(part.jump_off_year, max(part.target_year, int(parts.year.max(initial=0))) + 1)
        shares = open_shares(part, part_scenario, parts, years, None)[0]  # (T, Y)
        target = int(np.searchsorted(years, goal.year))
        expected += float(shares[:, target] @ parts.m2)
        for index, year, m2 in zip(parts.project, parts.year, parts.m2, strict=True):
            project = projects[int(index)]
            m2_by, keys = sites.setdefault((part.key, project.site), ([0.0, 0.0], set()))
            keys.add(project.key)
            if year <= goal.year:
                named += float(m2)
                status_m2[project.status] += float(m2)
                m2_by[0] += float(m2)
            else:
                m2_by[1] += float(m2)
            key = (int(year), project.status)
            by_year[key] = by_year.get(key, 0.0) + float(m2)
    return Coverage(
        needed_m2=needed,
        named_m2=named,
        expected_m2=expected,
        by_status=tuple(status_m2.items()),
        by_year=tuple((year, status, m2) for (year, status), m2 in sorted(by_year.items())),
        sites=tuple(
            SiteLine(zone_name, site, m2_by[0], m2_by[1], len(keys))
            for (zone_name, site), (m2_by, keys) in sites.items()
        ),
    )


def new_projects_needed(zone: Zone, scenario: Scenario, goal: Goal) -> tuple[float, int]:
    """Goal seek on the pipeline: the m² of projects not yet named that the floor-area goal
    still needs beyond the named pipeline's expectation, and the latest year they may be
    planned for so that, with an announced project's slippage, each more likely than not
    opens by the target year; the m² allow for an announced project's completion and for the
    chance of its opening by then."""
    found = coverage(zone, scenario, goal)
    gap = max(found.needed_m2 - found.expected_m2, 0.0)
    m = scenario.number("slip_announced")
    q = m / (1 + m)
    median = 0 if q <= 0.5 else math.ceil(math.log(0.5) / math.log(q)) - 1  # years late, at the median
    # Planned `median` years before the target, a project is open by then with 1 − q^(median + 1).
    rate = scenario.number("complete_announced") / 100 * (1 - q ** (median + 1))
    return (gap / rate if rate > 0 else math.inf), goal.year - median
