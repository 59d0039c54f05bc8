"""One way to take a file from the user: refuse it by size before reading, parse it, apply
it only if it parsed, and say what happened on the next run (callbacks cannot draw)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from planner.i18n import text
from planner.messages import WordedError
from planner.ui import sharing, state
from planner.zone import DataError

Parsed = TypeVar("Parsed")


def accept(
    key: str,
    limit: int,
    parse: Callable[[bytes, str], Parsed],
    errors: tuple[type[Exception], ...],
    apply: Callable[[Parsed], str],
    messages: tuple[str, str],
) -> None:
    """The file uploader's on_change: `messages` are the i18n keys for "too big" and "failed";
    `apply` returns the success message."""
    uploaded = st.session_state.get(key)
    if uploaded is None:
        return
    lang = state.lang()
    too_big, failed = messages
    if uploaded.size > limit:  # refused before reading a byte of it
        st.session_state[_result(key)] = ("error", text(too_big, lang, limit=limit // 1024))
        return
    try:
        parsed = parse(uploaded.getvalue(), uploaded.name)
    except errors as error:
        st.session_state[_result(key)] = (
            "error",
            text(
                failed,
                lang,
                error=sharing.plain(error.text(lang) if isinstance(error, DataError | WordedError) else str(error)),
            ),
        )
        return
    st.session_state[_result(key)] = ("success", apply(parsed))


def field(label: str, kind: str, key: str, on_change: Callable[..., None], args: tuple[object, ...]) -> None:
    """The file uploader, then what became of the last file given to it."""
    st.file_uploader(label, type=[kind], key=key, on_change=on_change, args=args)
    result = st.session_state.pop(_result(key), None)
    if result is not None:
        kind, message = result
        (st.error if kind == "error" else st.success)(message)


def _result(key: str) -> str:
    return f"{key}_result"
