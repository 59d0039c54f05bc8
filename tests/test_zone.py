"""The zone's values: goals read as the data states them, defaults and names by language."""

from __future__ import annotations

import pytest

from planner.zone import DataError, Zone


def test_each_goal_basis_gives_its_level(sez: Zone) -> None:
    area, jobs = sez.goal("floor_area"), sez.goal("new_jobs")
    assert area.basis == "multiple" and sez.target(area) == pytest.approx(area.value * sez.floor_area_m2)
    strategy = sez.goal("new_jobs", "strategy")
    assert strategy.basis == "total" and sez.target(strategy) == pytest.approx(strategy.value - sez.jobs)
    assert jobs.is_default and sez.goal("new_jobs") is jobs


def test_an_unknown_reading_is_a_key_error(sez: Zone) -> None:
    with pytest.raises(KeyError, match="nonsense"):
        sez.goal("new_jobs", "nonsense")


def test_names_and_defaults(sez: Zone) -> None:
    assert sez.name("ru") == sez.name_ru and sez.name("en") == sez.name_en
    assert set(sez.default_values()) >= {"growth", "density", "horizon"}


def test_a_data_error_names_file_row_and_column() -> None:
    error = DataError("goals.csv", "is empty", 4, "value")
    assert str(error) == "goals.csv, row 4, column value: is empty"
    assert (error.file, error.row, error.column) == ("goals.csv", 4, "value")
    assert str(DataError("zones.csv", "lists no zones")) == "zones.csv: lists no zones"
