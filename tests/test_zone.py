"""The zone's values: goals read as the data states them, defaults and names by language."""

from __future__ import annotations

import pytest

from planner.zone import DataError, Zone, goal_level


@pytest.mark.parametrize(
    ("basis", "value", "level"),
    [
        ("multiple", 3.5, 5.6e6),
        ("increment_m2", 2.5e6, 4.1e6),
        ("total_m2", 3.8e6, 3.8e6),
        ("new", 9e4, 1.69e6),
        ("total", 9e4, 9e4),
    ],
)
def test_each_goal_basis_gives_its_level_on_the_base_years_observation(basis: str, value: float, level: float) -> None:
    assert goal_level(basis, value, 1.6e6) == pytest.approx(level)


def test_the_bundled_goals_are_levels_on_their_own_base_year(sez: Zone) -> None:
    area, jobs = sez.goal("floor_area"), sez.goal("new_jobs")
    assert area.basis == "multiple" and area.level == pytest.approx(3.5 * 1.6e6)
    strategy = sez.goal("new_jobs", "strategy")
    assert strategy.basis == "total" and strategy.level == 90_000 and strategy.base_level == 22_100
    assert jobs.is_default and sez.goal("new_jobs") is jobs
    # The October 2024 plan is history: shown, never a reading.
    (history,) = sez.goal_history("floor_area")
    assert history.level == 3.8e6 and history.superseded == 2025
    assert history not in sez.goal_readings("floor_area")


def test_the_jump_off_is_the_latest_complete_year_and_vintages_the_earlier_ones(sez: Zone) -> None:
    assert sez.jump_off_year == 2025 and (sez.floor_area_m2, sez.jobs, sez.companies) == (2.0e6, 30_000, 240)
    assert sez.vintages() == (2024,)
    earlier = sez.as_of(2024)
    assert earlier.jump_off_year == 2024 and earlier.goals == sez.goals


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
