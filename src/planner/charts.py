"""Altair chart builders: no Streamlit, data in, Vega-Lite spec out.

Speed matters here more than anywhere else in the app, because every slider move redraws
the open tab. Three choices keep a chart to well under a millisecond per rerun:

- Encodings use typed channel objects (`alt.X(field=..., type=...)`), never shorthand
  strings, which are parsed against the Vega-Lite schema on every call.
- A chart's *shape* (marks, encodings, titles, colours) depends only on the language and a
  few flags, so it is built with Altair and validated once, then cached as a spec whose
  layers read named datasets (`data: {"name": "scenario"}`).
- Each rerun only fills those datasets with a few dozen rows (`fill`), as Arrow IPC bytes,
  which Streamlit sends as they are; the trajectory charts, redrawn on every slider move,
  build their tables straight from numpy columns, with no DataFrame in between. Monte
  Carlo draws are summarised with numpy first (percentiles, histogram bins): no chart
  ever gets thousands of rows.

Tables carry a preformatted `text` column for tooltips, so numbers follow the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import altair as alt
import pandas as pd
import pyarrow as pa

SCENARIO_COLOR = "#1f5fa8"
PRESET_COLOR = "#8c8c8c"
ACTUAL_COLOR = "#111111"
GOAL_COLOR = "#c62828"
PROJECTS_COLOR = "#2e8b57"
CHART_HEIGHT = 360  # the whole chart: axes and legend take ≈ 60 px, the plot keeps at least 300
TORNADO_ROW = 34

Spec = dict[str, Any]


@dataclass(frozen=True)
class SeriesLabels:
    """Legend and axis names in the user's language."""

    scenario: str
    preset: str
    actual: str
    goal: str
    vintage: str  # the forecasts from earlier jump-offs, faded
    history: str  # a goal since replaced
    projects: str  # the named projects' expected forecast
    legend: str
    year: str
    text: str  # tooltip title of the value


def fill(template: Spec, **datasets: pa.Table | pd.DataFrame) -> Spec:
    """A cached chart shape with this rerun's data in its named datasets, as Arrow IPC.

    Only the top level is copied: the shape is shared, read-only, by every chart drawn from
    it. Streamlit copies the top level before its own edits; its one edit below that level
    (a None legend title at the top level) is made unnecessary in the shapes.
    """
    return {**template, "datasets": {name: _arrow(data) for name, data in datasets.items()}}


def _arrow(data: pa.Table | pd.DataFrame) -> bytes:
    table = data if isinstance(data, pa.Table) else _table(data)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _table(frame: pd.DataFrame) -> pa.Table:
    """A frame's columns as an Arrow table, straight from their arrays: half the time of
    `pa.Table.from_pandas`, whose pandas metadata Vega never reads. A column Arrow cannot
    take from its array alone (pandas' own nullable types) goes the long way."""
    try:
        return pa.table({str(name): frame[name].to_numpy() for name in frame.columns})
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.Table.from_pandas(frame, preserve_index=False)


def records(spec: Spec) -> dict[str, list[dict[str, Any]]]:
    """A filled spec's datasets as JSON records, for renderers that do not read Arrow."""
    return {name: pa.ipc.open_stream(data).read_all().to_pylist() for name, data in spec["datasets"].items()}


def _spec(chart: alt.TopLevelMixin) -> Spec:
    # Validated here, once per shape; Streamlit then receives a plain spec.
    return chart.to_dict()


def _data(name: str) -> alt.NamedData:
    return alt.NamedData(name=name)


def _axis(title: str, decimal_comma: bool, fmt: str = "") -> alt.Axis:
    # Vega formats with a decimal point; Russian readers expect a comma.
    expr = "replace(datum.label, '.', ',')" if decimal_comma else alt.Undefined
    return alt.Axis(title=title, format=fmt or alt.Undefined, labelExpr=expr)


def _year_x(labels: SeriesLabels, years: tuple[int, int] | None = None) -> alt.X:
    """The year axis; charts shown side by side pass one `years` span, so their years line up."""
    scale = alt.Scale(zero=False, nice=False) if years is None else alt.Scale(domain=list(years), nice=False)
    return alt.X(
        field="year", type="quantitative", axis=alt.Axis(title=labels.year, format="d", tickMinStep=1), scale=scale
    )


