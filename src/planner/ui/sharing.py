"""The URL is the scenario, both ways, and the share box.

Opening a link restores every control on the session's first run (what cannot apply is
named in a notice); every run then writes the current scenario back to the query string.
Streamlit's own `bind="query-params"` is not used: it writes a select box's *displayed*
label into the URL, which would make links depend on the language they were made in.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from planner.data import Dataset
from planner.hosting import DRAWS, within_limits
from planner.i18n import count, text
from planner.links import SAVED, Link, Rejected, parse_query
from planner.messages import worded
from planner.ui import own_zone, saved, state
from planner.ui.markup import plain, table

__all__ = ["plain", "table"]  # where every tab has always found them

NOTICE = "link_notice"
WRITTEN = "url_written"  # the query the app last wrote to the address bar
CHECKED = "link_checked"
SHARE_OPEN = "share_open"  # the share box: its link is built only while it is open
NOTICE_LINES = 5


def restore_from_url(bundled: Dataset) -> None:
    """On the session's first run, and after Back or Forward, put the address into the controls: a saved version
    for `?s=<id>` (with the zone file it was saved on), otherwise the link's own values."""
    if st.session_state.get(CHECKED) and not navigated():
        return
    st.session_state[CHECKED] = True
    failed = saved.restore(bundled)
    if SAVED in st.query_params and not failed:
        st.session_state[NOTICE] = ()
        return
    dataset = own_zone.active(bundled)
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    link, rejected = parse_query(dataset, params)
    rejected = (*failed, *rejected)
    saved.remember_made("link", link.made, dataset)
    capped = within_limits(dataset.registry, link.scenario)
    if capped != link.scenario:
        asked = dataset.registry[DRAWS].format(link.scenario[DRAWS])
        reason = text("draws_capped", state.lang(), cap=count(int(capped.number(DRAWS)), state.lang(), "draws"))
        rejected = (*rejected, Rejected(DRAWS, asked, reason))
    state.apply_link(dataset, link)
    st.session_state[NOTICE] = rejected


def write_url(dataset: Dataset, link: Link, pinned: tuple[str, ...] = ()) -> None:
    """Keep the address bar equal to the current scenario (only what differs from the preset,
    or the short link of the saved version it is) and the comparison's library pins."""
    query = saved.query(dataset, link, pinned)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)  # Streamlit makes each change an entry of the browser's history
    st.session_state[WRITTEN] = query


def navigated() -> bool:
    """Whether this run answers Back or Forward to an address the app did not just write.

    Streamlit marks such a run itself (its run context's `is_history_navigation`, not yet a
    public API): comparing addresses alone would take a run that overtook the app's own
    address write — keys held down on a slider — for a step back, and undo the move."""
    context = get_script_run_ctx()
    written = st.session_state.get(WRITTEN)
    return (
        bool(getattr(context, "is_history_navigation", False))
        and written is not None
        and st.query_params.to_dict() != written
    )


def render_notice(lang: str) -> None:
    rejected: tuple[Rejected, ...] = st.session_state.get(NOTICE, ())
    if not rejected:
        return
    # A link full of junk gets a notice of a few lines, not a wall: the first few, then a count.
    lines = [f"- {plain(r.key)} = «{plain(r.value)}»: {plain(worded(r.reason, lang))}" for r in rejected[:NOTICE_LINES]]
    if len(rejected) > NOTICE_LINES:
        lines.append("- " + text("link_notice_more", lang, n=len(rejected) - NOTICE_LINES))
    with st.container():
        st.warning(text("link_notice", lang) + "\n" + "\n".join(lines), icon=":material/link_off:")
        st.button(text("dismiss", lang), key="dismiss_notice", on_click=st.session_state.pop, args=(NOTICE, None))


def full_link(dataset: Dataset, link: Link) -> str:
    """The address that reopens `link`: the short link if it is a saved version unchanged."""
    query = saved.query(dataset, link, ())
    return base_url() + ("?" + urlencode(query) if query else "")


def base_url() -> str:
    base = st.context.url or ""
    return base if not base or base.endswith("/") else base + "/"


def render_share(dataset: Dataset, link: Link, lang: str) -> None:
    # Filled only while open: the link changes with every slider move, and a closed box
    # would otherwise be rebuilt and re-sent to the browser each time.
    box = st.popover(text("share", lang), icon=":material/link:", width="stretch", key=SHARE_OPEN, on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption(text("share_hint", lang))
        st.code(full_link(dataset, link), language=None, wrap_lines=True)
        if own_zone.file() is not None and saved.opened(link) is None:
            # A full link carries the scenario, not the uploaded file: it would open on the bundled data.
            st.warning(text("share_needs_file", lang), icon=":material/warning:")
