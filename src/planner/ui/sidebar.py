"""Sidebar: language, zone, preset, jobs-goal reading and every registry parameter."""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from planner.data import Dataset
from planner.hosting import upper_bound
from planner.i18n import LANGUAGES, number, text
from planner.links import JOBS_GOAL, LANG, PRESET, ZONE, Link
from planner.present import option_label, param_label, param_value
from planner.scenario import GROUPS, Param, Scenario, Value
from planner.ui import sharing, state
from planner.ui.sharing import plain
from planner.zone import Zone

MAX_SLIDER_STEPS = 10_000
# Typed entry shows the value the model uses, digit for digit (12345, 28.4712): the
# front end prints `%g` through toPrecision and drops the trailing zeros.
EXACT = "%.15g"


@dataclass(frozen=True)
class Choices:
    link: Link  # what the controls say: view settings and the scenario
    preset_scenario: Scenario  # the chosen preset for the chosen zone, the dashed baseline


def _label(param: Param, lang: str) -> str:
    # A cluster's share is labelled with the cluster's name, which may come from an upload:
    # the widget renders its label as Markdown, so the label is escaped here.
    return sharing.plain(param_label(param, lang))


def _applies(param: Param, zone: Zone) -> bool:
    """Zones together take only the shared parameters; the shocks' correlation is theirs alone."""
    return param.shared if zone.parts else param.key != "correlation"


def _bubble_beside(param: Param, label: str, lang: str) -> str:
    """The label with the value as the reader's language writes it, where the widget's own
    number (printf-formatted by the browser: "23.22", "7300") does not: a slider's key, not
    its label, is its identity, so the label may change with every move."""
    current = st.session_state.get(param.key)
    if current is None:
        return label
    shown = param_value(param, current, lang)
    widget = f"{int(current)}" if param.whole else f"{float(current):.{param.decimals}f}"
    return label if shown == widget else f"{label} · {shown}"


def _widget(param: Param, default: Value, lang: str, typed: bool) -> Value:
    if param.is_choice:
        return st.selectbox(
            _label(param, lang),
            param.options,
            index=param.options.index(str(default)),
            key=param.key,
            format_func=lambda option: option_label(param, option, lang),
            help=sharing.plain(param.help(lang)),
        )
    label, tip = _bubble_beside(param, _label(param, lang), lang), sharing.plain(param.help(lang))
    # Typed entry shares the slider's key, so the two always hold the same value; a seed has
    # too many steps to drag and is always typed.
    entry = typed or (param.max - param.min) / param.step > MAX_SLIDER_STEPS
    if param.whole:
        low, high, step, now = int(param.min), int(upper_bound(param)), int(param.step), int(default)
        if entry:
            return st.number_input(label, low, high, now, step, format="%d", key=param.key, help=tip)
        return st.slider(label, low, high, now, step, format="%d", key=param.key, help=tip)
    bottom, top, stride, value = float(param.min), float(upper_bound(param)), float(param.step), float(default)
    if entry:
        return st.number_input(label, bottom, top, value, stride, format=EXACT, key=param.key, help=tip)
    return st.slider(label, bottom, top, value, stride, format=f"%.{param.decimals}f", key=param.key, help=tip)


LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}


def _chosen(value: object) -> str:
    """A select box's or radio's value: one of its options, as it has options and no placeholder."""
    if not isinstance(value, str):
        raise TypeError(f"expected one of the options, got {value!r}")
    return value


def render(dataset: Dataset) -> Choices:
    with st.sidebar:
        lang = _chosen(
            st.radio("Язык · Language", LANGUAGES, horizontal=True, key=LANG, format_func=LANGUAGE_NAMES.__getitem__)
        )
        share_slot = st.container()  # filled once the scenario is known, but shown near the top
        zone_key = _chosen(
            st.selectbox(
                text("zone", lang),
                [z.key for z in dataset.zones],
                key=ZONE,
                format_func=lambda key: dataset.zone(str(key)).name(lang),
                on_change=state.change_zone,
                args=(dataset,),
            )
        )
        zone = dataset.zone(zone_key)
        preset_key = _chosen(
            st.selectbox(
                text("preset", lang),
                [p.key for p in dataset.presets],
                key=PRESET,
                format_func=lambda key: dataset.preset(str(key)).label(lang),
                on_change=state.apply_preset,
                args=(dataset,),
            )
        )
        st.caption(dataset.preset(preset_key).description(lang))
        readings = zone.goal_readings("new_jobs")
        options = [g.reading for g in readings]
        default_reading = zone.goal("new_jobs").reading
        if st.session_state.get(JOBS_GOAL) not in options:
            st.session_state[JOBS_GOAL] = default_reading
        jobs_reading = _chosen(
            st.selectbox(
                text("jobs_goal", lang),
                options,
                index=options.index(default_reading),
                key=JOBS_GOAL,
                format_func=lambda reading: zone.goal("new_jobs", str(reading)).label(lang),
            )
        )

        typed = st.toggle(
            text("typed_entry", lang),
            key=state.TYPED,
            on_change=state.keep_values,
            args=(dataset,),
            help=text("typed_entry_help", lang),
        )
        preset_scenario = dataset.scenario(zone_key, preset_key)
        values: dict[str, Value] = {}
        if zone.parts:
            st.caption(text("parts_own", lang, zones=", ".join(plain(part.name(lang)) for part in zone.parts)))
        for group in GROUPS:
            # Zones together set only what means the same in every zone; one zone has no
            # partner to correlate with.
            params = tuple(p for p in dataset.registry.in_group(group) if _applies(p, zone))
            if not params:
                continue
            # Like the tabs, a closed group builds nothing: its sliders would otherwise cost
            # every rerun. Opening it reruns the page with its widgets.
            section = state.section(text(f"group_{group}", lang), group)
            with section:
                if not section.open:
                    values.update({p.key: state.kept(p, preset_scenario[p.key]) for p in params})
                    continue
                for param in params:
                    if group == "pipeline" and param.key != "basis" and values.get("basis") == "top_down":
                        # The projects' settings act only on a forecast from the projects.
                        values[param.key] = state.kept(param, preset_scenario[param.key])
                        continue
                    values[param.key] = _widget(param, preset_scenario[param.key], lang, typed)
                if group == "mix":
                    total = sum(float(values[key]) for key in dataset.registry.mix_keys)
                    if abs(total - 100) > 1e-9:
                        st.caption(text("mix_total", lang, total=number(total, lang)))
        scenario = preset_scenario.with_values(dataset.registry, values)
        edited = state.pipeline(zone_key)
        if edited is not None and not zone.parts:  # the analyst's own projects, from the Projects tab
            scenario = replace(scenario, pipeline=edited)
        link = Link(zone_key, preset_key, lang, jobs_reading, scenario)
        st.button(text("reset", lang), on_click=state.apply_preset, args=(dataset,), width="stretch")
        with share_slot:
            sharing.render_share(dataset, link, lang)
        st.caption(
            text(
                "data_version", lang, version=dataset.version, jump_off=zone.jump_off_year, target_year=zone.target_year
            )
        )
        st.caption(text("methodology_link", lang))
    return Choices(link, preset_scenario)
