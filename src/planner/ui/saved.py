"""Saved versions in the address bar: `?s=<id>` opens one exactly, `pins=` keeps the
comparison's library pins across a reload, and a notice says when what was opened was made
with other data or another model than today's.

While the scenario is the opened version unchanged, the address bar and the share box show
the short link; the first change writes the full link again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from planner.data import Dataset
from planner.i18n import DEFAULT_LANGUAGE, text
from planner.library import ids
from planner.library.errors import LibraryError
from planner.library.scenarios import reopen
from planner.links import LANG, PINNED, SAVED, Link, Rejected, query_for
from planner.ui import library_access, own_zone, state
from planner.ui.markup import plain
from planner.versions import MODEL_VERSION, Made

OPENED = "library_opened"  # (version id, the link it opened): the short link holds while unchanged
MADE = "made_notice"  # (what was opened: "link" | "file" | "library", Made)
PINS_LIMIT = 6


@dataclass(frozen=True)
class Opened:
    version_id: str
    link: Link
    name: str = ""  # the entry's name, for file names


def _same(a: Link, b: Link) -> bool:
    """Whether two links give the same scenario (the language and what they say they were
    made with aside)."""
    return replace(a, lang=DEFAULT_LANGUAGE, made=None) == replace(b, lang=DEFAULT_LANGUAGE, made=None)


def opened(link: Link) -> str | None:
    """The saved version the current scenario is, unchanged, or None."""
    kept = st.session_state.get(OPENED)
    return kept.version_id if isinstance(kept, Opened) and _same(kept.link, link) else None


def opened_name(link: Link) -> str | None:
    """The library name of the saved version the scenario is, unchanged, or None."""
    kept = st.session_state.get(OPENED)
    return kept.name or None if isinstance(kept, Opened) and _same(kept.link, link) else None


def remember_made(kind: str, made: Made | None, dataset: Dataset) -> None:
    if made is not None and made.differs(dataset.digest):
        st.session_state[MADE] = (kind, made)
    else:
        st.session_state.pop(MADE, None)


def open_version(bundled: Dataset, version_id: str, lang: str) -> None:
    """Put a saved version into the controls, with the zone file it was saved on; raises
    LibraryError (nothing changes) if it cannot open."""
    version = library_access.open_library().version(version_id)
    reopened = reopen(bundled, version, lang)
    own_zone.use(reopened.dataset, version.zone_file)
    state.apply_link(reopened.dataset, reopened.link)
    st.session_state[OPENED] = Opened(version.head.id, reopened.link, version.entry_name)
    remember_made("library", reopened.made, reopened.dataset)


def restore(bundled: Dataset) -> tuple[Rejected, ...]:
    """On the session's first run, open `?s=<id>`. Returns what could not open (the rest of
    the link then applies as usual); an empty tuple when there is no short link."""
    raw = st.query_params.get_all(SAVED)
    if not raw:
        return ()
    version_id = raw[-1]
    lang = state.opening_lang()
    try:
        if not ids.is_id(version_id):
            raise LibraryError("library_not_found")
        open_version(bundled, version_id, lang)
    except LibraryError as error:
        return (Rejected(SAVED, version_id[:40], error.message(lang)),)
    return ()


def query(dataset: Dataset, link: Link, pinned: tuple[str, ...]) -> dict[str, str]:
    """The address bar's query: the short link while the scenario is a saved version, else
    the full link; then the comparison's library pins."""
    version_id = opened(link)
    if version_id is not None:
        result = {SAVED: version_id}
        if link.lang != DEFAULT_LANGUAGE:
            result[LANG] = link.lang
    else:
        result = query_for(dataset, link)
    if pinned:
        result[PINNED] = ".".join(pinned)
    return result


def pinned_ids() -> tuple[str, ...]:
    """The version ids `pins=` names, well formed and at most the comparison's limit."""
    raw = st.query_params.get_all(PINNED)
    if not raw:
        return ()
    return tuple(dict.fromkeys(i for i in raw[-1].split(".")[:PINS_LIMIT] if ids.is_id(i)))


def render_made_notice(dataset: Dataset, lang: str) -> None:
    kept = st.session_state.get(MADE)
    if not isinstance(kept, tuple):
        return
    kind, made = kept
    st.info(
        text(
            f"made_notice_{kind}",
            lang,
            then_data=plain(made.data_version[:8]),
            then_model=plain(made.model_version) or "—",
            now_data=dataset.version,
            now_model=MODEL_VERSION,
        ),
        icon=":material/history:",
    )
    st.button(text("dismiss", lang), key="dismiss_made", on_click=st.session_state.pop, args=(MADE, None))
