"""A scenario's summary, computed once from results the caller already has: each goal
against its target, the odds, and what differs from the preset.

The headline, the brief and the Excel summary sheet all draw from it, so they cannot
disagree. It holds numbers, not text (each reader formats them in its own language through
`planner.present`), and it never runs the model.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.data import Dataset
from planner.goals import GoalResult, OfGoal
from planner.outlook import Outlook
from planner.present import Attainment, attainment, goal_status
from planner.risk import RiskResult
from planner.scenario import Param, Scenario, Value
from planner.zone import Goal


@dataclass(frozen=True)
class Requirement:
    """A lever, where it stands, and the value that alone would meet the goal."""

    param: Param
    current: Value
    needed: float | None  # None: even the lever's most favourable bound misses the goal


@dataclass(frozen=True)
class GoalSummary(OfGoal):
    key: str  # "area_multiple" or "new_jobs", as in exports
    goal: Goal
    target: float
    value: float
    met: bool
    year_met: float | None
    last_year: int  # the last year modelled: a goal never reached is missed through it
    requirements: tuple[Requirement, ...]

    @property
    def gap(self) -> float:
        """Positive when short of the goal."""
        return self.target - self.value

    @property
    def attainment(self) -> Attainment:
        return attainment(self)

    def status(self, lang: str) -> str:
        return goal_status(self, lang, self.last_year)

    def requirement(self, lever: str) -> Requirement | None:
        return next((r for r in self.requirements if r.param.key == lever), None)


@dataclass(frozen=True)
class Odds:
    """The Monte Carlo's answer: the share of draws meeting each goal and both."""

    area: float
    jobs: float
    both: float
    draws: int
    seed: int
    # Each probability's standard error, from the spread of the Monte Carlo's scrambles.
    area_error: float = float("nan")
    jobs_error: float = float("nan")
    both_error: float = float("nan")


@dataclass(frozen=True)
class Change:
    """A parameter the scenario sets differently from its preset."""

    param: Param
    scenario: Value
    preset: Value


@dataclass(frozen=True)
class Summary:
    area: GoalSummary
    jobs: GoalSummary
    odds: Odds | None  # None when no Monte Carlo was run (a workbook built from an outlook alone)
    changes: tuple[Change, ...]  # in registry order


def _goal(dataset: Dataset, outlook: Outlook, result: GoalResult) -> GoalSummary:
    return GoalSummary(
        key=result.key,
        goal=result.goal,
        target=result.target,
        value=result.value,
        met=result.met,
        year_met=result.year_met,
        last_year=int(outlook.projection.years[-1]),
        requirements=tuple(
            Requirement(dataset.registry[lever], outlook.scenario[lever], needed) for lever, needed in result.required
        ),
    )


def _odds(simulation: RiskResult) -> Odds:
    return Odds(
        area=simulation.area.probability,
        jobs=simulation.jobs.probability,
        both=simulation.probability_both,
        draws=simulation.draws,
        seed=simulation.seed,
        area_error=simulation.area.error,
        jobs_error=simulation.jobs.error,
        both_error=simulation.error_both,
    )


def summarise(dataset: Dataset, outlook: Outlook, simulation: RiskResult | None, preset: Scenario) -> Summary:
    """The summary of `outlook` (and of its Monte Carlo, if given) against the `preset` scenario."""
    changed = outlook.scenario.differences(preset)
    return Summary(
        area=_goal(dataset, outlook, outlook.area),
        jobs=_goal(dataset, outlook, outlook.jobs),
        odds=None if simulation is None else _odds(simulation),
        changes=tuple(Change(dataset.registry[key], value, preset[key]) for key, value in changed.items()),
    )
