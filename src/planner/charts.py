"""Altair chart builders: tidy data in, chart out, no Streamlit.

Encodings are built from typed channel objects (`alt.X(field=..., type=...)`) rather than
shorthand strings: the shorthand is parsed against the Vega-Lite schema on every call and
costs several milliseconds a chart, which adds up on every rerun of the app.

Frames carry a preformatted `text` column for tooltips so numbers follow the language.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

SCENARIO_COLOR = "#1f5fa8"
PRESET_COLOR = "#8c8c8c"
ACTUAL_COLOR = "#111111"
GOAL_COLOR = "#c62828"
CHART_HEIGHT = 300


@dataclass(frozen=True)
class SeriesLabels:
    """Legend names in the user's language."""

    scenario: str
    preset: str
    actual: str
    goal: str
    legend: str
    year: str
    text: str  # tooltip title of the value


def _axis(title: str, decimal_comma: bool, fmt: str = "") -> alt.Axis:
    # Vega formats with a decimal point; Russian readers expect a comma.
    expr = "replace(datum.label, '.', ',')" if decimal_comma else alt.Undefined
    return alt.Axis(title=title, format=fmt or alt.Undefined, labelExpr=expr)


def _year_x(labels: SeriesLabels) -> alt.X:
    return alt.X(
        field="year",
        type="quantitative",
        axis=alt.Axis(title=labels.year, format="d", tickMinStep=1),
        scale=alt.Scale(zero=False, nice=False),
    )


def trajectory_chart(
    lines: pd.DataFrame,
    actuals: pd.DataFrame,
    goal: pd.DataFrame,
    labels: SeriesLabels,
    title: str,
    decimal_comma: bool,
) -> alt.LayerChart:
    """Scenario (solid) and preset baseline (dashed) lines, observed points, the goal marker.

    `lines`: year, value, series ∈ {labels.scenario, labels.preset}, text.
    `actuals`, `goal`: year, value, series, text.
    """
    color = alt.Color(
        field="series",
        type="nominal",
        scale=alt.Scale(
            domain=[labels.scenario, labels.preset, labels.actual, labels.goal],
            range=[SCENARIO_COLOR, PRESET_COLOR, ACTUAL_COLOR, GOAL_COLOR],
        ),
        legend=alt.Legend(title=None, orient="bottom"),
    )
    y = alt.Y(field="value", type="quantitative", axis=_axis(title, decimal_comma), scale=alt.Scale(zero=True))
    tooltip = [
        alt.Tooltip(field="series", type="nominal", title=labels.legend),
        alt.Tooltip(field="year", type="quantitative", title=labels.year, format="d"),
        alt.Tooltip(field="text", type="nominal", title=labels.text),
    ]
    x = _year_x(labels)
    scenario = lines[lines["series"] == labels.scenario]
    preset = lines[lines["series"] == labels.preset]
    layers = [
        alt.Chart(preset).mark_line(strokeDash=[6, 4], strokeWidth=2).encode(x=x, y=y, color=color, tooltip=tooltip),
        alt.Chart(scenario).mark_line(strokeWidth=3, point=True).encode(x=x, y=y, color=color, tooltip=tooltip),
        alt.Chart(goal)
        .mark_rule(strokeDash=[2, 3], strokeWidth=1.5)
        .encode(y=alt.Y(field="value", type="quantitative"), color=color),
        alt.Chart(goal)
        .mark_point(shape="diamond", size=160, filled=True)
        .encode(x=x, y=y, color=color, tooltip=tooltip),
    ]
    if not actuals.empty:
        layers.append(
            alt.Chart(actuals)
            .mark_point(size=80, filled=True, shape="circle")
            .encode(x=x, y=y, color=color, tooltip=tooltip)
        )
    return alt.layer(*layers).properties(height=CHART_HEIGHT, width="container")


def stacked_area_chart(
    frame: pd.DataFrame, labels: SeriesLabels, title: str, cluster_title: str, order: list[str], decimal_comma: bool
) -> alt.Chart:
    """Stacked areas by cluster. `frame`: year, cluster, value, text."""
    return (
        alt.Chart(frame)
        .mark_area(opacity=0.9)
        .encode(
            x=_year_x(labels),
            y=alt.Y(field="value", type="quantitative", stack="zero", axis=_axis(title, decimal_comma)),
            color=alt.Color(
                field="cluster",
                type="nominal",
                sort=order,
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(title=cluster_title, orient="right", labelLimit=220),
            ),
            order=alt.Order(field="order", type="quantitative"),
            tooltip=[
                alt.Tooltip(field="cluster", type="nominal", title=cluster_title),
                alt.Tooltip(field="year", type="quantitative", title=labels.year, format="d"),
                alt.Tooltip(field="text", type="nominal", title=labels.text),
            ],
        )
        .properties(height=CHART_HEIGHT, width="container")
    )


def comparison_chart(frame: pd.DataFrame, labels: SeriesLabels, title: str, decimal_comma: bool) -> alt.Chart:
    """One line per pinned scenario. `frame`: year, value, series (the pin's name), text."""
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5, point=True)
        .encode(
            x=_year_x(labels),
            y=alt.Y(field="value", type="quantitative", axis=_axis(title, decimal_comma), scale=alt.Scale(zero=True)),
            color=alt.Color(
                field="series",
                type="nominal",
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip(field="series", type="nominal", title=labels.legend),
                alt.Tooltip(field="year", type="quantitative", title=labels.year, format="d"),
                alt.Tooltip(field="text", type="nominal", title=labels.text),
            ],
        )
        .properties(height=CHART_HEIGHT, width="container")
    )
