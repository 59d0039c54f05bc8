"""Chart data in display units: tidy Arrow tables for the chart shapes in `charts`, shared
by the app and the printable brief. No Streamlit."""

from __future__ import annotations

import pyarrow as pa

from planner.charts import SeriesLabels
from planner.i18n import number, text
from planner.outlook import Outlook
from planner.risk import QUANTILES, Distribution, RiskResult

AREA_SCALE, JOBS_SCALE = 1e6, 1e3  # million m², thousand jobs


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


def band_table(result: RiskResult, distribution: Distribution, scale: float, offset: float = 0.0) -> pa.Table:
    """Percentiles per year in display units; `offset` turns new jobs into total jobs."""
    columns = {f"p{q}": (distribution.percentile(q) + offset) / scale for q in QUANTILES}
    return pa.table({"year": result.years, **columns})


def chart_points(outlook: Outlook, baseline: Outlook, lang: str, labels: SeriesLabels, metric: str) -> pa.Table:
    """Scenario and preset lines, actual points and the goal point in one table (the chart
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
    return pa.table(
        {"year": years, "value": values, "series": series, "text": [number(v, lang, decimals) for v in values]}
    )
