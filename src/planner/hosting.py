"""What a host may set for everyone its server serves: today, the most Monte Carlo draws one
run may ask for. A hosted link is opened by many people in one process, and a run of
200,000 draws over a long horizon costs the others about a second of the server's time."""

from __future__ import annotations

import logging
import os

from planner.scenario import Param, Registry, Scenario

DRAWS = "draws"
MAX_DRAWS_VARIABLE = "PLANNER_MAX_DRAWS"
# 50,000 draws keep the heaviest link (horizon 2035, uncertainty 100 %) near a quarter of a
# second (bench/run.py measures it) and a goal probability within about half a point.
DEFAULT_MAX_DRAWS = 50_000

log = logging.getLogger(__name__)


def max_draws(lowest: int, highest: int) -> int:
    """The host's cap on draws: $PLANNER_MAX_DRAWS if it is a whole number, kept within the
    parameter's own range `lowest`–`highest`; otherwise the default."""
    raw = os.environ.get(MAX_DRAWS_VARIABLE, "").strip()
    if not raw:
        return min(max(DEFAULT_MAX_DRAWS, lowest), highest)
    if not raw.isascii() or not raw.isdigit():
        log.warning("%s=%r is not a whole number; using %d", MAX_DRAWS_VARIABLE, raw[:40], DEFAULT_MAX_DRAWS)
        return min(max(DEFAULT_MAX_DRAWS, lowest), highest)
    return min(max(int(raw), lowest), highest)


def upper_bound(param: Param) -> float:
    """The largest value this server lets `param` take: its own maximum, or the host's cap."""
    if param.key != DRAWS:
        return param.max
    return float(max_draws(int(param.min), int(param.max)))


def within_limits(registry: Registry, scenario: Scenario) -> Scenario:
    """The scenario with every value the host caps brought down to its cap."""
    cap = upper_bound(registry[DRAWS])
    if scenario.number(DRAWS) <= cap:
        return scenario
    return scenario.with_values(registry, {DRAWS: cap})
