"""Cached entry points into the core, so a rerun recomputes only what changed."""

from __future__ import annotations

import streamlit as st

from planner.data import DEFAULT_DATA_DIR, Dataset, load
from planner.outlook import Outlook, assess
from planner.scenario import Scenario


@st.cache_resource(show_spinner=False)
def dataset(folder: str = str(DEFAULT_DATA_DIR)) -> Dataset:
    # A resource, not data: the Dataset is immutable and shared by every session as is.
    return load(folder)


@st.cache_data(show_spinner=False, max_entries=256)
def outlook(_dataset: Dataset, data_version: str, zone_key: str, scenario: Scenario, jobs_reading: str) -> Outlook:
    """Keyed on the data version (not the Dataset object) plus the scenario's values."""
    return assess(_dataset, zone_key, scenario, jobs_reading)
