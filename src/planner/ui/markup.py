"""Text from users made inert for Streamlit's Markdown: names, notes and sources from an
upload, a link or the library are shown as the characters they are, never as markup."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

# The joiner goes before the character that completes an autolink's opening: the ':' after
# a scheme's letters, the '.' after "www" and the '@' of an address.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9+.-])(?=:)|(?<=www)(?=\.)|(?=@)")
_JOINER = "\u2060"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")
_INDENT = re.compile(r"(?m)^[ \t]+")  # four leading spaces would start a code block


def plain(value: str) -> str:
    """User-supplied text made inert for Streamlit's Markdown: every markup character escaped,
    and every bare address broken by an invisible word joiner. Escapes alone do not stop a
    link: GitHub-flavoured Markdown links `http://…`, `www.…` and `name@host` found in the
    text after escapes are resolved."""
    escaped = _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(_JOINER, value))
    return _INDENT.sub(lambda m: "\u00a0" * len(m.group()), escaped)


def table(frame: pd.DataFrame, **options: Any) -> None:
    """`st.table` with every header, index label and cell as plain text: st.table renders
    Markdown (links and images included), and its cells hold names and sources from data
    that may have been uploaded."""

    def inert(value: object) -> object:
        return plain(value) if isinstance(value, str) else value

    shown = frame.map(inert).rename(columns=inert, index=inert)
    if isinstance(shown.index.name, str):
        shown.index.name = plain(shown.index.name)
    st.table(shown, **options)
