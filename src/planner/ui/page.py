"""The page: data → sidebar → scenario → headline and the open tab."""

from __future__ import annotations

import streamlit as st

from planner import sanity
from planner.i18n import LANGUAGES, text
from planner.summary import summarise
from planner.ui import (
    assumptions,
    cache,
    clusters,
    compare,
    downloads,
    headline,
    library_tab,
    own_zone,
    pipeline_tab,
    risk_tab,
    saved,
    sharing,
    sidebar,
    state,
    style,
    trajectory,
    warnings,
)
from planner.zone import DataError

TABS = ("trajectory", "clusters", "pipeline", "risk", "compare", "library", "assumptions", "export")


def _keep_tab(lang: str) -> None:
    """The open tab across a language switch: the tabs' state is the open tab's label, which
    the switch changes, so it is carried over to the same tab's label in the new language."""
    shown = st.session_state.get(state.TAB)
    for name in TABS:
        if shown in {text(f"tab_{name}", other) for other in LANGUAGES}:
            st.session_state[state.TAB] = text(f"tab_{name}", lang)
            return


def main() -> None:
    style.apply()
    try:
        data = cache.dataset()
    except DataError as error:
        st.error(
            text("data_error", state.opening_lang(), error=sharing.plain(error.text(state.opening_lang()))),
            icon=":material/error:",
        )
        st.stop()
    bundled = data.dataset
    library_tab.keep_typed()
    first_run = not st.session_state.get(sharing.CHECKED)
    sharing.restore_from_url(bundled)
    dataset = own_zone.active(bundled)
    if first_run:
        compare.restore_pins(dataset)
    choices = sidebar.render(dataset)
    link = choices.link
    sharing.write_url(dataset, link, compare.library_pins())
    lang = link.lang
    with st.sidebar:
        own_zone.render(bundled, lang)
    st.title(text("app_title", lang))
    st.caption(text("app_subtitle", lang))
    if data.stale is not None:
        st.warning(text("data_stale", lang, error=sharing.plain(data.stale.text(lang))), icon=":material/history:")
    sharing.render_notice(lang)
    saved.render_made_notice(dataset, lang)
    own_zone.render_banner(dataset, lang)

    outlook = cache.outlook(dataset, link.zone, link.scenario, link.jobs_goal)
    with st.spinner(text("simulating", lang), show_time=True):
        simulation = cache.risk(dataset, link.zone, link.scenario, link.jobs_goal)
    # Summarised once: the headline, the brief and the workbook all show these numbers.
    summary = summarise(dataset, outlook, simulation, choices.preset_scenario)
    # The jobs goal's other readings, each evaluated on the same projection's scenario.
    others = tuple(
        cache.outlook(dataset, link.zone, link.scenario, goal.reading).jobs
        for goal in outlook.zone.goal_readings("new_jobs")
        if goal.reading != link.jobs_goal
    )
    headline.render(outlook, summary, lang, others)
    warnings.render(sanity.check(dataset.rules, outlook.zone, link.scenario, outlook.projection), outlook, lang)

    preset_label = dataset.preset(link.preset).label(lang)
    _keep_tab(lang)
    tabs = st.tabs(
        [text(f"tab_{name}", lang) for name in TABS],
        key=state.TAB,
        on_change="rerun",
    )
    # Only the open tab is built: hidden tabs would otherwise cost a chart build each rerun.
    with tabs[0]:
        if tabs[0].open:
            baseline = cache.outlook(dataset, link.zone, choices.preset_scenario, link.jobs_goal)
            trajectory.render(outlook, baseline, simulation, lang, preset_label)
    with tabs[1]:
        if tabs[1].open:
            reference = cache.outlook(dataset, link.zone, choices.preset_scenario, link.jobs_goal)
            clusters.render(outlook, reference, lang, preset_label)
    with tabs[2]:
        if tabs[2].open:
            pipeline_tab.render(outlook, lang)
    with tabs[3]:
        if tabs[3].open:
            swings = cache.sensitivity(dataset, link.zone, link.scenario)
            needed = cache.requirements(dataset, link.zone, link.scenario, link.jobs_goal)
            risk_tab.render(dataset, outlook, simulation, swings, needed, lang)
    with tabs[4]:
        if tabs[4].open:
            compare.render(dataset, link, summary, lang)
    with tabs[5]:
        if tabs[5].open:
            library_tab.render(bundled, dataset, link, summary, lang)
    with tabs[6]:
        if tabs[6].open:
            assumptions.render(dataset, outlook, choices.preset_scenario, link.preset, lang, own_zone.file() is None)
    with tabs[7]:
        if tabs[7].open:
            baseline = cache.outlook(dataset, link.zone, choices.preset_scenario, link.jobs_goal)
            downloads.render(dataset, outlook, simulation, summary, baseline, link, lang)