def _tooltip(labels: SeriesLabels, series: bool = True) -> list[alt.Tooltip]:
    tips = [
        alt.Tooltip(field="year", type="quantitative", title=labels.year, format="d"),
        alt.Tooltip(field="text", type="nominal", title=labels.text),
    ]
    return [alt.Tooltip(field="series", type="nominal", title=labels.legend), *tips] if series else tips


def _band_layers(x: alt.X, color: str) -> list[alt.Chart]:
    """Shaded P10–P90 and P25–P75 from the `bands` dataset: year, p10, p25, p75, p90."""
    return [
        alt.Chart(_data("bands"))
        .mark_area(opacity=opacity, color=color)
        .encode(x=x, y=alt.Y(field=low, type="quantitative"), y2=alt.Y2(field=high))
        for low, high, opacity in (("p10", "p90", 0.15), ("p25", "p75", 0.25))
    ]


@lru_cache(maxsize=64)
def trajectory_chart(
    labels: SeriesLabels, title: str, decimal_comma: bool, bands: bool, years: tuple[int, int] | None = None
) -> Spec:
    """Scenario (solid) and preset baseline (dashed), optional Monte Carlo bands, observed
    points, the goal marker, the forecasts of earlier jump-offs (faded, one line per
    `group`) and goals since replaced. Datasets: points (year, value, series, group, text)
    holding every series, told apart by `series`; bands (year, p10…p90) if `bands`."""
    color = alt.Color(
        field="series",
        type="nominal",
        scale=alt.Scale(
            domain=[
                labels.scenario,
                labels.preset,
                labels.actual,
                labels.goal,
                labels.vintage,
                labels.history,
                labels.projects,
            ],
            range=[SCENARIO_COLOR, PRESET_COLOR, ACTUAL_COLOR, GOAL_COLOR, PRESET_COLOR, GOAL_COLOR, PROJECTS_COLOR],
        ),
        # In columns on a phone's width a one-row legend would run off the chart.
        legend=alt.Legend(title=None, orient="bottom", columns=3, labelLimit=180, symbolLimit=0),
    )
    x = _year_x(labels, years)
    y = alt.Y(field="value", type="quantitative", axis=_axis(title, decimal_comma), scale=alt.Scale(zero=True))
    tooltip = _tooltip(labels)

    def points(series: str) -> alt.Chart:
        return alt.Chart(_data("points")).transform_filter(alt.FieldEqualPredicate(field="series", equal=series))

    layers = [
        *(_band_layers(x, SCENARIO_COLOR) if bands else []),
        points(labels.vintage)
        .mark_line(strokeWidth=1.5, opacity=0.45, point=alt.OverlayMarkDef(opacity=0.45, size=20))
        .encode(x=x, y=y, color=color, detail=alt.Detail(field="group", type="nominal"), tooltip=tooltip),
        points(labels.history)
        .mark_point(shape="triangle-down", size=110, filled=False, strokeWidth=2, opacity=0.8)
        .encode(x=x, y=y, color=color, tooltip=tooltip),
        points(labels.projects)
        .mark_line(strokeDash=[2, 2], strokeWidth=2.5)
        .encode(x=x, y=y, color=color, tooltip=tooltip),
        points(labels.preset)
        .mark_line(strokeDash=[6, 4], strokeWidth=2)
        .encode(x=x, y=y, color=color, tooltip=tooltip),
        points(labels.scenario).mark_line(strokeWidth=3, point=True).encode(x=x, y=y, color=color, tooltip=tooltip),
        points(labels.goal)
        .mark_rule(strokeDash=[2, 3], strokeWidth=1.5)
        .encode(y=alt.Y(field="value", type="quantitative"), color=color),
        points(labels.goal)
        .mark_point(shape="diamond", size=160, filled=True)
        .encode(x=x, y=y, color=color, tooltip=tooltip),
        points(labels.actual)
        .mark_point(size=80, filled=True, shape="circle")
        .encode(x=x, y=y, color=color, tooltip=tooltip),
    ]
    return _spec(alt.layer(*layers).properties(height=CHART_HEIGHT, width="container"))


