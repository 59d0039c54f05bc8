"""Headline metric cards: each goal against its target, and what it would take."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from planner import pipeline
from planner.goals import GoalResult
from planner.i18n import count, million_m2, multiple, number, percent, probability_error, signed, text
from planner.outlook import Outlook
from planner.present import Attainment, goal_status, headline_levers, meeting_value, needed_decimals, needed_value
from planner.summary import GoalSummary, Odds, Requirement, Summary
from planner.ui.sharing import plain

# The status sentence in the colour and with the icon of how the goal stands.
MARKS: dict[Attainment, str] = {
    "met": ":green[:material/check_circle: {}]",
    "later": ":orange[:material/schedule: {}]",
    "lost": ":orange[:material/trending_down: {}]",
    "missed": ":red[:material/cancel: {}]",
}


def status_caption(goal: GoalSummary, lang: str) -> str:
    return MARKS[goal.attainment].format(goal.status(lang))


@dataclass(frozen=True)
class Delta:
    """A card's delta as the text writes it (with "−"), and its direction: st.metric reads
    the direction from an ASCII minus, so it is given the colour and arrow explicitly."""

    words: str
    negative: bool

    def shown(self, template: str, lang: str) -> Delta:
        return Delta(text(template, lang, delta=self.words), self.negative)


def _delta(value: float, lang: str, decimals: int = 0, unit: str = "") -> Delta:
    return Delta(signed(value, lang, decimals) + unit, round(value, decimals) < 0)


def _metric(label: str, value: str, delta: Delta | None) -> None:
    if delta is None:
        st.metric(label, value, border=True)
        return
    st.metric(
        label,
        value,
        delta=delta.words,
        delta_color="red" if delta.negative else "green",
        delta_arrow="down" if delta.negative else "up",
        border=True,
    )


def _needed(requirement: Requirement, lang: str) -> tuple[str, Delta | None]:
    if requirement.needed is None:
        return text("unreachable", lang), None
    key = "card_growth_delta" if requirement.param.key == "growth" else "card_density_delta"
    shortfall = float(requirement.current) - meeting_value(requirement.param, requirement.needed)
    delta = _delta(shortfall, lang, needed_decimals(requirement.param))
    return needed_value(requirement.param, requirement.needed, lang), delta.shown(key, lang)


def _goal_card(goal: GoalSummary, label: str, value: str, delta: Delta, detail: str, lang: str) -> None:
    """A goal's card: its value against the target, whether and when it is met, the detail."""
    _metric(label, value, delta.shown("card_area_delta", lang))
    st.caption(status_caption(goal, lang))
    st.caption(detail)


def _chances(odds: Odds, lang: str) -> None:
    st.metric(text("card_p_both", lang), percent(odds.both * 100, lang, 0), border=True)
    st.caption(
        text(
            "card_p_both_caption",
            lang,
            error=probability_error(odds.both_error, lang),
            area=percent(odds.area * 100, lang, 0),
            jobs=percent(odds.jobs * 100, lang, 0),
            draws=count(odds.draws, lang, "draws"),
        )
    )


def _lever_card(goal: GoalSummary, lever: str, label: str, lang: str) -> None:
    requirement = goal.requirement(lever)
    if requirement is None:  # the lever does not move this goal
        return
    value, delta = _needed(requirement, lang)
    _metric(text(label, lang), value, delta)


def _other_readings(outlook: Outlook, others: tuple[GoalResult, ...], lang: str) -> None:
    """The jobs goal's other public readings beside the chosen one, each with its own words,
    its target in the same unit (new jobs over the base year) and its verdict: the headline
    rests on one reading, and the analyst sees what the other would say."""
    for result in others:
        st.caption(
            text(
                "other_reading",
                lang,
                goal=plain(outlook.zone.goal(result.metric, result.reading).label(lang)),
                target=number(result.target, lang),
                value=number(result.value, lang),
                status=goal_status(result, lang, int(outlook.projection.years[-1])),
            )
        )


def render(outlook: Outlook, summary: Summary, lang: str, others: tuple[GoalResult, ...] = ()) -> None:
    area, jobs = summary.area, summary.jobs
    p = outlook.projection
    target_index = p.year_index(area.year)
    cards = st.columns(5)
    with cards[0]:
        _goal_card(
            area,
            text("card_area", lang, year=area.year),
            multiple(area.value, lang),
            _delta(area.value - area.target, lang, 2, "×"),
            text(
                "area_caption",
                lang,
                value=million_m2(float(p.floor_area_m2[target_index]), lang),
                target=million_m2(area.goal.level, lang),
            ),
            lang,
        )
    with cards[1]:
        _goal_card(
            jobs,
            text("card_jobs", lang, year=jobs.year),
            number(jobs.value, lang),
            _delta(jobs.value - jobs.target, lang),
            text(
                "goal_caption",
                lang,
                goal=plain(outlook.zone.goal("new_jobs", jobs.reading).label(lang)),
                target=number(jobs.target, lang),
                base=jobs.goal.base_year,
            ),
            lang,
        )
        _other_readings(outlook, others, lang)
    with cards[2]:
        if summary.odds is not None:
            _chances(summary.odds, lang)
    # Zones together have no one growth rate or density: what they need is the share of both plans.
    area_lever, jobs_lever = headline_levers(outlook.zone)
    with cards[3]:
        if outlook.scenario["basis"] == "pipeline":  # no growth rate moves the projects: name what is missing
            needed, latest = pipeline.new_projects_needed(
                outlook.zone, outlook.scenario, outlook.zone.goal("floor_area")
            )
            st.metric(
                text("card_new_projects", lang),
                number(needed / 1e6, lang, 2),  # the title gives the unit: a card is narrow
                delta=text("card_new_projects_by", lang, year=latest),
                delta_color="off",
                border=True,
            )
        else:
            _lever_card(area, area_lever, f"card_{area_lever}_needed_area", lang)
    with cards[4]:
        _lever_card(jobs, jobs_lever, f"card_{jobs_lever}_needed_jobs", lang)
    st.caption(
        text(
            "secondary",
            lang,
            start=outlook.zone.jump_off_year,
            year=area.year,
            companies=count(round(float(p.companies[target_index])), lang, "companies"),
            occupied=million_m2(float(p.occupied_m2[target_index]), lang),
            investment=number(float(p.investment_rub[target_index]) / 1e9, lang),
        )
    )
