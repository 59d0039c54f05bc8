"""The floor-area and jobs model (docs/methodology.md gives the equations).

One code path serves the deterministic run and Monte Carlo: every parameter is an array
over a leading axis of draws (length 1 for a single scenario, and for a parameter that is
not drawn, which then broadcasts), and nothing loops in
Python over draws (the occupancy convolution steps once per year of age).

The run starts at the zone's jump-off, the latest year with observed floor area, jobs and
companies: observed years are never forecast, and every assumption acts from there on.

Array shapes: D draws, C clusters, Y years (jump-off year to horizon, inclusive).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from planner.scenario import MIX_PREFIX, Scenario
from planner.zone import Zone

Draws = Mapping[str, np.ndarray]


@dataclass(frozen=True, eq=False)
class Projection:
    """Model output. Arrays carry a leading draws axis only when draws were passed.

    Totals are stored; the split by cluster is derived on demand (new area, its
    commissioning and occupancy are the totals times the mix share), and so are companies
    and investment, so a Monte Carlo run of many draws never builds arrays it does not need.
    """

    years: np.ndarray  # (Y,) from the jump-off year
    cluster_keys: tuple[str, ...]
    base_floor_area_m2: float  # observed at the jump-off, like base_jobs and base_companies
    base_jobs: float
    base_occupancy: float
    base_share: np.ndarray  # (C,) share of the base stock by cluster
    mix: np.ndarray  # (..., C) share of new floor area by cluster, sums to 1
    density: np.ndarray  # (..., C) jobs per 1,000 m² occupied new space, before the trend
    trend: np.ndarray  # (..., Y) density trend factor
    added_m2: np.ndarray  # (..., Y) floor area built since the jump-off
    commissioned_m2: np.ndarray  # (..., Y) floor area opened during the year
    occupied_new_m2: np.ndarray  # (..., Y) occupied part of the new floor area
    base_companies: float
    company_m2: np.ndarray | float  # (D,) or a number: occupied new floor area per new company
    capex_rub_per_m2: np.ndarray | float  # (D,) or a number: investment per m² of new floor area

    @property
    def floor_area_m2(self) -> np.ndarray:
        return self.base_floor_area_m2 + self.added_m2

    @property
    def occupied_m2(self) -> np.ndarray:
        return self.base_floor_area_m2 * self.base_occupancy + self.occupied_new_m2

    @property
    def new_jobs(self) -> np.ndarray:
        """Jobs added since the jump-off."""
        mean_density = np.einsum("...c,...c->...", self.mix, self.density)[..., None]
        return self.occupied_new_m2 * mean_density * self.trend / 1000

    @property
    def jobs(self) -> np.ndarray:
        return self.base_jobs + self.new_jobs

    @property
    def companies(self) -> np.ndarray:
        return self.base_companies + self.occupied_new_m2 / np.asarray(self.company_m2)[..., None]

    @property
    def investment_rub(self) -> np.ndarray:
        """Cumulative since the jump-off."""
        return self.added_m2 * np.asarray(self.capex_rub_per_m2)[..., None]

    def _by_cluster(self, total: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return weights[..., :, None] * total[..., None, :]

    @property
    def floor_area_m2_by_cluster(self) -> np.ndarray:  # (..., C, Y)
        base = (self.base_floor_area_m2 * self.base_share)[:, None]
        return base + self._by_cluster(self.added_m2, self.mix)

    @property
    def commissioned_m2_by_cluster(self) -> np.ndarray:
        return self._by_cluster(self.commissioned_m2, self.mix)

    @property
    def occupied_m2_by_cluster(self) -> np.ndarray:
        base = (self.base_floor_area_m2 * self.base_occupancy * self.base_share)[:, None]
        return base + self._by_cluster(self.occupied_new_m2, self.mix)

    @property
    def jobs_by_cluster(self) -> np.ndarray:
        new = self._by_cluster(self.occupied_new_m2 * self.trend / 1000, self.mix * self.density)
        return (self.base_jobs * self.base_share)[:, None] + new

    def year_index(self, year: int) -> int:
        return int(np.searchsorted(self.years, year))


@dataclass(frozen=True, eq=False)
class Combined:
    """A zone of zones: the sum of its parts' own runs, each cut to the years they share
    (from the latest part's jump-off). It reads like a `Projection`; every figure is the
    sum of the parts' figures."""

    parts: tuple[Projection | Built, ...]

    def _sum(self, name: str) -> np.ndarray:
        total: np.ndarray = sum(getattr(part, name) for part in self.parts)
        return total

    @property
    def years(self) -> np.ndarray:
        return self.parts[0].years

    @property
    def cluster_keys(self) -> tuple[str, ...]:
        return self.parts[0].cluster_keys

    @property
    def floor_area_m2(self) -> np.ndarray:
        return self._sum("floor_area_m2")

    @property
    def base_floor_area_m2(self) -> float:
        return float(np.asarray(self.floor_area_m2)[..., 0].flat[0])

    @property
    def base_jobs(self) -> float:
        return float(np.asarray(self.jobs)[..., 0].flat[0])

    @property
    def added_m2(self) -> np.ndarray:
        area = self.floor_area_m2
        return area - area[..., :1]

    @property
    def commissioned_m2(self) -> np.ndarray:
        return self._sum("commissioned_m2")

    @property
    def occupied_m2(self) -> np.ndarray:
        return self._sum("occupied_m2")

    @property
    def jobs(self) -> np.ndarray:
        return self._sum("jobs")

    @property
    def companies(self) -> np.ndarray:
        return self._sum("companies")

    @property
    def new_jobs(self) -> np.ndarray:
        """Jobs added since each part's own jump-off."""
        return self._sum("new_jobs")

    @property
    def investment_rub(self) -> np.ndarray:
        return self._sum("investment_rub")

    @property
    def mix(self) -> np.ndarray:
        """The share of new floor area by cluster over the whole run."""
        by_cluster = self.floor_area_m2_by_cluster
        new = by_cluster[..., -1] - by_cluster[..., 0]
        total = new.sum(axis=-1, keepdims=True)
        return np.where(total > 0, new / np.where(total > 0, total, 1), 1 / new.shape[-1])

    @property
    def floor_area_m2_by_cluster(self) -> np.ndarray:
        return self._sum("floor_area_m2_by_cluster")

    @property
    def commissioned_m2_by_cluster(self) -> np.ndarray:
        return self._sum("commissioned_m2_by_cluster")

    @property
    def occupied_m2_by_cluster(self) -> np.ndarray:
        return self._sum("occupied_m2_by_cluster")

    @property
    def jobs_by_cluster(self) -> np.ndarray:
        return self._sum("jobs_by_cluster")

    def year_index(self, year: int) -> int:
        return int(np.searchsorted(self.years, year))


@dataclass(frozen=True, eq=False)
class Built:
    """A run assembled from what each cluster adds: the sites' named projects, alone or with
    the top-down growth for the part not yet identified (`planner.pipeline`). It reads like
    a `Projection`; arrays carry a leading draws axis only when draws were passed."""

    years: np.ndarray  # (Y,)
    cluster_keys: tuple[str, ...]
    base_floor_area_m2: float  # observed at the jump-off
    base_jobs: float
    base_companies: float
    base_occupancy: float
    base_share: np.ndarray  # (C,)
    added_by_cluster: np.ndarray  # (..., C, Y) floor area added since the jump-off
    occupied_new_by_cluster: np.ndarray  # (..., C, Y)
    new_jobs_by_cluster: np.ndarray  # (..., C, Y)
    company_m2: np.ndarray | float
    capex_rub_per_m2: np.ndarray | float

    @property
    def added_m2(self) -> np.ndarray:
        return self.added_by_cluster.sum(axis=-2)

    @property
    def floor_area_m2(self) -> np.ndarray:
        return self.base_floor_area_m2 + self.added_m2

    @property
    def commissioned_m2(self) -> np.ndarray:
        return _opened(self.added_m2)

    @property
    def occupied_m2(self) -> np.ndarray:
        return self.base_floor_area_m2 * self.base_occupancy + self.occupied_new_by_cluster.sum(axis=-2)

    @property
    def new_jobs(self) -> np.ndarray:
        return self.new_jobs_by_cluster.sum(axis=-2)

    @property
    def jobs(self) -> np.ndarray:
        return self.base_jobs + self.new_jobs

    @property
    def companies(self) -> np.ndarray:
        occupied_new = self.occupied_new_by_cluster.sum(axis=-2)
        return self.base_companies + occupied_new / np.asarray(self.company_m2)[..., None]

    @property
    def investment_rub(self) -> np.ndarray:
        return self.added_m2 * np.asarray(self.capex_rub_per_m2)[..., None]

    @property
    def mix(self) -> np.ndarray:
        new = self.added_by_cluster[..., -1]
        total = new.sum(axis=-1, keepdims=True)
        return np.where(total > 0, new / np.where(total > 0, total, 1), 1 / new.shape[-1])

    @property
    def floor_area_m2_by_cluster(self) -> np.ndarray:
        return (self.base_floor_area_m2 * self.base_share)[:, None] + self.added_by_cluster

    @property
    def commissioned_m2_by_cluster(self) -> np.ndarray:
        return _opened(self.added_by_cluster)

    @property
    def occupied_m2_by_cluster(self) -> np.ndarray:
        base = self.base_floor_area_m2 * self.base_occupancy * self.base_share
        return base[:, None] + self.occupied_new_by_cluster

    @property
    def jobs_by_cluster(self) -> np.ndarray:
        return (self.base_jobs * self.base_share)[:, None] + self.new_jobs_by_cluster

    def year_index(self, year: int) -> int:
        return int(np.searchsorted(self.years, year))


def _opened(added: np.ndarray) -> np.ndarray:
    """What opens each year from the stock added since the jump-off (nothing in its year)."""
    opened = np.zeros_like(added)
    opened[..., 1:] = np.diff(added, axis=-1)
    return opened


Run = Projection | Combined | Built  # what the model returns for a zone, or for a zone of zones


def from_year(run: Run, year: int) -> Projection | Built:
    """The run from `year` on (a part whose jump-off came earlier than its sibling's)."""
    if isinstance(run, Combined):  # the data refuses zones together as a part of zones together
        raise TypeError("zones together are not a part of another zone")
    start = run.year_index(year)
    if start == 0:
        return run
    if isinstance(run, Built):
        names: tuple[str, ...] = ("added_by_cluster", "occupied_new_by_cluster", "new_jobs_by_cluster")
    else:
        names = ("trend", "added_m2", "commissioned_m2", "occupied_new_m2")
    cut = {name: getattr(run, name)[..., start:] for name in names}
    return replace(run, years=run.years[start:], **cut)


def part_draws(draws: Draws | None, part: str) -> dict[str, np.ndarray] | None:
    """A part's draws: the shared keys as they are, and its own ones named `part/key`."""
    if draws is None:
        return None
    prefix = part + "/"
    own = {key: values for key, values in draws.items() if "/" not in key}
    own.update({key[len(prefix) :]: values for key, values in draws.items() if key.startswith(prefix)})
    return own


def profile_share(profile: str, tau: np.ndarray) -> np.ndarray:
    """Share of the base→target increment reached at τ ∈ [0, 1] for the non-compound profiles."""
    tau = np.clip(tau, 0.0, 1.0)
    if profile == "linear":
        return tau
    if profile == "front":
        return 1 - (1 - tau) ** 2
    if profile == "back":
        return tau**2
    if profile == "s":
        return 3 * tau**2 - 2 * tau**3
    raise ValueError(f"unknown profile {profile!r}")


def planned_floor_area(
    profile: str, t: np.ndarray, base_year: int, target_year: int, base_m2: float, growth: np.ndarray
) -> np.ndarray:
    """P(t): the plan's floor area at (fractional) year t, before delay and delivery.

    `growth` is the average annual rate to the target year, so every profile reaches the
    same A_b·(1+g)^(T−b) at T. After T building goes on at the plan's last pace, the m²
    it added in its last year (T−1 to T), every year: a plan's rate is a statement about
    reaching its goal, not a promise that the stock keeps compounding beyond it.
    """
    span = target_year - base_year
    # (1+g)^x as exp(x·ln(1+g)): one exp over the (D, Y) grid is several times cheaper than pow.
    log_rate = np.log1p(growth)
    at_target = base_m2 * np.exp(log_rate * span)
    if profile == "compound":
        before = base_m2 * np.exp(log_rate * np.clip(t - base_year, 0.0, span))
        year_before = base_m2 * np.exp(log_rate * (span - 1))
    else:
        increment = at_target - base_m2
        before = base_m2 + increment * profile_share(profile, (t - base_year) / span)
        year_before = base_m2 + increment * profile_share(profile, np.asarray((span - 1) / span))
    pace = at_target - year_before
    after = at_target + pace * np.maximum(t - target_year, 0.0)
    return np.where(t > target_year, after, before)


def occupancy_by_age(n_years: int, occupancy: np.ndarray, ramp: np.ndarray) -> np.ndarray:
    """(D, Y): share of a vintage occupied in its k-th year open (k = 0 the opening year),
    o · min(1, (k+1)/(R+1)): it fills evenly over R + 1 years up to the occupancy o."""
    age = np.arange(n_years)
    return occupancy[:, None] * np.minimum(1.0, (age + 1) / (ramp[:, None] + 1))


def occupied_new_area(commissioned: np.ndarray, by_age: np.ndarray) -> np.ndarray:
    """(D, Y): occupied new floor area, Σ_{v ≤ t} opened(v) · by_age(t − v), the openings
    convolved with the fill-up curve. One step per age (at most Y of them, not per draw),
    on years-first copies so each step reads contiguous memory: a (D, Y, Y) kernel per
    draw cost Monte Carlo three times as much."""
    opened, fill = commissioned.T.copy(), by_age.T.copy()  # (Y, D), either D may be 1
    occupied = np.zeros(np.broadcast_shapes(opened.shape, fill.shape))
    for age in range(len(opened)):
        occupied[age:] += fill[age] * opened[: len(opened) - age]
    return occupied.T


def scaled_densities(zone: Zone, density: np.ndarray) -> np.ndarray:
    """(D, C): the clusters' densities scaled so that the zone's default mix averages to the
    `density` parameter (D,): the clusters keep their relative weights."""
    cluster_density = np.array([c.density for c in zone.clusters])
    defaults = zone.default_values()
    default_mix = np.array([float(defaults[MIX_PREFIX + c.key]) for c in zone.clusters])
    reference = cluster_density @ (default_mix / default_mix.sum())
    scaled: np.ndarray = cluster_density[None, :] * (density[:, None] / reference)
    return scaled


def density_trend(rate: np.ndarray, years: np.ndarray) -> np.ndarray:
    """(D, Y): the density trend's factor, 1 at the jump-off, compounding by `rate` % a year."""
    factor: np.ndarray = np.exp(np.log1p(rate[:, None] / 100) * (years[None, :] - years[0]))
    return factor


def model_years(zone: Zone, scenario: Scenario) -> np.ndarray:
    """The years the model computes: the jump-off year to the horizon, and never short of
    the goals' year — every result reads the goal in a year it computed (a zone's goal may
    lie past the shortest horizon a link can ask for)."""
    return np.arange(zone.jump_off_year, max(int(scenario.number("horizon")), zone.target_year) + 1)


def capped(added: np.ndarray, per_year: np.ndarray, ceiling: np.ndarray) -> np.ndarray:
    """(D, Y): the floor area built since the jump-off when at most `per_year` m² open in a
    year and the stock's increment stays under `ceiling` (each (D, 1); inf = no cap). Work
    that does not fit a year moves to the next: C_t = min(C_{t−1} + cap, A_t, ceiling)."""
    if np.all(np.isinf(per_year)):
        return np.minimum(added, ceiling)
    built = np.empty_like(added)
    built[:, 0] = np.minimum(added[:, 0], ceiling[:, 0])
    for t in range(1, added.shape[1]):  # one step per year, vectorised over draws
        built[:, t] = np.minimum(np.minimum(built[:, t - 1] + per_year[:, 0], added[:, t]), ceiling[:, 0])
    return built


def project(zone: Zone, scenario: Scenario, draws: Draws | None = None) -> Run:
    """Run the model for one zone. `draws` maps parameter keys to arrays of shape (D,)
    that replace the scenario's value; without it the result has no draws axis. A zone of
    zones runs each part on its own data and scenario (`part/key` draws go to one part)."""
    if zone.parts:
        start = zone.jump_off_year
        return Combined(
            tuple(
                from_year(project(part, scenario.part(part.key), part_draws(draws, part.key)), start)
                for part in zone.parts
            )
        )
    top_down = project_zone(zone, scenario, draws)
    if scenario["basis"] == "top_down":
        return top_down
    from planner import pipeline  # the pipeline builds on this module's model, so it comes in here

    return pipeline.project_pipeline(zone, scenario, draws, top_down)


def project_zone(zone: Zone, scenario: Scenario, draws: Draws | None = None) -> Projection:
    """The model for a zone with data of its own."""
    n_draws = len(next(iter(draws.values()))) if draws else 1
    values = scenario.as_dict()  # looked up once: goal seek calls the model dozens of times

    def param(key: str) -> np.ndarray:
        # A value that is not drawn is one entry broadcast over the draws, so a Monte Carlo
        # run never builds draws-long copies of the fixed parameters and what follows them.
        if draws is not None and key in draws:
            return np.asarray(draws[key], dtype=float)
        return np.array([float(values[key])])

    base_year, target_year = zone.jump_off_year, zone.target_year
    years = model_years(zone, scenario)
    base_m2 = zone.floor_area_m2

    # Floor area: A(t) = A_b + r·(P(t − d) − A_b)
    shifted = years[None, :] - param("delay")[:, None]
    planned = planned_floor_area(
        str(values["profile"]), shifted, base_year, target_year, base_m2, param("growth")[:, None] / 100
    )
    added = (param("delivery")[:, None] / 100) * (planned - base_m2)  # (D, Y)

    # Capacity, when set (0 = no cap): m² opened a year, and floor area per hectare of land.
    build_cap = param("build_cap")[:, None] * 1000
    per_year = np.where(build_cap > 0, build_cap, np.inf)
    land_cap = param("land_cap")[:, None]
    ceiling = np.where((land_cap > 0) & (zone.land_ha is not None), land_cap * (zone.land_ha or 0) - base_m2, np.inf)
    added = capped(added, per_year, np.maximum(ceiling, 0.0))

    commissioned = np.zeros_like(added)  # the base year's stock is existing, not new
    np.subtract(added[:, 1:], added[:, :-1], out=commissioned[:, 1:])

    # Occupancy: existing stock at the base rate; each vintage ramps up to o over R years.
    by_age = occupancy_by_age(len(years), param("occupancy") / 100, param("ramp"))
    occupied_new = occupied_new_area(commissioned, by_age)

    # New area is split by the mix (normalised to 1; all zeros means an even split).
    mix = np.stack(np.broadcast_arrays(*(param(MIX_PREFIX + c.key) for c in zone.clusters)), axis=1)  # (D, C)
    totals = mix.sum(axis=1, keepdims=True)
    mix = np.where(totals > 0, mix / np.where(totals > 0, totals, 1), 1 / mix.shape[1])

    # Jobs: base jobs stay; new occupied space carries cluster densities scaled so that the
    # zone's default mix averages to the `density` parameter, times the density trend.
    density = scaled_densities(zone, param("density"))  # (D, C)
    trend = density_trend(param("density_trend"), years)  # (D, Y)

    def squeeze(a: np.ndarray) -> np.ndarray:
        # Every output gets the full draws axis (a view: nothing is copied), or none.
        return np.broadcast_to(a, (n_draws, *a.shape[1:])) if draws else a[0]

    return Projection(
        years=years,
        cluster_keys=tuple(c.key for c in zone.clusters),
        base_floor_area_m2=base_m2,
        base_jobs=zone.jobs,
        base_occupancy=zone.occupancy,
        base_share=np.array([c.base_share for c in zone.clusters]),
        mix=squeeze(mix),
        density=squeeze(density),
        trend=squeeze(trend),
        added_m2=squeeze(added),
        commissioned_m2=squeeze(commissioned),
        occupied_new_m2=squeeze(occupied_new),
        base_companies=zone.companies,
        company_m2=squeeze(param("company_m2")),
        capex_rub_per_m2=squeeze(param("capex") * 1000),
    )
