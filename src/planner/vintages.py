"""Forecast vintages and their backtest: the same assumptions run from each earlier jump-off.

Each year before the jump-off with a complete row of actuals was once where the forecast
started. Running today's scenario from there shows what that vintage would have said, and
every observation since is a check on it ("the 2024-based plan said 1.97 million m² for
2025; observed 2.00"). The goals keep their levels: a vintage moves only the start.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.forecast import Run, project
from planner.metrics import METRICS, Metric
from planner.scenario import Scenario
from planner.zone import Zone


@dataclass(frozen=True)
class Check:
    """One later observation against what a vintage forecast for that year."""

    year: int
    metric: str  # "floor_area" or "new_jobs"
    forecast: float  # the level: m², or people working
    observed: float

    @property
    def error(self) -> float:
        """Forecast less observation: positive when the vintage expected more."""
        return self.forecast - self.observed

    @property
    def relative(self) -> float:
        return self.error / self.observed if self.observed else float("nan")


@dataclass(frozen=True, eq=False)
class Vintage:
    year: int  # its jump-off
    projection: Run
    checks: tuple[Check, ...]

    def level(self, outcome: Metric, year: int) -> float | None:
        """The vintage's level of an outcome in a year it computed."""
        years = self.projection.years
        if year not in years:
            return None
        return float(np.asarray(outcome.level(self.projection))[int(np.searchsorted(years, year))])


def backtest(zone: Zone, scenario: Scenario) -> tuple[Vintage, ...]:
    """Every earlier jump-off's forecast under `scenario`, oldest first, each with the checks
    of the observations made after it, up to today's jump-off."""
    vintages = []
    for start in zone.vintages():
        run = project(zone.as_of(start), scenario)
        checks = []
        for actual in zone.actuals:
            if not start < actual.year <= zone.jump_off_year or actual.year not in run.years:
                continue
            index = int(np.searchsorted(run.years, actual.year))
            for outcome in METRICS:
                observed = getattr(actual, outcome.level_field)
                if observed is not None:
                    forecast = float(np.asarray(outcome.level(run))[index])
                    checks.append(Check(actual.year, outcome.key, forecast, float(observed)))
        vintages.append(Vintage(start, run, tuple(checks)))
    return tuple(vintages)
