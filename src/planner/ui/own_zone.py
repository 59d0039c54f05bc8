"""Your own zone: upload a CSV in the documented format (docs/zone-format.md) to plan another
zone or an updated baseline. A bad file is refused with its row and column; nothing changes.
The bundled Moscow data stays the default, one click away."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from planner.data import Dataset
from planner.i18n import text
from planner.library.records import ZoneFile
from planner.links import ZONE, default_link
from planner.ui import sharing, state, uploads
from planner.zone import DataError
from planner.zonefile import MAX_BYTES, load_zone_csv, template_csv

OWN = "own_dataset"
OWN_FILE = "own_zone_file"  # the uploaded file itself, so a library save can keep it
UPLOAD = "zone_upload"
SECTION = "own_zone"


def active(bundled: Dataset) -> Dataset:
    """The uploaded zone's dataset if there is one, else the bundled data."""
    own = st.session_state.get(OWN)
    return own if isinstance(own, Dataset) else bundled


def file() -> ZoneFile | None:
    """The uploaded zone's file, when an uploaded zone is active."""
    kept = st.session_state.get(OWN_FILE)
    return kept if isinstance(kept, ZoneFile) and OWN in st.session_state else None


def use(dataset: Dataset, zone_file: ZoneFile | None) -> None:
    """Make `dataset` (read from `zone_file`) the session's data; None: the bundled data."""
    if zone_file is None:
        st.session_state.pop(OWN, None)
        st.session_state.pop(OWN_FILE, None)
    else:
        st.session_state[OWN] = dataset
        st.session_state[OWN_FILE] = zone_file


def _upload(bundled: Dataset) -> None:
    def apply(loaded: tuple[Dataset, ZoneFile]) -> str:
        dataset, zone_file = loaded
        use(dataset, zone_file)
        state.apply_link(dataset, replace(default_link(dataset), lang=state.lang()))
        return text("zone_loaded", state.lang(), name=sharing.plain(dataset.zones[0].name(state.lang())))

    uploads.accept(
        UPLOAD,
        MAX_BYTES,
        lambda content, name: (load_zone_csv(content, name, bundled), ZoneFile(name, content)),
        (DataError,),
        apply,
        ("zone_too_big", "zone_failed"),
    )


def _back(bundled: Dataset) -> None:
    use(bundled, None)
    st.session_state[ZONE] = bundled.zones[0].key  # the data's default zone
    state.change_zone(bundled)


def render_banner(dataset: Dataset, lang: str) -> None:
    """In the main area, while an uploaded zone is in use: which file, which version."""
    zone_file = file()
    if zone_file is not None:
        name = sharing.plain(zone_file.name)
        st.info(text("zone_banner", lang, name=name, version=dataset.version), icon=":material/upload_file:")


def render(bundled: Dataset, lang: str) -> None:
    # Closed, the section builds nothing; the uploaded zone lives in the session, not in the
    # uploader, so closing the section loses nothing.
    section = state.section(text("zone_title", lang), SECTION)
    with section:
        if not section.open:
            return
        st.caption(text("zone_hint", lang))
        st.download_button(
            text("zone_template", lang),
            lambda: template_csv(bundled, bundled.zones[0].key),
            "technopolis-zone-template.csv",
            "text/csv",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )
        uploads.field(text("zone_upload", lang, limit=MAX_BYTES // 1024), "csv", UPLOAD, _upload, (bundled,))
        if OWN in st.session_state:
            st.caption(text("zone_link_note", lang))
            st.button(text("zone_back", lang), on_click=_back, args=(bundled,), width="stretch")
