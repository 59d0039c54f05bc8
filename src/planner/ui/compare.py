"""Compare tab: pin scenarios under a name and see them side by side.

A pin is saved to the team library as an entry of its own when the library is reachable
and the saver is known, and the address bar's `pins=` names it, so the comparison survives a
reload and can be shared; otherwise it lives in the session alone, and says so."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from planner.chartdata import series_labels
from planner.charts import comparison_chart, fill
from planner.data import Dataset
from planner.i18n import million_m2, multiple, number, percent, text, year
from planner.library.errors import LibraryError, LibraryUnavailable
from planner.library.records import Draft, Identity
from planner.library.scenarios import draft, reopen
from planner.links import PINNED, Link, Rejected
from planner.metrics import METRICS, Metric
from planner.outlook import Outlook
from planner.present import param_label, param_value
from planner.risk import RiskResult
from planner.summary import Summary
from planner.ui import cache, library_access, own_zone, saved, sharing, state

PINS = "pins"
PIN_NAME = "pin_name"
MAX_PINS = 6
MAX_NAME = 40
DIFFERS = "background-color: #fff3c4"
ROW_HEIGHT = 35  # st.dataframe's row height in pixels: show every row without scrolling


PIN_RESULT = "pin_result"  # what became of the last pin, said on the next run


@dataclass(frozen=True)
class Pin:
    name: str
    link: Link
    version_id: str | None = None  # the library version it is, when saved there


def pins() -> list[Pin]:
    return st.session_state.setdefault(PINS, [])


def library_pins() -> tuple[str, ...]:
    """The library versions pinned, for the address bar."""
    return tuple(p.version_id for p in pins() if p.version_id is not None)


def add(pin: Pin) -> bool:
    """Pin `pin` unless the comparison is full or already holds that version."""
    existing = pins()
    if len(existing) >= MAX_PINS or (pin.version_id is not None and pin.version_id in library_pins()):
        return False
    taken = {p.name for p in existing}
    unique, n = pin.name, 2
    while unique in taken:
        unique, n = f"{pin.name} ({n})", n + 1
    existing.append(replace(pin, name=unique))
    return True


def restore_pins(dataset: Dataset) -> None:
    """The pins a reopened address names, read back from the library; a pin that cannot be
    read is left out and named in the link's notice."""
    wanted = saved.pinned_ids()
    if not wanted:
        return
    lang = state.lang()
    missing: list[Rejected] = []
    try:
        library = library_access.open_library()
        for version_id in wanted:
            try:
                version = library.version(version_id)
                reopened = reopen(dataset, version, lang)
            except LibraryUnavailable:
                raise
            except LibraryError as error:
                missing.append(Rejected(PINNED, version_id, error.message(lang)))
                continue
            if reopened.dataset.digest != dataset.digest:  # saved on data this session does not have open
                missing.append(Rejected(PINNED, version_id, text("pin_other_zone", lang)))
                continue
            add(Pin(version.entry_name[:MAX_NAME], reopened.link, version.head.id))
    except LibraryError as error:
        missing.append(Rejected(PINNED, ".".join(wanted), error.message(lang)))
    if missing:
        st.session_state[sharing.NOTICE] = (*st.session_state.get(sharing.NOTICE, ()), *missing)


def _save_pin(who: Identity, name: str, note: str, saved_draft: Draft) -> str:
    """Save a pin as a library entry; a name the author already has gets a number, as a
    pin's name does in the comparison."""
    library = library_access.open_library()
    for n in range(1, 10):
        try:
            return library.save(who, name if n == 1 else f"{name} ({n})", note, saved_draft).head.id
        except LibraryError as error:
            if error.key != "library_name_taken":
                raise
    raise LibraryError("library_name_taken", name=name)


def _pin(dataset: Dataset, link: Link, summary: Summary, fallback: str) -> None:
    if len(pins()) >= MAX_PINS:
        return
    lang = state.lang()
    name = str(st.session_state.get(PIN_NAME, "")).strip()[:MAX_NAME] or fallback
    who = library_access.identity()
    version_id = None
    if who is None:
        st.session_state[PIN_RESULT] = ("info", text("pin_session_only_anonymous", lang))
    else:
        try:
            version_id = _save_pin(who, name, text("pin_note", lang), draft(dataset, link, summary, own_zone.file()))
        except LibraryError as error:
            st.session_state[PIN_RESULT] = ("warning", text("pin_session_only", lang, reason=error.message(lang)))
    add(Pin(name, link, version_id))
    st.session_state[PIN_NAME] = ""


def _remove(index: int) -> None:
    pins().pop(index)


def _restore(dataset: Dataset, pin: Pin) -> None:
    state.apply_link(dataset, replace(pin.link, lang=state.lang()))
    if pin.version_id is not None:  # the address bar shows the pin's short link again
        st.session_state[saved.OPENED] = saved.Opened(pin.version_id, pin.link)


