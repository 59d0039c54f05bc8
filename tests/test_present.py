"""One way to read a parameter, a value and an option, wherever the app, the brief or the
workbook shows one."""

from __future__ import annotations

import pytest

from planner.data import Dataset
from planner.present import needed_value, option_label, param_label, param_value, value_with_unit

NBSP = "\u00a0"


# --- labels and values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "lang", "expected"),
    [
        ("growth", "ru", "Рост площади, % в год"),
        ("growth", "en", "Floor area growth, % a year"),
        ("density", "en", "Job density, per 1,000 m²"),
        ("draws", "ru", "Число прогонов"),  # no unit, no trailing comma
        ("seed", "en", "Random seed"),
        ("profile", "ru", "Профиль ввода"),
    ],
)
def test_param_label(dataset: Dataset, key: str, lang: str, expected: str) -> None:
    assert param_label(dataset.registry[key], lang) == expected


@pytest.mark.parametrize(
    ("key", "value", "lang", "expected"),
    [
        ("growth", 23.22, "ru", "23,22"),
        ("growth", 23.22, "en", "23.22"),
        ("growth", 15.0, "ru", "15,00"),
        ("delay", 1.5, "ru", "1,5"),
        ("company_m2", 12500.0, "ru", f"12{NBSP}500"),
        ("company_m2", 12500.0, "en", "12,500"),
        ("density_trend", -1.0, "en", "−1.0"),
        ("horizon", 2030.0, "ru", "2030"),  # a year, never "2 030"
        ("horizon", 2033.0, "en", "2033"),
        ("seed", 123456.0, "ru", "123456"),
        ("seed", 7.0, "en", "7"),
        ("draws", 10000.0, "ru", f"10{NBSP}000"),  # a count of draws is grouped like the headline's
        ("draws", 10000.0, "en", "10,000"),
        ("profile", "compound", "ru", "сложный процент"),
        ("profile", "compound", "en", "compound"),
        ("profile", "s", "ru", "S-кривая"),
        ("profile", "s", "en", "S-curve"),
    ],
)
def test_param_value(dataset: Dataset, key: str, value: float | str, lang: str, expected: str) -> None:
    assert param_value(dataset.registry[key], value, lang) == expected


@pytest.mark.parametrize(
    ("option", "lang", "expected"),
    [("front", "ru", "в начале периода"), ("back", "en", "back-loaded"), ("linear", "en", "linear")],
)
def test_option_label(dataset: Dataset, option: str, lang: str, expected: str) -> None:
    assert option_label(dataset.registry["profile"], option, lang) == expected


@pytest.mark.parametrize(
    ("key", "value", "lang", "expected"),
    [
        ("growth", 23.22, "ru", "23,22 % в год"),
        ("delay", 1.5, "en", "1.5 years"),
        ("horizon", 2035.0, "ru", "2035 год"),
        ("draws", 50000.0, "en", "50,000"),  # no unit, no trailing space
        ("profile", "linear", "ru", "линейно"),
    ],
)
def test_value_with_unit(dataset: Dataset, key: str, value: float | str, lang: str, expected: str) -> None:
    assert value_with_unit(dataset.registry[key], value, lang) == expected


@pytest.mark.parametrize(
    ("key", "value", "lang", "expected"),
    [
        ("growth", 23.2, "ru", "23,20"),
        ("density", 31.25, "en", "31.2"),
        ("delivery", 87.3, "ru", "87,3"),  # a lever stepped by whole percents still shows a decimal
    ],
)
def test_needed_value(dataset: Dataset, key: str, value: float, lang: str, expected: str) -> None:
    assert needed_value(dataset.registry[key], value, lang) == expected
