"""Chart data in display units: tidy Arrow tables for the chart shapes in `charts`, shared
by the app and the printable brief. No Streamlit."""

from __future__ import annotations

import pyarrow as pa

from planner.charts import SeriesLabels
from planner.i18n import number, text
from planner.metrics import Metric
from planner.outlook import Outlook
from planner.risk import QUANTILES, Distribution, RiskResult
from planner.zone import Goal


def series_labels(lang: str, preset_label: str) -> SeriesLabels:
    return SeriesLabels(
        scenario=text("series_scenario", lang),
        preset=text("series_preset", lang, preset=preset_label),
        actual=text("series_actual", lang),
        goal=text("series_goal", lang),
        vintage=text("series_vintage", lang),
        history=text("series_history", lang),
        projects=text("series_projects", lang),
        legend=text("legend", lang),
        year=text("axis_year", lang),
        text=text("col_value", lang),
    )


def goal_bands(result: RiskResult, metric: Metric) -> pa.Table:
    """Percentiles per year in the goal's unit, as the fan charts show it (×, thousand new jobs)."""
    distribution: Distribution = metric.of(result)
    columns = {f"p{q}": distribution.percentile(q) / metric.goal_scale for q in QUANTILES}
    return pa.table({"year": result.years, **columns})


def level_bands(result: RiskResult, metric: Metric, goal: Goal) -> pa.Table:
    """Percentiles per year as the level the trajectory shows (million m², thousand jobs);
    `goal` is the one the draws were measured against, whose base turns them into levels."""
    distribution: Distribution = metric.of(result)
    columns = {f"p{q}": metric.as_level(goal, distribution.percentile(q)) / metric.level_scale for q in QUANTILES}
    return pa.table({"year": result.years, **columns})


def chart_points(outlook: Outlook, baseline: Outlook, lang: str, labels: SeriesLabels, metric: Metric) -> pa.Table:
    """Scenario and preset lines, actual points, the goal point, each earlier jump-off's
    forecast and each replaced goal in one table (the chart filters by `series` and draws a
    line per `group`), in display units."""
    scale, decimals = metric.level_scale, metric.decimals
    result = metric.of(outlook)
    observed = [(a.year, getattr(a, metric.level_field)) for a in outlook.zone.actuals]
    observed = [(year, value) for year, value in observed if value is not None]
    history = outlook.zone.goal_history(metric.key)
    # (years, values, series, group): a group tells the vintages' lines apart.
    parts = [
        (outlook.projection.years.tolist(), metric.level(outlook.projection).tolist(), labels.scenario, ""),
        (baseline.projection.years.tolist(), metric.level(baseline.projection).tolist(), labels.preset, ""),
        ([year for year, _ in observed], [value for _, value in observed], labels.actual, ""),
        ([result.year], [result.goal.level], labels.goal, ""),
        ([goal.year for goal in history], [goal.level for goal in history], labels.history, ""),
        *(
            [(outlook.projects.years.tolist(), metric.level(outlook.projects).tolist(), labels.projects, "")]
            if outlook.projects is not None
            else []
        ),
        *(
            (v.projection.years.tolist(), metric.level(v.projection).tolist(), labels.vintage, str(v.year))
            for v in outlook.vintages
        ),
    ]
    years = [year for part_years, _, _, _ in parts for year in part_years]
    values = [value / scale for _, part_values, _, _ in parts for value in part_values]
    series = [name for part_years, _, name, _ in parts for _ in part_years]
    groups = [group for part_years, _, _, group in parts for _ in part_years]
    return pa.table(
        {
            "year": years,
            "value": values,
            "series": series,
            "group": groups,
            "text": [number(v, lang, decimals) for v in values],
        }
    )
