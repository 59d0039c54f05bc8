"""AppTest for what the speed work changed on screen: each probability's standard error
beside it, and the backtest's table built only while its expander is open."""

from __future__ import annotations

import re

import pytest

from planner.i18n import text
from planner.ui.state import VINTAGES
from tests.conftest import open_link
from tests.test_app_library import open_tab


@pytest.mark.parametrize(("lang", "unit"), [("ru", r"п\.\sп\."), ("en", "pp")])
def test_the_headline_probability_has_its_standard_error_beside_it(lang: str, unit: str) -> None:
    at = open_link({"lang": lang})
    errors = [c.value for c in at.caption if re.search(rf"±\s\d+[.,]\d\s{unit}", c.value)]
    assert errors, [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_each_risk_card_states_its_standard_error(lang: str) -> None:
    at = open_tab(open_link({"lang": lang}), "risk")
    suffix = text("probability_error_caption", lang, error="X").split("X")[1]
    stated = [c.value for c in at.caption if c.value.endswith(suffix)]
    assert len(stated) == 3  # floor area, jobs, both
    values = [float(re.search(r"±\s(\d+[.,]\d)", s).group(1).replace(",", ".")) for s in stated]  # type: ignore[union-attr]
    assert all(0 <= v < 1 for v in values)  # 8,000 points: well under a point


def test_a_zero_uncertainty_has_no_error() -> None:
    at = open_tab(open_link({"uncertainty": "0"}), "risk")
    suffix = text("probability_error_caption", "ru", error="X").split("X")[1]
    stated = [c.value for c in at.caption if c.value.endswith(suffix)]
    assert stated and all("±\u00a00,0" in s for s in stated)


def test_the_backtest_table_is_built_only_while_its_expander_is_open() -> None:
    at = open_link()
    assert not [t for t in at.table if text("col_vintage", "ru") in t.value.columns]
    at.session_state[VINTAGES] = True
    at.run()
    (table,) = [t for t in at.table if text("col_vintage", "ru") in t.value.columns]
    assert list(table.value[text("col_vintage", "ru")]) == ["2024"]
    assert not at.exception
