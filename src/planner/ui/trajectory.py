"""Trajectory tab: area and jobs over the years against the goal, the preset and actuals."""

from __future__ import annotations

import streamlit as st

from planner.chartdata import AREA_SCALE, JOBS_SCALE, band_table, chart_points, series_labels
from planner.charts import fill, trajectory_chart
from planner.data import Actual
from planner.i18n import number, percent, text
from planner.outlook import Outlook
from planner.risk import RiskResult


def _track_check(outlook: Outlook, actual: Actual, lang: str) -> str | None:
    """The latest actual after the base year against the model, as one sentence."""
    p = outlook.projection
    parts = []
    for name, observed, modelled, scale, decimals in (
        ("track_area", actual.floor_area_m2, p.floor_area_m2, AREA_SCALE, 2),
        ("track_jobs", actual.jobs, p.jobs, JOBS_SCALE, 1),
    ):
        if observed is None:
            continue
        model = float(modelled[p.year_index(actual.year)])
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


def render(outlook: Outlook, baseline: Outlook, simulation: RiskResult, lang: str, preset_label: str) -> None:
    labels = series_labels(lang, preset_label)
    zone = outlook.zone
    bands = {
        # Area multiple × base area, and new jobs + base jobs, in the charts' units.
        "floor_area": band_table(simulation, simulation.area, AREA_SCALE / zone.floor_area_m2),
        "new_jobs": band_table(simulation, simulation.jobs, JOBS_SCALE, offset=zone.jobs),
    }
    left, right = st.columns(2)
    for column, metric, title in ((left, "floor_area", "chart_area_title"), (right, "new_jobs", "chart_jobs_title")):
        shape = trajectory_chart(labels, text(title, lang), lang == "ru", bands=True)
        points = chart_points(outlook, baseline, lang, labels, metric)
        column.vega_lite_chart(fill(shape, bands=bands[metric], points=points), width="stretch")
    st.caption(text("band_legend", lang))
    later = [a for a in outlook.zone.actuals if outlook.zone.base_year < a.year <= outlook.projection.years[-1]]
    if later:
        sentence = _track_check(outlook, later[-1], lang)
        if sentence:
            st.caption(sentence)
