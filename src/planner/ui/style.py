"""The few rules of style Streamlit's own options do not reach: card text that wraps instead
of being cut with an ellipsis, and no uploader hint in English that contradicts our label."""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
/* A card's label, value and delta wrap onto a second line rather than end in "…". */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] div, [data-testid="stMetricDelta"] p {
  white-space: normal !important;
  overflow: visible !important;
  text-overflow: clip !important;
  height: auto !important;
}
/* The uploader's own "Limit 1MB per file" is Streamlit's English and its server-wide cap;
   each label names the real limit in the reader's language. */
[data-testid="stFileUploaderDropzoneInstructions"] small { display: none; }
</style>
"""


def apply() -> None:
    st.html(CSS)
