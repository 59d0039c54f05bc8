"""Session-state keys and the callbacks that move several widgets at once.

Widget keys are the link's own names (registry keys, `zone`, `preset`, …), so one name
serves the controls, the URL, files and the CLI. Callbacks run before the script, so the
widgets then render the new values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from planner.data import Dataset
from planner.hosting import within_limits
from planner.i18n import DEFAULT_LANGUAGE, LANGUAGES
from planner.links import DEFAULT_PRESET, JOBS_GOAL, LANG, PRESET, ZONE, Link
from planner.scenario import Param, Value
from planner.zone import Project

if TYPE_CHECKING:
    from streamlit.elements.lib.mutable_expander_container import ExpanderContainer

TAB = "tab"
VINTAGES = "vintages_open"  # the backtest's expander: its table is built only while open
TYPED = "typed"  # typed entry instead of sliders: a view preference, not part of the link
PIPELINE = "pipeline_edited"  # (zone key, the analyst's projects) or absent: the zone's own
EDITOR = "projects_editor"  # the editor's key prefix; a new version starts it afresh from the list


def pipeline(zone_key: str) -> tuple[Project, ...] | None:
    """The analyst's own projects for this zone, if any."""
    kept = st.session_state.get(PIPELINE)
    return kept[1] if isinstance(kept, tuple) and kept[0] == zone_key else None


def set_pipeline(zone_key: str, projects: tuple[Project, ...] | None) -> None:
    if projects is None:
        st.session_state.pop(PIPELINE, None)
    else:
        st.session_state[PIPELINE] = (zone_key, projects)
    st.session_state[f"{EDITOR}_version"] = st.session_state.get(f"{EDITOR}_version", 0) + 1


def current(key: str, default: str) -> str:
    value = st.session_state.get(key)
    return value if isinstance(value, str) else default


def lang() -> str:
    return current(LANG, DEFAULT_LANGUAGE)


def opening_lang() -> str:
    """The session's language, or the link's before any control exists (a page that stops
    on its first run still speaks the language the link asked for)."""
    if isinstance(st.session_state.get(LANG), str):
        return lang()
    asked = st.query_params.get(LANG)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def widget_value(param: Param, value: Value) -> Value:
    """A registry value in the type its widget expects (ints for whole-number sliders)."""
    if param.is_choice:
        return value
    return int(value) if param.whole else float(value)


OPEN_SECTIONS = "open_sections"  # the sidebar sections the user has open, a view preference
DEFAULT_OPEN_SECTIONS = ("construction",)


def section(label: str, name: str) -> ExpanderContainer:
    """A sidebar section that builds its content only while open (its `.open`), as the tabs
    do. Which sections are open is kept apart from the expanders: an expander's label is part
    of its identity, so a language switch would otherwise close them all."""
    return st.expander(
        label,
        expanded=name in st.session_state.get(OPEN_SECTIONS, DEFAULT_OPEN_SECTIONS),
        key=f"section_{name}",
        on_change=_remember_section,
        args=(name,),
    )


def _remember_section(name: str) -> None:
    opened = set(st.session_state.get(OPEN_SECTIONS, DEFAULT_OPEN_SECTIONS))
    if st.session_state[f"section_{name}"]:
        opened.add(name)
    else:
        opened.discard(name)
    st.session_state[OPEN_SECTIONS] = tuple(sorted(opened))


def kept(param: Param, default: Value) -> Value:
    """The value of a parameter whose widget is not drawn in this run (its section is closed).
    Writing the value back keeps it: Streamlit forgets the state of widgets not drawn."""
    value = st.session_state.get(param.key, widget_value(param, default))
    st.session_state[param.key] = value
    return value


def apply_preset(dataset: Dataset) -> None:
    """Set every parameter widget to the chosen preset's value for the chosen zone."""
    scenario = dataset.scenario(current(ZONE, dataset.zones[0].key), current(PRESET, DEFAULT_PRESET))
    for param in dataset.registry:
        st.session_state[param.key] = widget_value(param, scenario[param.key])


def change_zone(dataset: Dataset) -> None:
    st.session_state[JOBS_GOAL] = dataset.zone(current(ZONE, dataset.zones[0].key)).goal("new_jobs").reading
    apply_preset(dataset)


def apply_link(dataset: Dataset, link: Link) -> None:
    """Put a whole link or file scenario into the controls."""
    st.session_state[LANG] = link.lang
    st.session_state[ZONE] = link.zone
    st.session_state[PRESET] = link.preset
    st.session_state[JOBS_GOAL] = link.jobs_goal
    set_pipeline(link.zone, link.scenario.pipeline)
    scenario = within_limits(dataset.registry, link.scenario)  # a widget refuses a value above its max
    for param in dataset.registry:
        st.session_state[param.key] = widget_value(param, scenario[param.key])


def keep_values(dataset: Dataset) -> None:
    """Carry every value across a switch between sliders and typed entry: the new widget
    type starts from the session's value, not from its default."""
    for param in dataset.registry:
        if param.key in st.session_state:
            st.session_state[param.key] = st.session_state[param.key]
