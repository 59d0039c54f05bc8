"""Clusters tab: stacked floor area and jobs by cluster, and the target year's table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.chartdata import AREA_SCALE, JOBS_SCALE, series_labels
from planner.charts import fill, stacked_area_chart
from planner.export import cluster_frame
from planner.i18n import number, text
from planner.outlook import Outlook


def render(outlook: Outlook, lang: str, preset_label: str) -> None:
    labels = series_labels(lang, preset_label)
    names = {c.key: c.name(lang) for c in outlook.zone.clusters}
    order = list(names.values())
    frame = cluster_frame(outlook)
    frame["cluster"] = frame["cluster"].map(names)
    frame["order"] = frame["cluster"].map({name: i for i, name in enumerate(order)})
    for field, scale, decimals, title in (
        ("floor_area_m2", AREA_SCALE, 2, "clusters_area_title"),
        ("jobs", JOBS_SCALE, 1, "clusters_jobs_title"),
    ):
        data = frame[["year", "cluster", "order"]].assign(value=frame[field] / scale)
        data["text"] = [number(v, lang, decimals) for v in data["value"]]
        shape = stacked_area_chart(labels, text(title, lang), text("cluster", lang), tuple(order), lang == "ru")
        st.vega_lite_chart(fill(shape, clusters=data), width="stretch")

    year = outlook.area.year
    table = frame[frame["year"] == year].set_index("cluster")
    st.caption(text("clusters_table_caption", lang, year=year))
    st.table(
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
