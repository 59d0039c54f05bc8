"""Trajectory tab: area and jobs over the years against the goal, the preset and actuals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.charts import SeriesLabels, fill, trajectory_chart
from planner.data import Actual
from planner.i18n import number, percent, text
from planner.outlook import Outlook
from planner.risk import QUANTILES, Distribution, RiskResult

AREA_SCALE, JOBS_SCALE = 1e6, 1e3


def series_labels(lang: str, preset_label: str) -> SeriesLabels:
    return SeriesLabels(
        scenario=text("series_scenario", lang),
        preset=text("series_preset", lang, preset=preset_label),
        actual=text("series_actual", lang),
        goal=text("series_goal", lang),
        legend=text("legend", lang),
        year=text("axis_year", lang),
        text=text("col_value", lang),
    )


def band_frame(result: RiskResult, distribution: Distribution, scale: float, offset: float = 0.0) -> pd.DataFrame:
    """Percentiles per year in display units; `offset` turns new jobs into total jobs."""
    frame = pd.DataFrame({"year": result.years})
    for q in QUANTILES:
        frame[f"p{q}"] = (distribution.percentile(q) + offset) / scale
    return frame


def chart_points(outlook: Outlook, baseline: Outlook, lang: str, labels: SeriesLabels, metric: str) -> pd.DataFrame:
    """Scenario and preset lines, actual points and the goal point in one frame (the chart
    filters by `series`), in display units."""
    area = metric == "floor_area"
    scale, decimals = (AREA_SCALE, 2) if area else (JOBS_SCALE, 1)
    result = outlook.area if area else outlook.jobs
    target = result.target * outlook.zone.floor_area_m2 if area else result.target + outlook.zone.jobs
    observed = [(a.year, a.floor_area_m2 if area else a.jobs) for a in outlook.zone.actuals]
    observed = [(year, value) for year, value in observed if value is not None]
    parts = [
        (
            outlook.projection.years.tolist(),
            (outlook.projection.floor_area_m2 if area else outlook.projection.jobs).tolist(),
            labels.scenario,
        ),
        (
            baseline.projection.years.tolist(),
            (baseline.projection.floor_area_m2 if area else baseline.projection.jobs).tolist(),
            labels.preset,
        ),
        ([year for year, _ in observed], [value for _, value in observed], labels.actual),
        ([result.year], [target], labels.goal),
    ]
    years = [year for part_years, _, _ in parts for year in part_years]
    values = [value / scale for _, part_values, _ in parts for value in part_values]
    series = [name for part_years, _, name in parts for _ in part_years]
    return pd.DataFrame(
        {"year": years, "value": values, "series": series, "text": [number(v, lang, decimals) for v in values]}
    )


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
        "floor_area": band_frame(simulation, simulation.area, AREA_SCALE / zone.floor_area_m2),
        "new_jobs": band_frame(simulation, simulation.jobs, JOBS_SCALE, offset=zone.jobs),
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