@lru_cache(maxsize=64)
def stacked_area_chart(
    labels: SeriesLabels, title: str, cluster_title: str, order: tuple[str, ...], decimal_comma: bool
) -> Spec:
    """Stacked areas by cluster. Dataset `clusters`: year, cluster, order, value, text."""
    chart = (
        alt.Chart(_data("clusters"))
        .mark_area(opacity=0.9)
        .encode(
            x=_year_x(labels),
            y=alt.Y(field="value", type="quantitative", stack="zero", axis=_axis(title, decimal_comma)),
            color=alt.Color(
                field="cluster",
                type="nominal",
                sort=list(order),
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(title=cluster_title, orient="right", labelLimit=220),
            ),
            order=alt.Order(field="order", type="quantitative"),
            tooltip=[alt.Tooltip(field="cluster", type="nominal", title=cluster_title), *_tooltip(labels, False)],
        )
        .properties(height=CHART_HEIGHT, width="container")
    )
    return _spec(chart)


@lru_cache(maxsize=64)
def coverage_chart(title: str, year_title: str, status_title: str, order: tuple[str, ...], decimal_comma: bool) -> Spec:
    """The named projects' floor area open by each year, stacked by status, against what the
    goal still needs (a rule), the target year's bar topped by what no project covers yet.
    Datasets: bars (year, status, order, value, text), need (value)."""
    palette = ["#1f5fa8", "#2e8b57", "#6baed6", "#9e9ac8", "#e0a020"]  # by status, then the unidentified
    bars = (
        alt.Chart(_data("bars"))
        .mark_bar()
        .encode(
            x=alt.X(field="year", type="ordinal", axis=alt.Axis(title=year_title, labelAngle=0)),
            y=alt.Y(field="value", type="quantitative", stack="zero", axis=_axis(title, decimal_comma)),
            color=alt.Color(
                field="status",
                type="nominal",
                sort=list(order),
                scale=alt.Scale(domain=list(order), range=palette[: len(order)]),
                legend=alt.Legend(title=status_title, orient="bottom", labelLimit=260),
            ),
            order=alt.Order(field="order", type="quantitative"),
            tooltip=[
                alt.Tooltip(field="year", type="ordinal", title=year_title),
                alt.Tooltip(field="status", type="nominal", title=status_title),
                alt.Tooltip(field="text", type="nominal", title=title),
            ],
        )
    )
    need = (
        alt.Chart(_data("need"))
        .mark_rule(color=GOAL_COLOR, strokeDash=[4, 3], strokeWidth=2)
        .encode(y=alt.Y(field="value", type="quantitative"))
    )
    return _spec(alt.layer(bars, need).properties(height=CHART_HEIGHT, width="container"))


@lru_cache(maxsize=64)
def comparison_chart(labels: SeriesLabels, title: str, decimal_comma: bool) -> Spec:
    """One line per pinned scenario. Dataset `pins`: year, value, series (the pin), text."""
    chart = (
        alt.Chart(_data("pins"))
        .mark_line(strokeWidth=2.5, point=True)
        .encode(
            x=_year_x(labels),
            y=alt.Y(field="value", type="quantitative", axis=_axis(title, decimal_comma), scale=alt.Scale(zero=True)),
            color=alt.Color(
                field="series",
                type="nominal",
                scale=alt.Scale(scheme="tableau10"),
                # A blank, not None: Streamlit patches a None legend title at the top level to
                # " " in place, and this shape is cached and shared, so it must not need it.
                legend=alt.Legend(title=" ", orient="bottom"),
            ),
            tooltip=_tooltip(labels),
        )
        .properties(height=CHART_HEIGHT, width="container")
    )
    return _spec(chart)


@lru_cache(maxsize=64)
def fan_chart(labels: SeriesLabels, title: str, decimal_comma: bool) -> Spec:
    """Median with P25–P75 and P10–P90 bands, and the goal. Datasets: bands (year,
    p10…p90, text), goal (year, value)."""
    x = _year_x(labels)
    median = (
        alt.Chart(_data("bands"))
        .mark_line(strokeWidth=3, color=SCENARIO_COLOR)
        .encode(
            x=x,
            y=alt.Y(field="p50", type="quantitative", axis=_axis(title, decimal_comma), scale=alt.Scale(zero=True)),
            tooltip=_tooltip(labels, False),
        )
    )
    rule = (
        alt.Chart(_data("goal"))
        .mark_rule(strokeDash=[2, 3], strokeWidth=1.5, color=GOAL_COLOR)
        .encode(y=alt.Y(field="value", type="quantitative"))
    )
    marker = (
        alt.Chart(_data("goal"))
        .mark_point(shape="diamond", size=160, filled=True, color=GOAL_COLOR)
        .encode(x=x, y=alt.Y(field="value", type="quantitative"))
    )
    layers = alt.layer(*_band_layers(x, SCENARIO_COLOR), median, rule, marker)
    return _spec(layers.properties(height=CHART_HEIGHT, width="container"))


