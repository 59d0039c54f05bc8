"""The page: data → sidebar → scenario → headline and the open tab."""

from __future__ import annotations

import streamlit as st

from planner.data import DataError
from planner.i18n import text
from planner.ui import assumptions, cache, clusters, headline, sidebar, state, trajectory


def main() -> None:
    try:
        dataset = cache.dataset()
    except DataError as error:
        st.error(text("data_error", state.lang(), error=error))
        st.stop()
    choices = sidebar.render(dataset)
    lang = choices.lang
    st.title(text("app_title", lang))
    st.caption(text("app_subtitle", lang))

    outlook = cache.outlook(dataset, dataset.version, choices.zone, choices.scenario, choices.jobs_reading)
    headline.render(outlook, lang)

    preset_label = dataset.preset(choices.preset).label(lang)
    tabs = st.tabs(
        [text("tab_trajectory", lang), text("tab_clusters", lang), text("tab_assumptions", lang)],
        key=state.TAB,
        on_change="rerun",
    )
    # Only the open tab is built: hidden tabs would otherwise cost a chart build each rerun.
    with tabs[0]:
        if tabs[0].open:
            baseline = cache.outlook(
                dataset, dataset.version, choices.zone, choices.preset_scenario, choices.jobs_reading
            )
            trajectory.render(outlook, baseline, lang, preset_label)
    with tabs[1]:
        if tabs[1].open:
            clusters.render(outlook, lang, preset_label)
    with tabs[2]:
        if tabs[2].open:
            assumptions.render(dataset, outlook, choices.preset_scenario, choices.preset, lang)