def comparison_table(
    dataset: Dataset, pinned: list[Pin], outlooks: list[Outlook], odds: list[RiskResult], lang: str
) -> pd.DataFrame:
    """Rows: the outcomes and their probabilities, view settings, every parameter; one column
    per pin (as text)."""
    rows: dict[str, list[str]] = {
        text("compare_area", lang): [
            f"{million_m2(float(o.projection.floor_area_m2[o.projection.year_index(o.area.year)]), lang)} · "
            f"{multiple(o.area.value, lang)}"
            for o in outlooks
        ],
        text("compare_area_year", lang): [year(o.area.year_met, lang) for o in outlooks],
        text("compare_jobs", lang): [f"{number(o.jobs.value, lang)} / {number(o.jobs.target, lang)}" for o in outlooks],
        text("compare_jobs_year", lang): [year(o.jobs.year_met, lang) for o in outlooks],
        text("library_p_area", lang): [percent(100 * r.area.probability, lang, 0) for r in odds],
        text("library_p_jobs", lang): [percent(100 * r.jobs.probability, lang, 0) for r in odds],
        text("library_p_both", lang): [percent(100 * r.probability_both, lang, 0) for r in odds],
        text("zone", lang): [dataset.zone(p.link.zone).name(lang) for p in pinned],
        text("preset", lang): [dataset.preset(p.link.preset).label(lang) for p in pinned],
        text("jobs_goal", lang): [
            dataset.zone(p.link.zone).goal("new_jobs", p.link.jobs_goal).label(lang) for p in pinned
        ],
    }
    for param in dataset.registry:
        rows[param_label(param, lang)] = [param_value(param, p.link.scenario[param.key], lang) for p in pinned]
    return pd.DataFrame.from_dict(rows, orient="index", columns=[p.name for p in pinned])


def _highlight_differences(frame: pd.DataFrame) -> pd.DataFrame:
    differs = frame.nunique(axis=1) > 1
    return pd.DataFrame([[DIFFERS if d else "" for _ in frame.columns] for d in differs], frame.index, frame.columns)


def _chart_frame(pinned: list[Pin], outlooks: list[Outlook], metric: Metric, lang: str) -> pd.DataFrame:
    parts = []
    for pin, outlook in zip(pinned, outlooks, strict=True):
        values = metric.level(outlook.projection) / metric.level_scale
        part = pd.DataFrame({"year": outlook.projection.years, "value": values, "series": pin.name})
        part["text"] = [number(v, lang, metric.decimals) for v in part["value"]]
        parts.append(part)
    return pd.concat(parts)


def render(dataset: Dataset, link: Link, summary: Summary, lang: str) -> None:
    pinned = pins()
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.text_input(text("pin_name", lang), key=PIN_NAME, max_chars=MAX_NAME, placeholder=text("pin_placeholder", lang))
    right.button(
        text("pin", lang),
        on_click=_pin,
        args=(dataset, link, summary, text("pin_default", lang, n=len(pinned) + 1)),
        disabled=len(pinned) >= MAX_PINS,
        icon=":material/push_pin:",
        width="stretch",
    )
    st.caption(text("pin_library_hint", lang))
    result = st.session_state.pop(PIN_RESULT, None)
    if result is not None:
        kind, message = result
        (st.warning if kind == "warning" else st.info)(sharing.plain(message))
    if len(pinned) >= MAX_PINS:
        st.caption(text("pin_limit", lang, n=MAX_PINS))
    if not pinned:
        st.info(text("pin_empty", lang))
        return
    outlooks = [cache.outlook(dataset, p.link.zone, p.link.scenario, p.link.jobs_goal) for p in pinned]
    odds = [cache.risk(dataset, p.link.zone, p.link.scenario, p.link.jobs_goal) for p in pinned]
    table = comparison_table(dataset, pinned, outlooks, odds, lang)
    st.dataframe(
        table.style.apply(_highlight_differences, axis=None), width="stretch", height=ROW_HEIGHT * (len(table) + 1) + 3
    )
    st.caption(text("compare_hint", lang))
    labels = series_labels(lang, "")
    for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
        shape = comparison_chart(labels, text(metric.title, lang), lang == "ru")
        column.vega_lite_chart(fill(shape, pins=_chart_frame(pinned, outlooks, metric, lang)), width="stretch")
    for index, pin in enumerate(pinned):
        with st.container(border=True):
            name, load, remove = st.columns([4, 1, 1], vertical_alignment="center")
            name.markdown(f"**{sharing.plain(pin.name)}**")
            if pin.version_id is None:
                name.caption(text("pin_not_saved", lang))
            name.code(sharing.full_link(dataset, pin.link), language=None, wrap_lines=True)
            load.button(
                text("pin_restore", lang),
                key=f"restore_{index}",
                on_click=_restore,
                args=(dataset, pin),
                width="stretch",
            )
            remove.button(
                text("pin_remove", lang), key=f"remove_{index}", on_click=_remove, args=(index,), width="stretch"
            )
