"""Headline metric cards: each goal against its target, and what it would take."""

from __future__ import annotations

import streamlit as st

from planner.goals import GoalResult
from planner.i18n import million_m2, multiple, number, percent, signed, text, year
from planner.outlook import Outlook
from planner.risk import RiskResult
from planner.ui.sharing import plain


def _status(result: GoalResult, lang: str) -> str:
    if result.met:
        return text("met_in", lang, year=year(result.year_met, lang))
    if result.year_met is not None:
        return text("met_later", lang, year=year(result.year_met, lang))
    return text("not_met", lang, year=result.year)


def _delta(value: float, lang: str, decimals: int = 0) -> str:
    # st.metric colours a delta red only when it starts with an ASCII minus.
    return signed(value, lang, decimals).replace("−", "-", 1)


def _needed(result: GoalResult, lever: str, current: float, lang: str, decimals: int) -> tuple[str, str | None]:
    needed = result.required_value(lever)
    if needed is None:
        return text("unreachable", lang), None
    key = "card_growth_delta" if lever == "growth" else "card_density_delta"
    return number(needed, lang, decimals), text(key, lang, delta=_delta(current - needed, lang, decimals))


def _goal_card(result: GoalResult, label: str, value: str, delta: str, detail: str, lang: str) -> None:
    """A goal's card: its value against the target, whether and when it is met, the detail."""
    st.metric(label, value, delta=text("card_area_delta", lang, delta=delta), border=True)
    st.caption(_status(result, lang))
    st.caption(detail)


def render(outlook: Outlook, simulation: RiskResult, lang: str) -> None:
    area, jobs = outlook.area, outlook.jobs
    p = outlook.projection
    target_index = p.year_index(area.year)
    cards = st.columns(5)
    with cards[0]:
        _goal_card(
            area,
            text("card_area", lang, year=area.year),
            multiple(area.value, lang),
            _delta(area.value - area.target, lang, 2) + "×",
            text(
                "area_caption",
                lang,
                value=million_m2(float(p.floor_area_m2[target_index]), lang),
                target=million_m2(area.target * outlook.zone.floor_area_m2, lang),
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
            ),
            lang,
        )
    with cards[2]:
        st.metric(text("card_p_both", lang), percent(simulation.probability_both * 100, lang, 0), border=True)
        st.caption(
            text(
                "card_p_both_caption",
                lang,
                area=percent(simulation.area.probability * 100, lang, 0),
                jobs=percent(simulation.jobs.probability * 100, lang, 0),
                draws=number(simulation.draws, lang),
            )
        )
    with cards[3]:
        value, delta = _needed(area, "growth", outlook.scenario.number("growth"), lang, 2)
        st.metric(text("card_growth_needed", lang), value, delta=delta, border=True)
    with cards[4]:
        value, delta = _needed(jobs, "density", outlook.scenario.number("density"), lang, 1)
        st.metric(text("card_density_needed", lang), value, delta=delta, border=True)
    st.caption(
        text(
            "secondary",
            lang,
            year=area.year,
            companies=number(float(p.companies[target_index]), lang),
            occupied=million_m2(float(p.occupied_m2[target_index]), lang),
            investment=number(float(p.investment_rub[target_index]) / 1e9, lang),
        )
    )
