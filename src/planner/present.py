"""How a parameter, its value, an option and a goal's status read — one implementation
for the app, the brief and the Excel summary, so the same number never reads two ways.

Plain text only: escaping for Streamlit's Markdown (uploaded cluster names reach parameter
labels) and colours or icons belong to whoever draws the text. No Streamlit.
"""

from __future__ import annotations

import math
from typing import Literal, Protocol

from planner.i18n import number, text, year
from planner.scenario import Param, Value
from planner.zone import Zone

Attainment = Literal["met", "later", "lost", "missed"]

# A year and a seed are read digit by digit, like a name: "2030", "123456". Every other
# whole number (the number of draws) is a quantity and is grouped like any count.
UNGROUPED = frozenset({"horizon", "seed"})


class Attainable(Protocol):
    """What a goal's status is read from: a GoalResult or a summary of one."""

    @property
    def year(self) -> int: ...

    @property
    def met(self) -> bool: ...

    @property
    def year_met(self) -> float | None: ...


def headline_levers(zone: Zone) -> tuple[str, str]:
    """The lever shown beside the area goal and the one beside the jobs goal: growth and
    density for a zone; for zones together, which have no one growth rate or density, the
    share of both plans delivered."""
    return ("delivery", "delivery") if zone.parts else ("growth", "density")


def param_label(param: Param, lang: str) -> str:
    """The parameter's name with its unit — "Floor area growth, % a year" — or its name alone
    when it has no unit (draws, seed)."""
    unit = param.unit(lang)
    return f"{param.label(lang)}, {unit}" if unit else param.label(lang)


def option_label(param: Param, option: str, lang: str) -> str:
    """A choice's option as a reader sees it: `profile` = "s" reads "S-curve"."""
    return text(f"{param.key}_{option}", lang)


def param_value(param: Param, value: Value, lang: str) -> str:
    """A parameter value formatted for the language, without its unit."""
    if param.is_choice:
        return option_label(param, str(value), lang)
    if param.whole:
        whole = round(float(value))
        return str(whole) if param.key in UNGROUPED else number(whole, lang)
    return number(float(value), lang, param.decimals)


def with_unit(param: Param, shown: str, lang: str) -> str:
    """A formatted value of `param` followed by its unit, if it has one."""
    return f"{shown} {param.unit(lang)}".strip()


def value_with_unit(param: Param, value: Value, lang: str) -> str:
    """A parameter value with its unit, where no column or label carries the unit."""
    return with_unit(param, param_value(param, value, lang), lang)


def needed_decimals(param: Param) -> int:
    """Decimals for a lever's value found by goal seek: at least one, since a solved value
    rarely lands on the lever's step."""
    return max(param.decimals, 1)


def meeting_value(param: Param, value: float) -> float:
    """A lever's goal-seek answer at the decimals it is shown with, rounded in the direction
    that still meets the goal (up for a lever that helps as it grows, down for a delay), so
    the figure an analyst types back meets the goal too; kept within the lever's range."""
    scale = 10 ** needed_decimals(param)
    # round() first drops float noise below the shown decimals (115.50000000001 stays 115.5).
    scaled = round(value * scale, 6)
    shown = (math.ceil(scaled) if param.lever >= 0 else math.floor(scaled)) / scale
    return min(max(shown, param.min), param.max)


def needed_value(param: Param, value: float, lang: str) -> str:
    """The value of a lever that alone meets a goal, without its unit, as `meeting_value`."""
    return number(meeting_value(param, value), lang, needed_decimals(param))


def attainment(result: Attainable) -> Attainment:
    """Met in the goal's year, reached only after it, reached before it and lost again by
    then (a delay or a slowing build can undo an early lead), or missed."""
    if result.met:
        return "met"
    if result.year_met is not None and result.year_met > result.year:
        return "later"
    if result.year_met is not None:
        return "lost"
    return "missed"


def goal_status(result: Attainable, lang: str, last_year: int | None = None) -> str:
    """The goal's status as one sentence: reached in which year, reached only later, or not
    reached by `last_year` (the last year modelled; the goal's year if not given)."""
    kind = attainment(result)
    if kind == "met":
        return text("met_in", lang, year=year(result.year_met, lang))
    if kind == "later":
        return text("met_later", lang, year=year(result.year_met, lang))
    if kind == "lost":
        return text("met_then_lost", lang, reached=year(result.year_met, lang), year=result.year)
    # A goal never reached is missed through the last year modelled; one reached and then
    # lost again is missed in its own year.
    never = result.year_met is None and last_year is not None
    return text("not_met", lang, year=last_year if never else result.year)
