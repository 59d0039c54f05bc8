"""Library tab: save the scenario as a named, immutable version; find, open and compare
saved ones; the owner renames, annotates and archives. Everything read from the library is
user text and is shown plain (table cells, select options, `sharing.plain`)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from planner.data import Dataset
from planner.i18n import number, percent, text, year
from planner.library import snapshot
from planner.library.errors import LibraryError
from planner.library.limits import NAME_LENGTH
from planner.library.records import Entry, Identity, Version, VersionHead
from planner.library.scenarios import draft, reopen
from planner.library.texts import ANNOTATION_LENGTH, NOTE_LENGTH, SEARCH_LENGTH
from planner.links import Link
from planner.outlook import Outlook
from planner.summary import Summary, summarise
from planner.ui import cache, compare, library_access, own_zone, saved, sharing, state
from planner.versions import MODEL_VERSION

if TYPE_CHECKING:
    from planner.library.store import Library

NAME, NOTE, TARGET = "library_name", "library_note", "library_target"
QUERY, ZONE_FILTER, MINE, ARCHIVED, PAGE = (
    "library_query",
    "library_zone",
    "library_mine",
    "library_archived",
    "library_page",
)
CHOSEN_ENTRY, CHOSEN_VERSION = "library_entry", "library_version"
RENAME, ANNOTATION = "library_rename", "library_annotation"
SAVE = "library_save_button"
RESULT = "library_result"  # (kind, message) of the last action, said on the next run
PAGE_SIZE = 20
NEW = "new"


def _say(kind: str, message: str) -> None:
    st.session_state[RESULT] = (kind, message)


def _moment(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- saving -------------------------------------------------------------------------------------


def _save(dataset: Dataset, link: Link, summary: Summary) -> None:
    lang = state.lang()
    who = library_access.identity()
    if who is None:
        _say("error", text("library_who_first", lang))
        return
    target = st.session_state.get(TARGET, NEW)
    entry_id = None if target == NEW else target
    try:
        library = library_access.open_library()
        version = library.save(
            who,
            st.session_state.get(NAME, ""),
            st.session_state.get(NOTE, ""),
            draft(dataset, link, summary, own_zone.file()),
            entry_id,
        )
    except LibraryError as error:  # what was typed stays in the fields
        _say("error", error.message(lang))
        return
    st.session_state[NAME] = ""
    st.session_state[NOTE] = ""
    st.session_state[saved.OPENED] = saved.Opened(version.head.id, link, version.entry_name)
    st.session_state.pop(saved.MADE, None)  # what it is now made with is today's data and model
    st.session_state[CHOSEN_ENTRY] = version.head.entry_id
    st.session_state[CHOSEN_VERSION] = version.head.id
    _say("success", text("library_saved", lang, name=version.entry_name, number=version.head.number))


def _own_opened_entry(library: Library | None, who: Identity | None) -> Entry | None:
    """The entry of the version last opened or saved, when the saver owns it."""
    kept = st.session_state.get(saved.OPENED)
    if library is None or who is None or not isinstance(kept, saved.Opened):
        return None
    try:
        entry = library.entry(library.version(kept.version_id).head.entry_id)
    except LibraryError:  # gone or unreachable: a new entry is still possible
        return None
    return entry if entry.owner == who.owner else None


def _save_form(
    library: Library | None, who: Identity | None, dataset: Dataset, link: Link, summary: Summary, lang: str
) -> None:
    """Drawn even when the library is down, so what was typed stays in its fields."""
    st.subheader(text("library_save_title", lang))
    library_access.render_identity(lang)
    labels = {NEW: text("library_target_new", lang)}
    entry = _own_opened_entry(library, who)
    if entry is not None:
        # A radio's options render Markdown: the name is made plain.
        labels[entry.id] = text("library_target_version", lang, name=sharing.plain(entry.name))
    targets = list(labels)
    if st.session_state.get(TARGET) not in targets:
        st.session_state[TARGET] = NEW
    st.radio(text("library_target", lang), targets, key=TARGET, format_func=labels.__getitem__, horizontal=True)
    if st.session_state[TARGET] == NEW:
        st.text_input(text("library_name", lang), key=NAME, max_chars=NAME_LENGTH)
    st.text_area(text("library_note", lang), key=NOTE, max_chars=NOTE_LENGTH, height=80)
    st.button(
        text("library_save", lang),
        key=SAVE,
        on_click=_save,
        args=(dataset, link, summary),
        icon=":material/bookmark_add:",
        disabled=who is None or library is None,
        type="primary",
    )
    if who is None:
        st.caption(text("library_who_first", lang))


def keep_typed() -> None:
    """Keep what was typed into the library's fields while the tab is closed (Streamlit
    forgets the state of widgets not drawn): called at the top of every run."""
    for key in (library_access.AUTHOR, NAME, NOTE, ANNOTATION, RENAME):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


# -- the owner's changes --------------------------------------------------------------------------


def _change(action: str, entry_id: str) -> None:
    lang = state.lang()
    who = library_access.identity()
    if who is None:
        _say("error", text("library_who_first", lang))
        return
    try:
        library = library_access.open_library()
        if action == "rename":
            library.rename(who, entry_id, st.session_state.get(RENAME, ""))
        elif action == "annotate":
            library.annotate(who, entry_id, st.session_state.get(ANNOTATION, ""))
            st.session_state[ANNOTATION] = ""
        else:
            library.archive(who, entry_id, archived=action == "archive")
    except LibraryError as error:
        _say("error", error.message(lang))
        return
    _say("success", text(f"library_{action}d", lang))


def _open(bundled: Dataset, version_id: str) -> None:
    lang = state.lang()
    try:
        saved.open_version(bundled, version_id, lang)
    except LibraryError as error:
        _say("error", error.message(lang))
        return
    _say("success", text("library_opened", lang))


def _compare(bundled: Dataset, version_id: str) -> None:
    lang = state.lang()
    try:
        version = library_access.open_library().version(version_id)
        reopened = reopen(bundled, version, lang)
    except LibraryError as error:
        _say("error", error.message(lang))
        return
    if reopened.dataset.digest != own_zone.active(bundled).digest:  # Compare runs on the session's data
        _say("error", text("pin_other_zone", lang))
        return
    added = compare.add(compare.Pin(version.entry_name[: compare.MAX_NAME], reopened.link, version.head.id))
    _say("success" if added else "error", text("library_compared" if added else "library_compare_full", lang))


# -- browsing -------------------------------------------------------------------------------------


def _entries_table(found: tuple[Entry, ...], dataset: Dataset, lang: str) -> pd.DataFrame:
    zones = {z.key: z.name(lang) for z in dataset.zones}
    return pd.DataFrame(
        {
            text("library_col_name", lang): [e.name for e in found],
            text("library_col_author", lang): [e.author for e in found],
            text("zone", lang): [zones.get(e.zone, e.zone) for e in found],
            text("library_col_versions", lang): [e.version_count for e in found],
            text("library_col_updated", lang): [_moment(e.updated_at) for e in found],
        }
    )


def _versions_table(heads: tuple[VersionHead, ...], dataset: Dataset, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            text("library_col_version", lang): [h.number for h in heads],
            text("library_col_author", lang): [h.author for h in heads],
            text("library_col_saved", lang): [_moment(h.created_at) for h in heads],
            text("library_col_note", lang): [h.note for h in heads],
            text("library_col_data", lang): [h.data_version[:8] for h in heads],
            text("library_col_model", lang): [h.model_version for h in heads],
            text("library_col_app", lang): [h.app_version for h in heads],
        }
    )


def _then_and_now(bundled: Dataset, version: Version, lang: str) -> pd.DataFrame | None:
    """The headline's numbers when saved beside the same scenario on today's data and model."""
    then = snapshot.from_json(version.results)
    try:
        reopened = reopen(bundled, version, lang)
    except LibraryError as error:
        st.warning(sharing.plain(error.message(lang)))
        return None
    link = reopened.link
    data = reopened.dataset
    outlook: Outlook = cache.outlook(data, link.zone, link.scenario, link.jobs_goal)
    simulation = cache.risk(data, link.zone, link.scenario, link.jobs_goal)
    now = snapshot.of_summary(summarise(data, outlook, simulation, data.scenario(link.zone, link.preset)))

    def column(shot: snapshot.Snapshot | None) -> list[str]:
        if shot is None:
            return ["—"] * 7
        odds = [("—" if p is None else percent(100 * p, lang, 0)) for p in (shot.p_area, shot.p_jobs, shot.p_both)]
        return [
            f"{number(shot.area_value, lang, 2)}× / {number(shot.area_target, lang, 2)}×",
            year(shot.area_year_met, lang),
            f"{number(shot.jobs_value, lang)} / {number(shot.jobs_target, lang)}",
            year(shot.jobs_year_met, lang),
            *odds,
        ]

    head = version.head
    rows = [text(k, lang) for k in ("compare_area", "compare_area_year", "compare_jobs", "compare_jobs_year")]
    rows += [text(k, lang) for k in ("library_p_area", "library_p_jobs", "library_p_both")]
    then_label = text("library_then", lang, data=head.data_version[:8], model=head.model_version)
    now_label = text("library_now", lang, data=data.version, model=MODEL_VERSION)
    return pd.DataFrame({then_label: column(then), now_label: column(now)}, index=rows)


def _browse(library: Library, who: Identity | None, bundled: Dataset, dataset: Dataset, lang: str) -> None:
    st.subheader(text("library_browse_title", lang))
    search, zone, mine, archived = st.columns([3, 2, 1.3, 1], vertical_alignment="bottom")
    search.text_input(text("library_search", lang), key=QUERY, max_chars=SEARCH_LENGTH)
    zones = ["", *(z.key for z in bundled.zones)]
    names = {"": text("library_all_zones", lang), **{z.key: z.name(lang) for z in bundled.zones}}
    zone.selectbox(text("zone", lang), zones, key=ZONE_FILTER, format_func=lambda k: names.get(k, k))
    mine.toggle(text("library_mine", lang), key=MINE, disabled=who is None)
    archived.toggle(text("library_show_archived", lang), key=ARCHIVED)
    page_number = max(0, int(st.session_state.get(PAGE, 0)))
    page = library.entries(
        query=st.session_state.get(QUERY, ""),
        zone=st.session_state.get(ZONE_FILTER) or None,
        owner=who.owner if who is not None and st.session_state.get(MINE) else None,
        archived=bool(st.session_state.get(ARCHIVED)),
        limit=PAGE_SIZE,
        offset=page_number * PAGE_SIZE,
    )
    if not page.entries:
        st.info(text("library_empty", lang))
        return
    st.dataframe(_entries_table(page.entries, bundled, lang), hide_index=True, width="stretch")
    pages = (page.total + PAGE_SIZE - 1) // PAGE_SIZE
    if pages > 1:
        back, where, ahead = st.columns([1, 3, 1], vertical_alignment="center")
        back.button("←", key="library_back", disabled=page_number == 0, on_click=_turn, args=(-1,))
        where.caption(text("library_page", lang, page=page_number + 1, pages=pages, total=page.total))
        ahead.button("→", key="library_ahead", disabled=page_number + 1 >= pages, on_click=_turn, args=(1,))
    found = {e.id: e for e in page.entries}
    if st.session_state.get(CHOSEN_ENTRY) not in found:
        st.session_state[CHOSEN_ENTRY] = page.entries[0].id
    chosen = st.selectbox(
        text("library_entry", lang),
        list(found),
        key=CHOSEN_ENTRY,
        format_func=lambda i: f"{found[i].name} · {found[i].author}",
    )
    _entry(library, who, found[chosen], bundled, lang)


def _turn(step: int) -> None:
    st.session_state[PAGE] = max(0, int(st.session_state.get(PAGE, 0)) + step)


def _entry(library: Library, who: Identity | None, entry: Entry, bundled: Dataset, lang: str) -> None:
    heads = library.versions(entry.id)
    st.dataframe(_versions_table(heads, bundled, lang), hide_index=True, width="stretch")
    by_id = {h.id: h for h in heads}
    if st.session_state.get(CHOSEN_VERSION) not in by_id:
        st.session_state[CHOSEN_VERSION] = heads[0].id
    version_id = st.selectbox(
        text("library_version", lang),
        list(by_id),
        key=CHOSEN_VERSION,
        format_func=lambda i: text(
            "library_version_option", lang, number=by_id[i].number, saved=_moment(by_id[i].created_at)
        ),
    )
    version = library.version(version_id)
    open_button, compare_button = st.columns(2)
    open_button.button(
        text("library_open", lang),
        on_click=_open,
        args=(bundled, version_id),
        icon=":material/open_in_browser:",
        width="stretch",
    )
    compare_button.button(
        text("library_compare", lang),
        on_click=_compare,
        args=(bundled, version_id),
        icon=":material/compare:",
        width="stretch",
    )
    st.caption(text("library_short_link", lang))
    st.code(sharing.base_url() + f"?s={version_id}", language=None, wrap_lines=True)
    if version.zone_file is not None:
        st.caption(text("library_zone_file", lang, name=sharing.plain(version.zone_file.name)))
    table = _then_and_now(bundled, version, lang)
    if table is not None:
        st.caption(text("library_then_now", lang))
        st.dataframe(table, width="stretch")
    notes = library.annotations(entry.id)
    for note in notes:
        st.caption(f"{sharing.plain(note.author)} · {_moment(note.created_at)}: {sharing.plain(note.text)}")
    if who is not None and who.owner == entry.owner:
        with st.expander(text("library_change", lang)):
            st.text_input(text("library_rename", lang), key=RENAME, max_chars=NAME_LENGTH, placeholder=entry.name)
            st.button(text("library_rename_button", lang), on_click=_change, args=("rename", entry.id))
            st.text_area(text("library_annotation", lang), key=ANNOTATION, max_chars=ANNOTATION_LENGTH, height=68)
            st.button(text("library_annotate_button", lang), on_click=_change, args=("annotate", entry.id))
            action = "unarchive" if entry.archived else "archive"
            st.button(text(f"library_{action}_button", lang), on_click=_change, args=(action, entry.id))


def render(bundled: Dataset, dataset: Dataset, link: Link, summary: Summary, lang: str) -> None:
    result = st.session_state.pop(RESULT, None)
    if result is not None:
        kind, message = result
        {"success": st.success, "error": st.error}.get(kind, st.info)(sharing.plain(message))
    who = library_access.identity()
    library: Library | None = None
    try:
        library = library_access.open_library()
    except LibraryError as error:  # the database is down: the planner goes on without it
        _unavailable(error, lang)
    _save_form(library, who, dataset, link, summary, lang)
    if library is None:
        return
    st.divider()
    try:
        _browse(library, who, bundled, dataset, lang)
    except LibraryError as error:  # it went away while the tab was drawn
        _unavailable(error, lang)


def _unavailable(error: LibraryError, lang: str) -> None:
    st.warning(sharing.plain(error.message(lang)), icon=":material/cloud_off:")
