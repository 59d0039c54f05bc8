"""Assumptions & sources tab: every parameter and data number with its source."""

from __future__ import annotations

import re
from importlib import resources

import pandas as pd
import streamlit as st

from planner.data import Dataset
from planner.i18n import number, text
from planner.metrics import metric
from planner.outlook import Outlook, own_scenarios
from planner.present import param_value
from planner.scenario import Scenario
from planner.sources import source_text
from planner.ui import sharing
from planner.zone import Zone

# docs/methodology.md and its Russian, docs/methodology.ru.md, shipped in the package as
# `planner.documents` (pyproject.toml).
METHODOLOGY = {
    "en": resources.files("planner.documents") / "methodology.md",
    "ru": resources.files("planner.documents") / "methodology.ru.md",
}


def _optional(value: float | None, lang: str) -> str:
    return "—" if value is None else number(value, lang)


def _table(columns: dict[str, list[str]]) -> None:
    # st.table, not st.dataframe: sources are long sentences and must be readable in full.
    sharing.table(pd.DataFrame(columns), hide_index=True)


def parameters_table(
    dataset: Dataset, zone: Zone, scenario: Scenario, preset: Scenario, preset_label: str, lang: str
) -> dict[str, list[str]]:
    """One zone's parameters: its value, the preset's, whether changed, and the source."""
    sources = {item.key: source_text(item.source, lang) for item in zone.defaults}
    params = list(dataset.registry)
    return {
        text("col_parameter", lang): [p.label(lang) for p in params],
        text("col_key", lang): [p.key for p in params],
        text("col_value", lang): [param_value(p, scenario[p.key], lang) for p in params],
        text("col_unit", lang): [p.unit(lang) for p in params],
        text("col_preset_value", lang, preset=preset_label): [param_value(p, preset[p.key], lang) for p in params],
        text("col_changed", lang): ["●" if scenario[p.key] != preset[p.key] else "" for p in params],
        text("col_source", lang): [sources[p.key] for p in params],
    }


_URL = re.compile(r"https?://[^\s«»\"'()<>\[\]]+[^\s«»\"'()<>\[\].,;:]")


def addresses(zone: Zone) -> list[str]:
    """Every web address the zone's sources cite, once, in the order first cited."""
    notes = [item.source for item in zone.defaults] + [s.source for s in zone.baseline_sources]
    notes += [g.source for g in zone.goals] + [a.source for a in zone.actuals] + [c.source for c in zone.clusters]
    notes += [p.source for p in zone.projects]
    return list(dict.fromkeys(url for note in notes for url in _URL.findall(note)))


def _links(zone: Zone, lang: str) -> None:
    found = addresses(zone)
    if found:
        st.subheader(text("assumptions_links", lang))
        st.markdown("\n".join(f"- [{sharing.plain(url)}]({url})" for url in found))


def render(dataset: Dataset, outlook: Outlook, preset: Scenario, preset_key: str, lang: str, bundled: bool) -> None:
    zone = outlook.zone
    preset_info = dataset.preset(preset_key)
    st.subheader(text("assumptions_params", lang))
    own = own_scenarios(zone, outlook.scenario)
    for (part, scenario), (_, part_preset) in zip(own, own_scenarios(zone, preset), strict=True):
        if zone.parts:  # zones together: each zone's own values, the shared ones the same in all
            st.markdown(f"**{sharing.plain(part.name(lang))}**")
        _table(parameters_table(dataset, part, scenario, part_preset, preset_info.label(lang), lang))
    st.caption(f"{preset_info.label(lang)}: {preset_info.description(lang)} — {source_text(preset_info.source, lang)}")

    st.subheader(text("assumptions_baseline", lang))
    _table(
        {
            text("col_field", lang): [text(f"field_{s.key}", lang) for s in zone.baseline_sources],
            text("col_value", lang): [number(float(s.value), lang) if s.value else "" for s in zone.baseline_sources],
            text("col_source", lang): [source_text(s.source, lang) for s in zone.baseline_sources],
        }
    )

    st.subheader(text("assumptions_goals", lang))
    _table(
        {
            text("col_goal", lang): [g.label(lang) for g in zone.goals],
            text("col_base_year", lang): [str(g.base_year) for g in zone.goals],
            text("col_year", lang): [str(g.year) for g in zone.goals],
            text("col_target", lang): [
                number(g.level, lang) + " " + text(metric(g.metric).level_unit, lang) for g in zone.goals
            ],
            text("col_in_force", lang): [
                text("goal_in_force", lang)
                if g.superseded is None
                else text("goal_superseded", lang, year=g.superseded)
                for g in zone.goals
            ],
            text("col_source", lang): [source_text(g.source, lang) for g in zone.goals],
        }
    )

    st.subheader(text("assumptions_actuals", lang))
    _table(
        {
            text("col_year", lang): [str(a.year) for a in zone.actuals],
            text("col_floor_area", lang): [_optional(a.floor_area_m2, lang) for a in zone.actuals],
            text("col_jobs", lang): [_optional(a.jobs, lang) for a in zone.actuals],
            text("col_companies", lang): [_optional(a.companies, lang) for a in zone.actuals],
            text("col_source", lang): [source_text(a.source, lang) for a in zone.actuals],
        }
    )

    st.subheader(text("assumptions_clusters", lang))
    _table(
        {
            text("cluster", lang): [c.name(lang) for c in zone.clusters],
            text("col_share", lang): [number(c.base_share * 100, lang, 1) for c in zone.clusters],
            text("col_density", lang): [number(c.density, lang, 1) for c in zone.clusters],
            text("col_source", lang): [source_text(c.source, lang) for c in zone.clusters],
        }
    )
    if bundled:  # the planner's own data: its addresses are links; an upload's stay plain text
        _links(zone, lang)
    with st.expander(text("assumptions_methodology", lang)):
        st.markdown(METHODOLOGY.get(lang, METHODOLOGY["en"]).read_text(encoding="utf-8"))