@lru_cache(maxsize=64)
def histogram_chart(x_title: str, y_title: str, decimal_comma: bool) -> Spec:
    """Pre-binned histogram with the goal line. Datasets: bins (start, end, share, met,
    text), goal (value)."""
    bars = (
        alt.Chart(_data("bins"))
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
        alt.Chart(_data("goal"))
        .mark_rule(color=GOAL_COLOR, strokeWidth=2)
        .encode(x=alt.X(field="value", type="quantitative"))
    )
    return _spec(alt.layer(bars, rule).properties(height=CHART_HEIGHT - 60, width="container"))


# Each bar's two end labels: the field, which side of the end it is drawn on, and its offset.
_TORNADO_ENDS: tuple[tuple[str, Literal["left", "right"], int], ...] = (("left", "right", -4), ("right", "left", 4))


@lru_cache(maxsize=64)
def tornado_chart(title: str, decimal_comma: bool, rows: int) -> Spec:
    """One bar per parameter from its low-end to its high-end outcome, widest first, the
    parameter's value written at each end. Datasets: bars (parameter, left, right,
    left_label, right_label, low_label, high_label, order), base (value)."""
    y = alt.Y(
        field="parameter", type="nominal", sort=alt.SortField(field="order"), axis=alt.Axis(title=None, labelLimit=260)
    )
    span = (
        alt.Chart(_data("bars"))
        .mark_bar(height=18, color=SCENARIO_COLOR, opacity=0.8)
        .encode(
            x=alt.X(field="left", type="quantitative", axis=_axis(title, decimal_comma), scale=alt.Scale(zero=False)),
            x2=alt.X2(field="right"),
            y=y,
            tooltip=[
                alt.Tooltip(field="parameter", type="nominal"),
                alt.Tooltip(field="low_label", type="nominal"),
                alt.Tooltip(field="high_label", type="nominal"),
            ],
        )
    )
    ends = [
        alt.Chart(_data("bars"))
        .mark_text(align=align, dx=dx, fontSize=11)
        .encode(x=alt.X(field=field, type="quantitative"), y=y, text=alt.Text(field=f"{field}_label", type="nominal"))
        for field, align, dx in _TORNADO_ENDS
    ]
    centre = alt.Chart(_data("base")).mark_rule(color=ACTUAL_COLOR).encode(x=alt.X(field="value", type="quantitative"))
    return _spec(alt.layer(span, *ends, centre).properties(height=TORNADO_ROW * rows + 20, width="container"))


@lru_cache(maxsize=64)
def waterfall_chart(title: str, decimal_comma: bool) -> Spec:
    """From the goal, down (or up) by each cluster's gap, to the scenario's value. Dataset
    `steps`: label, order, start, end, kind (total, short, ahead), text."""
    x = alt.X(
        field="label",
        type="nominal",
        sort=alt.SortField(field="order"),
        # Every step's label drawn: Vega drops labels it finds overlapping unless told not to.
        axis=alt.Axis(title=None, labelAngle=-40, labelLimit=220, labelOverlap=False),
    )
    bars = (
        alt.Chart(_data("steps"))
        .mark_bar(size=34)
        .encode(
            x=x,
            y=alt.Y(field="start", type="quantitative", axis=_axis(title, decimal_comma), scale=alt.Scale(zero=True)),
            y2=alt.Y2(field="end"),
            color=alt.Color(
                field="kind",
                type="nominal",
                scale=alt.Scale(domain=["total", "short", "ahead"], range=[SCENARIO_COLOR, GOAL_COLOR, "#2e7d32"]),
                legend=None,
            ),
            tooltip=[alt.Tooltip(field="label", type="nominal"), alt.Tooltip(field="text", type="nominal")],
        )
    )
    labels = (
        alt.Chart(_data("steps"))
        .mark_text(dy=-8, fontSize=11)
        .encode(x=x, y=alt.Y(field="top", type="quantitative"), text=alt.Text(field="text", type="nominal"))
    )
    return _spec(alt.layer(bars, labels).properties(height=CHART_HEIGHT, width="container"))
