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
    bands: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Scenario (solid) and preset baseline (dashed) lines, observed points, the goal marker.

    `lines`: year, value, series ∈ {labels.scenario, labels.preset}, text.
    `actuals`, `goal`: year, value, series, text. `bands`: the Monte Carlo P10–P90 and
    P25–P75 around the scenario (year, p10, p25, p75, p90), if any.
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
        *(band_layers(bands, x, SCENARIO_COLOR) if bands is not None else []),
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


def band_layers(bands: pd.DataFrame, x: alt.X, color: str) -> list[alt.Chart]:
    """Shaded P10–P90 and P25–P75 bands. `bands`: year, p10, p25, p75, p90 (display units)."""
    return [
        alt.Chart(bands)
        .mark_area(opacity=opacity, color=color)
        .encode(x=x, y=alt.Y(field=low, type="quantitative"), y2=alt.Y2(field=high))
        for low, high, opacity in (("p10", "p90", 0.15), ("p25", "p75", 0.25))
    ]


def fan_chart(
    bands: pd.DataFrame, goal: pd.DataFrame, labels: SeriesLabels, title: str, decimal_comma: bool
) -> alt.LayerChart:
    """Median with P25–P75 and P10–P90 bands, and the goal. `bands`: year, p10…p90, text."""
    x = _year_x(labels)
    median = (
        alt.Chart(bands)
        .mark_line(strokeWidth=3, color=SCENARIO_COLOR)
        .encode(
            x=x,
            y=alt.Y(field="p50", type="quantitative", axis=_axis(title, decimal_comma), scale=alt.Scale(zero=True)),
            tooltip=[
                alt.Tooltip(field="year", type="quantitative", title=labels.year, format="d"),
                alt.Tooltip(field="text", type="nominal", title=labels.text),
            ],
        )
    )
    rule = (
        alt.Chart(goal)
        .mark_rule(strokeDash=[2, 3], strokeWidth=1.5, color=GOAL_COLOR)
        .encode(y=alt.Y(field="value", type="quantitative"))
    )
    marker = (
        alt.Chart(goal)
        .mark_point(shape="diamond", size=160, filled=True, color=GOAL_COLOR)
        .encode(x=x, y=alt.Y(field="value", type="quantitative"))
    )
    return alt.layer(*band_layers(bands, x, SCENARIO_COLOR), median, rule, marker).properties(
        height=CHART_HEIGHT, width="container"
    )


def histogram_chart(
    bins: pd.DataFrame, target: float, x_title: str, y_title: str, decimal_comma: bool
) -> alt.LayerChart:
    """Pre-binned histogram (bins are computed with numpy, never thousands of rows sent to
    the browser). `bins`: start, end, share, met (bool), text."""
    bars = (
        alt.Chart(bins)
        .mark_bar()
        .encode(
            x=alt.X(
                field="start", type="quantitative", axis=_axis(x_title, decimal_comma), scale=alt.Scale(zero=False)
            ),
            x2=alt.X2(field="end"),
            y=alt.Y(field="share", type="quantitative", axis=alt.Axis(title=y_title, format="%")),
            y2=alt.Y2(datum=0),  # without it a bar with x and x2 is drawn as a horizontal bar
            color=alt.Color(
                field="met",
                type="nominal",
                scale=alt.Scale(domain=[True, False], range=[SCENARIO_COLOR, PRESET_COLOR]),
                legend=None,
            ),
            tooltip=[alt.Tooltip(field="text", type="nominal", title=x_title)],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"value": [target]}))
        .mark_rule(color=GOAL_COLOR, strokeWidth=2)
        .encode(x=alt.X(field="value", type="quantitative"))
    )
    return alt.layer(bars, rule).properties(height=CHART_HEIGHT - 60, width="container")


def tornado_chart(bars: pd.DataFrame, base: float, title: str, decimal_comma: bool) -> alt.LayerChart:
    """One bar per parameter from its low-end to its high-end outcome, widest first, with the
    parameter's value at each end written beside the bar. `bars`: parameter, low, high,
    low_label, high_label, order."""
    y = alt.Y(
        field="parameter", type="nominal", sort=alt.SortField(field="order"), axis=alt.Axis(title=None, labelLimit=260)
    )
    x_axis = _axis(title, decimal_comma)
    span = (
        alt.Chart(bars)
        .mark_bar(height=18, color=SCENARIO_COLOR, opacity=0.8)
        .encode(
            x=alt.X(field="left", type="quantitative", axis=x_axis, scale=alt.Scale(zero=False)),
            x2=alt.X2(field="right"),
            y=y,
            tooltip=[
                alt.Tooltip(field="parameter", type="nominal"),
                alt.Tooltip(field="low_label", type="nominal"),
                alt.Tooltip(field="high_label", type="nominal"),
            ],
        )
    )
    left = (
        alt.Chart(bars)
        .mark_text(align="right", dx=-4, fontSize=11)
        .encode(x=alt.X(field="left", type="quantitative"), y=y, text=alt.Text(field="left_label", type="nominal"))
    )
    right = (
        alt.Chart(bars)
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(x=alt.X(field="right", type="quantitative"), y=y, text=alt.Text(field="right_label", type="nominal"))
    )
    centre = (
        alt.Chart(pd.DataFrame({"value": [base]}))
        .mark_rule(color=ACTUAL_COLOR)
        .encode(x=alt.X(field="value", type="quantitative"))
    )
    return alt.layer(span, left, right, centre).properties(height=34 * len(bars) + 20, width="container")
