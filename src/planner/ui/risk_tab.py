"""Risk tab: goal probabilities, fan charts, 2030 histograms, tornado, what must be true."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from planner.chartdata import goal_bands, series_labels
from planner.charts import fan_chart, fill, histogram_chart, tornado_chart
from planner.data import Dataset
from planner.i18n import multiple, number, percent, text
from planner.metrics import AREA, JOBS, METRICS, Metric
from planner.outlook import Outlook
from planner.present import goal_status, needed_value, param_label, param_value
from planner.risk import Distribution, RiskResult, Swing, one_sided
from planner.ui import sharing


def _fan(result: RiskResult, metric: Metric, lang: str) -> pa.Table:
    decimals = metric.decimals
    table = goal_bands(result, metric)
    low, mid, high = (table.column(q).to_pylist() for q in ("p10", "p50", "p90"))
    tips = [
        f"{number(lo, lang, decimals)} – {number(me, lang, decimals)} – {number(hi, lang, decimals)}"
        for lo, me, hi in zip(low, mid, high, strict=True)
    ]
    return table.append_column("text", pa.array(tips))


def _bins(distribution: Distribution, scale: float, decimals: int, lang: str) -> pd.DataFrame:
    edges = distribution.edges / scale
    frame = pd.DataFrame(
        {
            "start": edges[:-1],
            "end": edges[1:],
            "share": distribution.histogram / max(distribution.histogram.sum(), 1),
            "met": (edges[1:] + edges[:-1]) / 2 >= distribution.target / scale,
        }
    )
    # Each edge is formatted once: it ends one bin and starts the next.
    shown = [number(edge, lang, decimals) for edge in edges.tolist()]
    frame["text"] = [
        f"{shown[i]} – {shown[i + 1]}: {percent(share * 100, lang)}" for i, share in enumerate(frame["share"].tolist())
    ]
    return frame


def _tornado(dataset: Dataset, swings: tuple[Swing, ...], metric: Metric, lang: str) -> pd.DataFrame:
    scale, decimals = metric.goal_scale, metric.decimals
    rows = []
    names = {zone.key: zone.name(lang) for zone in dataset.zones}
    # A parameter that does not move this outcome (density for floor area) gets no bar.
    for order, swing in enumerate(s for s in swings if s.width > 0):
        param = dataset.registry[swing.key]
        low, high = swing.outcome_at_low / scale, swing.outcome_at_high / scale
        at_low = param_value(param, swing.low_value, lang)
        at_high = param_value(param, swing.high_value, lang)
        left, right = (low, high) if low <= high else (high, low)
        left_label, right_label = (at_low, at_high) if low <= high else (at_high, at_low)
        rows.append(
            {
                # Zones together: each zone's parameter is a bar of its own, named with its zone.
                "parameter": param_label(param, lang) + (f" — {names[swing.part]}" if swing.part else ""),
                "left": left,
                "right": right,
                "left_label": left_label,
                "right_label": right_label,
                "low_label": f"{at_low} → {number(low, lang, decimals)}",
                "high_label": f"{at_high} → {number(high, lang, decimals)}",
                "order": order,
            }
        )
    return pd.DataFrame(rows)


def requirements_table(
    dataset: Dataset, needed: dict[str, dict[str, float | None]], outlook: Outlook, lang: str
) -> pd.DataFrame:
    # Every lever of any goal, in registry order; a lever that does not move a goal gets "—".
    levers = [p.key for p in dataset.registry if any(p.key in needed[m.key] for m in METRICS)]
    rows = {}
    for lever in levers:
        param = dataset.registry[lever]
        current = param_value(param, outlook.scenario[lever], lang)
        cells = []
        for metric in (m.key for m in METRICS):
            if lever not in needed[metric]:
                cells.append("—")
            elif (value := needed[metric][lever]) is None:
                cells.append(text("unreachable", lang))
            else:
                cells.append(needed_value(param, value, lang))
        rows[param_label(param, lang)] = [current, *cells]
    return pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=[text("col_value", lang), text("needed_for_area", lang), text("needed_for_jobs", lang)],
    )


def render(
    dataset: Dataset,
    outlook: Outlook,
    result: RiskResult,
    swings: Mapping[str, tuple[Swing, ...]],
    needed: dict[str, dict[str, float | None]],
    lang: str,
) -> None:
    cards = st.columns(3)
    for column, key, value, error in (
        (cards[0], "p_area", result.area.probability, result.area.error),
        (cards[1], "p_jobs", result.jobs.probability, result.jobs.error),
        (cards[2], "p_both", result.probability_both, result.error_both),
    ):
        column.metric(text(key, lang), percent(value * 100, lang, 0), border=True)
        column.caption(text("probability_error_caption", lang, error=number(100 * error, lang, 1)))
    st.caption(
        text(
            "risk_caption",
            lang,
            draws=number(result.draws, lang),
            seed=result.seed,
            uncertainty=number(outlook.scenario.number("uncertainty"), lang),
        )
    )
    sided = one_sided(dataset.registry, outlook.scenario)
    if sided:
        parts = [
            text(f"one_sided_{'up' if way > 0 else 'down'}", lang, label=dataset.registry[key].label(lang))
            for key, way in sided
        ]
        # Labels may name an uploaded cluster: shown as plain text.
        st.caption(text("one_sided", lang, params=sharing.plain("; ".join(parts))))
    index = int(np.searchsorted(result.years, outlook.area.year))
    st.caption(
        text(
            "central_vs_median",
            lang,
            year=outlook.area.year,
            start=outlook.zone.jump_off_year,
            area=multiple(outlook.area.value, lang),
            area_median=multiple(float(result.area.percentile(50)[index]), lang),
            area_status=goal_status(outlook.area, lang, int(outlook.projection.years[-1])).lower(),
            jobs=number(outlook.jobs.value, lang),
            jobs_median=number(float(result.jobs.percentile(50)[index]), lang),
            jobs_status=goal_status(outlook.jobs, lang, int(outlook.projection.years[-1])).lower(),
        )
    )
    labels = series_labels(lang, "")
    target_year = outlook.area.year
    st.subheader(text("risk_fans", lang))
    for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
        goal = pd.DataFrame({"year": [target_year], "value": [metric.of(result).target / metric.goal_scale]})
        shape = fan_chart(labels, text(metric.fan_title, lang), lang == "ru")
        column.vega_lite_chart(fill(shape, bands=_fan(result, metric, lang), goal=goal), width="stretch")

    st.subheader(text("risk_histograms", lang, year=target_year))
    for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
        distribution = metric.of(result)
        scale, decimals = metric.goal_scale, metric.decimals
        shape = histogram_chart(text(metric.fan_title, lang), text("share_of_draws", lang), lang == "ru")
        bins = _bins(distribution, scale, decimals, lang)
        goal = pd.DataFrame({"value": [distribution.target / scale]})
        column.vega_lite_chart(fill(shape, bins=bins, goal=goal), width="stretch")

    st.subheader(text("risk_tornado", lang, year=target_year))
    st.caption(text("tornado_hint", lang))
    # Jobs first: the goal the tornado is read for most often.
    for column, metric in zip(st.columns(len(METRICS)), (JOBS, AREA), strict=True):
        base = metric.of(outlook).value / metric.goal_scale
        bars = _tornado(dataset, swings[metric.key], metric, lang)
        shape = tornado_chart(text(metric.fan_title, lang), lang == "ru", len(bars))
        column.vega_lite_chart(fill(shape, bars=bars, base=pd.DataFrame({"value": [base]})), width="stretch")

    st.subheader(text("what_must_be_true", lang))
    st.caption(
        text(
            "what_must_be_true_hint",
            lang,
            area=multiple(outlook.area.target, lang),
            jobs=number(outlook.jobs.target, lang),
            year=target_year,
        )
    )
    sharing.table(requirements_table(dataset, needed, outlook, lang))
