"""Trajectory tab: area and jobs over the years against the goal, the preset and actuals."""

from __future__ import annotations

import streamlit as st

from planner.chartdata import chart_points, level_bands, series_labels
from planner.charts import fill, trajectory_chart
from planner.i18n import number, percent, text
from planner.metrics import AREA, JOBS, METRICS
from planner.outlook import Outlook
from planner.risk import RiskResult
from planner.zone import Actual


def _track_check(outlook: Outlook, actual: Actual, lang: str) -> str | None:
    """The latest actual after the base year against the model, as one sentence."""
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


def render(outlook: Outlook, baseline: Outlook, simulation: RiskResult, lang: str, preset_label: str) -> None:
    labels = series_labels(lang, preset_label)
    for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
        shape = trajectory_chart(labels, text(metric.title, lang), lang == "ru", bands=True)
        points = chart_points(outlook, baseline, lang, labels, metric)
        bands = level_bands(simulation, metric, metric.of(outlook).goal)
        column.vega_lite_chart(fill(shape, bands=bands, points=points), width="stretch")
    st.caption(text("band_legend", lang))
    later = [a for a in outlook.zone.actuals if outlook.zone.jump_off_year < a.year <= outlook.projection.years[-1]]
    if later:
        sentence = _track_check(outlook, later[-1], lang)
        if sentence:
            st.caption(sentence)
