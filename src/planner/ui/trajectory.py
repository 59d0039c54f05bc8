"""Trajectory tab: area and jobs over the years against the goal, the preset and actuals."""

from __future__ import annotations

import pandas as pd
import pyarrow.compute as pc
import streamlit as st

from planner.chartdata import chart_points, level_bands, series_labels
from planner.charts import fill, trajectory_chart
from planner.i18n import number, percent, text
from planner.metrics import AREA, JOBS, METRICS, Metric
from planner.outlook import Outlook
from planner.risk import RiskResult
from planner.ui import sharing, state
from planner.vintages import Check, Vintage
from planner.zone import Actual


def _track_check(outlook: Outlook, actual: Actual, lang: str) -> str | None:
    """A later, partial actual (after the jump-off) against the model, as one sentence."""
    p = outlook.projection
    parts = []
    for name, metric in (("track_area", AREA), ("track_jobs", JOBS)):
        observed = getattr(actual, metric.level_field)
        if observed is None:
            continue
        scale, decimals = metric.level_scale, metric.decimals
        model = float(metric.level(p)[p.year_index(actual.year)])
        parts.append(
            text(
                "track_part",
                lang,
                name=text(name, lang),
                actual=number(observed / scale, lang, decimals),
                model=number(model / scale, lang, decimals),
                diff=percent((model / observed - 1) * 100, lang),
            )
        )
    return text("track_check", lang, year=actual.year, parts="; ".join(parts)) if parts else None


def _vintages(outlook: Outlook, lang: str) -> None:
    """Each earlier jump-off's forecast: its target-year figures and every check since."""
    if not outlook.vintages:
        return
    # Built only while open: a rerun after every slider move would otherwise rebuild a table
    # most moves leave unread, and send it to the browser.
    box = st.expander(text("vintages_title", lang), key=state.VINTAGES, on_change="rerun")
    if not box.open:
        return
    with box:
        _vintage_table(outlook, lang)


def _vintage_table(outlook: Outlook, lang: str) -> None:
    year = outlook.zone.target_year
    names = {AREA.key: (AREA, "track_area"), JOBS.key: (JOBS, "track_jobs")}

    def check(c: Check) -> str:
        outcome, name = names[c.metric]
        return text(
            "vintage_check",
            lang,
            year=c.year,
            name=text(name, lang),
            forecast=number(c.forecast / outcome.level_scale, lang, outcome.decimals),
            observed=number(c.observed / outcome.level_scale, lang, outcome.decimals),
            diff=percent(c.relative * 100, lang),
        )

    def level(vintage: Vintage, outcome: Metric) -> str:
        value = vintage.level(outcome, year)
        return "" if value is None else number(value / outcome.level_scale, lang, outcome.decimals)

    st.caption(text("vintages_caption", lang))
    sharing.table(
        pd.DataFrame(
            {
                text("col_vintage", lang): [str(v.year) for v in outlook.vintages],
                text("col_vintage_area", lang, year=year): [level(v, AREA) for v in outlook.vintages],
                text("col_vintage_jobs", lang, year=year): [level(v, JOBS) for v in outlook.vintages],
                text("col_vintage_check", lang): ["; ".join(check(c) for c in v.checks) for v in outlook.vintages],
            }
        ),
        hide_index=True,
    )


def _history(outlook: Outlook, lang: str) -> None:
    replaced = [goal for metric in METRICS for goal in outlook.zone.goal_history(metric.key)]
    if replaced:
        items = "; ".join(
            text("history_item", lang, words=sharing.plain(goal.label(lang)), year=goal.superseded) for goal in replaced
        )
        st.caption(text("history_caption", lang, goals=items))


def render(outlook: Outlook, baseline: Outlook, simulation: RiskResult, lang: str, preset_label: str) -> None:
    labels = series_labels(lang, preset_label)
    points = {metric.key: chart_points(outlook, baseline, lang, labels, metric) for metric in METRICS}
    # One span of years for both charts, from the earliest point either shows.
    first = min(int(pc.min(table["year"]).as_py()) for table in points.values())
    years = (first, int(outlook.projection.years[-1]))
    for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
        shape = trajectory_chart(labels, text(metric.title, lang), lang == "ru", bands=True, years=years)
        bands = level_bands(simulation, metric, metric.of(outlook).goal)
        column.vega_lite_chart(fill(shape, bands=bands, points=points[metric.key]), width="stretch")
    st.caption(text("band_legend", lang))
    later = [a for a in outlook.zone.actuals if outlook.zone.jump_off_year < a.year <= outlook.projection.years[-1]]
    if later:
        sentence = _track_check(outlook, later[-1], lang)
        if sentence:
            st.caption(sentence)
    _history(outlook, lang)
    _vintages(outlook, lang)
