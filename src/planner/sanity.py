"""Warnings when a scenario leaves physical sense. Each rule's threshold and its reasoning
live in data/warnings.csv; this module only measures the scenario against them."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from planner.data import Rule
from planner.forecast import Combined, Run
from planner.scenario import Scenario
from planner.zone import Zone


@dataclass(frozen=True)
class Finding:
    """One broken rule: the scenario's value, the limit, and the year it is first broken."""

    rule: Rule
    value: float
    limit: float
    year: int | None = None
    zone: Zone | None = None  # in a zone of zones, the part that breaks it


def record_build_m2(zone: Zone) -> float | None:
    """The zone's largest observed yearly gain in floor area (between consecutive actuals,
    spread evenly over any gap), or None with fewer than two observations."""
    observed = [(a.year, a.floor_area_m2) for a in zone.actuals if a.floor_area_m2 is not None]
    gains = [(b - a) / (yb - ya) for (ya, a), (yb, b) in itertools.pairwise(observed) if yb > ya]
    return max(gains) if gains else None


def _first_break(rule: Rule, projection: Run, values: np.ndarray, limit: float) -> Finding | None:
    """The first year `values` pass `limit`, with that year's own figure: a warning that
    names a year quotes the figure of that year, not the worst one later."""
    broken = values > limit
    if not broken.any():
        return None
    first = int(np.argmax(broken))
    return Finding(rule, float(values[first]), limit, int(projection.years[first]))


def _floor_area_per_ha(rule: Rule, zone: Zone, scenario: Scenario, projection: Run) -> Finding | None:
    if not zone.land_ha:
        return None
    return _first_break(rule, projection, projection.floor_area_m2 / zone.land_ha, rule.threshold)


def _density_high(rule: Rule, zone: Zone, scenario: Scenario, projection: Run) -> Finding | None:
    density = scenario.number("density")
    return Finding(rule, density, rule.threshold) if density > rule.threshold else None


def _density_low(rule: Rule, zone: Zone, scenario: Scenario, projection: Run) -> Finding | None:
    density = scenario.number("density")
    return Finding(rule, density, rule.threshold) if density < rule.threshold else None


def _build_pace(rule: Rule, zone: Zone, scenario: Scenario, projection: Run) -> Finding | None:
    record = record_build_m2(zone)
    if record is None or record <= 0:
        return None
    return _first_break(rule, projection, projection.commissioned_m2, rule.threshold * record)


CHECKS: dict[str, Callable[[Rule, Zone, Scenario, Run], Finding | None]] = {
    "floor_area_per_ha": _floor_area_per_ha,
    "density_high": _density_high,
    "density_low": _density_low,
    "build_pace": _build_pace,
}


def check(rules: tuple[Rule, ...], zone: Zone, scenario: Scenario, projection: Run) -> tuple[Finding, ...]:
    """Every rule the scenario breaks, in the order of data/warnings.csv; for a zone of
    zones, each part against its own land, record and density, named."""
    if isinstance(projection, Combined):
        return tuple(
            replace(finding, zone=part)
            for part, run in zip(zone.parts, projection.parts, strict=True)
            for finding in check(rules, part, scenario.part(part.key), run)
        )
    findings = (CHECKS[rule.key](rule, zone, scenario, projection) for rule in rules)
    return tuple(finding for finding in findings if finding is not None)
