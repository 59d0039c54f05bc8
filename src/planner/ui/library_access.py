"""The app's way into the team library: which database, and who is saving.

The database is `$PLANNER_LIBRARY_URL`, else `[library] url` in Streamlit's secrets, else
the SQLite file (planner.library.engine). Identity comes from `st.login` when the host has
configured an OpenID Connect provider (`[auth]` in the secrets): the provider's subject owns
what its user saves. Without one, the analyst types a name; entries are then owned by the
name, which keeps honest colleagues from overwriting each other but is not a proof of who
typed it (the README says so).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import streamlit as st

from planner.i18n import text
from planner.library.errors import LibraryError
from planner.library.limits import AUTHOR_LENGTH
from planner.library.records import Identity, owner_key
from planner.library.texts import clean
from planner.ui import sharing

if TYPE_CHECKING:
    from planner.library.store import Library

AUTHOR = "library_author"  # the typed name, kept for the session

log = logging.getLogger(__name__)


def _secrets() -> Mapping[str, Any]:
    # No secrets file is the usual local case, not an error.
    return st.secrets if st.secrets.load_if_toml_exists() else {}


def url() -> str:
    # The database toolkit loads when the library is first used, not at the app's start:
    # SQLAlchemy and Alembic cost a fifth of a second that most first pages never need.
    from planner.library.engine import library_url

    section = _secrets().get("library")
    configured = section.get("url") if isinstance(section, Mapping) else None
    return library_url(configured if isinstance(configured, str) else None)


def open_library() -> Library:
    """The library, or LibraryError (LibraryUnavailable when the database does not answer)."""
    from planner.library.store import Library

    return Library.open(url())


def sign_in_configured() -> bool:
    auth = _secrets().get("auth")
    return isinstance(auth, Mapping) and "redirect_uri" in auth and "cookie_secret" in auth


def identity() -> Identity | None:
    """Who is saving: the signed-in user, or the typed name; None until one is known."""
    if sign_in_configured():
        if not st.user.is_logged_in:
            return None
        subject = st.user.get("sub") or st.user.get("email")
        name = st.user.get("name") or st.user.get("email") or subject
        if not isinstance(subject, str) or not isinstance(name, str):
            return None
        return Identity(owner_key("oidc", subject), name[:AUTHOR_LENGTH], verified=True)
    typed = st.session_state.get(AUTHOR, "")
    try:
        name = clean(typed, "author")
    except LibraryError:
        return None
    return Identity(owner_key("name", name.casefold()), name, verified=False)


def render_identity(lang: str) -> None:
    """Sign-in, or the name field, above the library's forms."""
    if not sign_in_configured():
        st.text_input(text("library_author", lang), key=AUTHOR, max_chars=80, help=text("library_author_help", lang))
        return
    if st.user.is_logged_in:
        who = identity()
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.caption(text("library_signed_in", lang, name=sharing.plain(who.name) if who else "?"))
        right.button(text("library_sign_out", lang), on_click=st.logout, width="stretch")
    else:
        st.button(text("library_sign_in", lang), on_click=st.login, icon=":material/login:")
