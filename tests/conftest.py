"""Shared fixtures for the test suite."""

from __future__ import annotations

import pytest

from planner.data import Dataset, load
from planner.zone import Zone


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The bundled data, loaded once (it is an immutable value)."""
    return load()


@pytest.fixture(scope="session")
def sez(dataset: Dataset) -> Zone:
    return dataset.zone("sez")
