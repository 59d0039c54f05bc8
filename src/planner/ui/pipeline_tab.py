"""Projects tab: how much of what the floor-area goal still needs is in named projects."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from planner import pipeline, project_rows
from planner.charts import coverage_chart, fill
from planner.i18n import million_m2, number, percent, text
from planner.outlook import Outlook
from planner.scenario import Scenario
from planner.sources import source_text
from planner.ui import sharing, state
from planner.zone import STATUSES, DataError, Zone


def _bars(found: pipeline.Coverage, start: int, year: int, lang: str) -> pd.DataFrame:
    """The named floor area open by the end of each year, by status, in million m²; the
    target year's bar topped by what is not yet identified."""
    labels = [text(f"status_{status}", lang) for status in STATUSES]
    rows = []
    for shown in range(start + 1, year + 1):
        for order, status in enumerate(STATUSES):
            m2 = sum(v for y, s, v in found.by_year if s == status and y <= shown)
            rows.append({"year": shown, "status": labels[order], "order": order, "value": m2 / 1e6})
    rows.append(
        {
            "year": year,
            "status": text("not_identified", lang),
            "order": len(STATUSES),
            "value": found.unidentified_m2 / 1e6,
        }
    )
    frame = pd.DataFrame(rows)
    frame["text"] = [number(v, lang, 2) for v in frame["value"]]
    return frame


def _editor(zone: Zone, scenario: Scenario, lang: str) -> None:
    """The analyst's own list: edit, add or remove rows, then apply. The rows are read by
    the zone schema, as an uploaded file's; a refusal names its row and keeps the list."""
    st.subheader(text("pipeline_edit_title", lang))
    st.caption(text("pipeline_edit_hint", lang))
    current = pipeline.projects_of(zone, scenario)
    frame = pd.DataFrame(project_rows.to_rows(current), columns=list(project_rows.FIELDS))
    version = st.session_state.get(f"{state.EDITOR}_version", 0)
    labels = {name: text(f"project_field_{name}", lang) for name in project_rows.FIELDS}
    config: dict[str, Any] = {name: st.column_config.TextColumn(label) for name, label in labels.items()}
    config["status"] = st.column_config.SelectboxColumn(labels["status"], options=list(STATUSES))
    config["cluster"] = st.column_config.SelectboxColumn(labels["cluster"], options=[c.key for c in zone.clusters])
    edited = st.data_editor(
        frame, num_rows="dynamic", hide_index=True, key=f"{state.EDITOR}_{version}", column_config=config
    )
    apply, reset = st.columns(2)
    if apply.button(text("pipeline_apply", lang), width="stretch"):
        rows = edited.astype(object).where(edited.notna(), "").values.tolist()
        where = text("pipeline_edit_where", lang)
        try:
            projects = project_rows.from_rows(zone, rows, where)
            project_rows.fits_a_link(projects, zone.projects, where)
        except DataError as error:
            st.error(text("pipeline_edit_error", lang, error=sharing.plain(error.text(lang))), icon=":material/error:")
            return
        state.set_pipeline(zone.key, projects)
        st.rerun()
    if scenario.pipeline is not None and reset.button(text("pipeline_reset", lang), width="stretch"):
        state.set_pipeline(zone.key, None)
        st.rerun()


def render(outlook: Outlook, lang: str) -> None:
    zone, scenario = outlook.zone, outlook.scenario
    goal = zone.goal("floor_area")
    found = pipeline.coverage(zone, scenario, goal)
    names = {part.key: part.name(lang) for part in (*zone.parts, zone)}
    st.caption(text("pipeline_intro", lang, year=goal.year, start=zone.jump_off_year))
    cards = st.columns(4)
    cards[0].metric(text("pipeline_needed", lang, start=zone.jump_off_year), million_m2(found.needed_m2, lang))
    cards[1].metric(text("pipeline_named", lang, year=goal.year), million_m2(found.named_m2, lang))
    cards[2].metric(text("pipeline_coverage", lang), percent(found.share * 100, lang, 0))
    cards[3].metric(text("pipeline_unidentified", lang), million_m2(found.unidentified_m2, lang))
    st.caption(
        text(
            "pipeline_expected",
            lang,
            expected=million_m2(found.expected_m2, lang),
            year=goal.year,
            announced=percent(scenario.number("complete_announced"), lang, 0),
            slip=number(scenario.number("slip_announced"), lang, 1),
        )
    )
    order = (*(text(f"status_{status}", lang) for status in STATUSES), text("not_identified", lang))
    shape = coverage_chart(
        text("pipeline_chart", lang), text("axis_year", lang), text("col_status", lang), order, lang == "ru"
    )
    bars = _bars(found, zone.jump_off_year, goal.year, lang)
    need = pd.DataFrame({"value": [found.needed_m2 / 1e6]})
    st.vega_lite_chart(fill(shape, bars=bars, need=need), width="stretch")

    area, latest = pipeline.new_projects_needed(zone, scenario, goal)
    st.subheader(text("pipeline_seek_title", lang))
    st.caption(
        text(
            "pipeline_seek",
            lang,
            area=million_m2(area, lang),
            rate=percent(scenario.number("complete_announced"), lang, 0),
            latest=latest,
            year=goal.year,
        )
    )

    st.subheader(text("pipeline_sites", lang))
    sharing.table(
        pd.DataFrame(
            {
                text("col_zone", lang): [names[line.zone] for line in found.sites],
                text("col_site", lang): [source_text(line.site, lang) for line in found.sites],
                text("col_projects", lang): [line.projects for line in found.sites],
                text("col_by_target", lang, year=goal.year): [
                    number(line.by_target / 1e6, lang, 2) for line in found.sites
                ],
                text("col_later", lang, year=goal.year): [number(line.later / 1e6, lang, 2) for line in found.sites],
            }
        ),
        hide_index=True,
    )
    projects = [(part, part_scenario) for part, part_scenario in ((p, scenario.part(p.key)) for p in zone.parts)]
    for part, part_scenario in projects or [(zone, scenario)]:
        listed = pipeline.projects_of(part, part_scenario)
        if not listed:
            continue
        if zone.parts:
            st.markdown(f"**{sharing.plain(part.name(lang))}**")
        sharing.table(
            pd.DataFrame(
                {
                    text("col_project", lang): [p.name(lang) for p in listed],
                    text("col_site", lang): [source_text(p.site, lang) for p in listed],
                    text("col_status", lang): [text(f"status_{p.status}", lang) for p in listed],
                    text("col_floor_area", lang): [number(p.floor_area_m2, lang) for p in listed],
                    text("col_opening", lang): [
                        str(p.year) if p.first_year == p.year else f"{p.first_year}–{p.year}" for p in listed
                    ],
                    text("col_jobs", lang): ["" if p.jobs is None else number(p.jobs, lang) for p in listed],
                    text("col_source", lang): [source_text(p.source, lang) for p in listed],
                }
            ),
            hide_index=True,
        )
    if not zone.parts:
        _editor(zone, scenario, lang)
    else:
        st.caption(text("pipeline_edit_parts", lang))
