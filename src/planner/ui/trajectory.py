"""Trajectory tab: area and jobs over the years against the goal, the preset and actuals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.charts import SeriesLabels, trajectory_chart
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


def _frame(years: object, values: object, series: str, scale: float, lang: str, decimals: int) -> pd.DataFrame:
    frame = pd.DataFrame({"year": years, "value": pd.Series(values, dtype=float) / scale, "series": series})
    frame["text"] = [number(v, lang, decimals) for v in frame["value"]]
    return frame


def chart_frames(
    outlook: Outlook, baseline: Outlook, lang: str, labels: SeriesLabels, metric: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Lines (scenario + preset), actual points and the goal point, scaled for display."""
    area = metric == "floor_area"
    scale, decimals = (AREA_SCALE, 2) if area else (JOBS_SCALE, 1)

    def values(o: Outlook) -> object:
        return o.projection.floor_area_m2 if area else o.projection.jobs

    lines = pd.concat(
        [
            _frame(outlook.projection.years, values(outlook), labels.scenario, scale, lang, decimals),
            _frame(baseline.projection.years, values(baseline), labels.preset, scale, lang, decimals),
        ]
    )
    observed = [a for a in outlook.zone.actuals if (a.floor_area_m2 if area else a.jobs) is not None]
    actuals = _frame(
        [a.year for a in observed],
        [a.floor_area_m2 if area else a.jobs for a in observed],
        labels.actual,
        scale,
        lang,
        decimals,
    )
    result = outlook.area if area else outlook.jobs
    target = result.target * outlook.zone.floor_area_m2 if area else result.target + outlook.zone.jobs
    goal = _frame([result.year], [target], labels.goal, scale, lang, decimals)
    return lines, actuals, goal


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
        with column:
            st.altair_chart(
                trajectory_chart(
                    *chart_frames(outlook, baseline, lang, labels, metric),
                    labels,
                    text(title, lang),
                    decimal_comma=lang == "ru",
                    bands=bands[metric],
                ),
                width="stretch",
            )
    st.caption(text("band_legend", lang))
    later = [a for a in outlook.zone.actuals if outlook.zone.base_year < a.year <= outlook.projection.years[-1]]
    if later:
        sentence = _track_check(outlook, later[-1], lang)
        if sentence:
            st.caption(sentence)
