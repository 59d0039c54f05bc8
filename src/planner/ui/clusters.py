"""Clusters tab: stacked floor area and jobs by cluster, and the target year's table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.chartdata import series_labels
from planner.charts import fill, stacked_area_chart, waterfall_chart
from planner.export import cluster_frame
from planner.gap import ClusterGap, cluster_gaps, goal_increment
from planner.i18n import number, signed, text
from planner.metrics import METRICS
from planner.outlook import Outlook
from planner.ui import sharing


def waterfall_steps(
    gaps: tuple[ClusterGap, ...], names: dict[str, str], goal: float, scale: float, decimals: int, lang: str
) -> pd.DataFrame:
    """Goal → each cluster's gap → the scenario's value, as floating bars."""
    rows = [
        {"label": text("gap_goal", lang), "start": 0.0, "end": goal / scale, "kind": "total", "delta": goal / scale}
    ]
    level = goal / scale
    for g in gaps:
        if abs(g.gap) < 1e-9:
            continue
        rows.append(
            {
                "label": names[g.key],
                "start": level,
                "end": level - g.gap / scale,
                "kind": "short" if g.gap > 0 else "ahead",
                "delta": -g.gap / scale,
            }
        )
        level -= g.gap / scale
    rows.append({"label": text("gap_scenario", lang), "start": 0.0, "end": level, "kind": "total", "delta": level})
    frame = pd.DataFrame(rows)
    frame["order"] = range(len(frame))
    frame["top"] = frame[["start", "end"]].max(axis=1)
    signed_text = [
        number(d, lang, decimals) if k == "total" else signed(d, lang, decimals)
        for d, k in zip(frame["delta"], frame["kind"], strict=True)
    ]
    frame["text"] = signed_text
    return frame


def render_gaps(outlook: Outlook, reference: Outlook, names: dict[str, str], lang: str) -> None:
    missed = [r for r in (outlook.area, outlook.jobs) if not r.met]
    st.subheader(text("gap_title", lang))
    if not missed:
        st.caption(text("gap_none", lang))
        return
    st.caption(text("gap_hint", lang))
    for result in missed:
        metric = result.outcome
        scale, decimals = metric.level_scale, metric.decimals
        gaps = cluster_gaps(outlook, reference, metric)
        title = text(metric.gap_axis, lang)
        chart, table = st.columns([3, 2])
        steps = waterfall_steps(gaps, names, goal_increment(outlook, metric), scale, decimals, lang)
        chart.vega_lite_chart(fill(waterfall_chart(title, lang == "ru"), steps=steps), width="stretch")
        with table:
            sharing.table(
                pd.DataFrame(
                    {
                        text("cluster", lang): [names[g.key] for g in gaps],
                        text("gap_expected", lang): [number(g.expected / scale, lang, decimals) for g in gaps],
                        text("gap_achieved", lang): [number(g.achieved / scale, lang, decimals) for g in gaps],
                        text("gap_gap", lang): [signed(-g.gap / scale, lang, decimals) for g in gaps],
                    }
                ),
                hide_index=True,
            )


def render(outlook: Outlook, reference: Outlook, lang: str, preset_label: str) -> None:
    labels = series_labels(lang, preset_label)
    names = {c.key: c.name(lang) for c in outlook.zone.clusters}
    order = list(names.values())
    frame = cluster_frame(outlook)
    frame["cluster"] = frame["cluster"].map(names)
    frame["order"] = frame["cluster"].map({name: i for i, name in enumerate(order)})
    for metric in METRICS:
        data = frame[["year", "cluster", "order"]].assign(value=frame[metric.level_field] / metric.level_scale)
        data["text"] = [number(v, lang, metric.decimals) for v in data["value"]]
        title = text(metric.cluster_title, lang)
        shape = stacked_area_chart(labels, title, text("cluster", lang), tuple(order), lang == "ru")
        st.vega_lite_chart(fill(shape, clusters=data), width="stretch")

    year = outlook.area.year
    table = frame[frame["year"] == year].set_index("cluster")
    st.caption(text("clusters_table_caption", lang, year=year))
    sharing.table(
        pd.DataFrame(
            {
                text(label, lang): [number(v, lang) for v in table[field]]
                for label, field in (
                    ("col_floor_area", "floor_area_m2"),
                    ("col_occupied", "occupied_m2"),
                    ("col_jobs", "jobs"),
                )
            },
            index=table.index.rename(text("cluster", lang)),
        )
    )
    render_gaps(outlook, reference, names, lang)
