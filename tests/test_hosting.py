"""The host's cap on Monte Carlo draws: a heavy link cannot make the server run more."""

from __future__ import annotations

import pytest

from planner.data import load
from planner.hosting import DEFAULT_MAX_DRAWS, MAX_DRAWS_VARIABLE, max_draws, within_limits
from tests.conftest import open_link

DATASET = load()
DRAWS = DATASET.registry["draws"]


@pytest.mark.parametrize(
    ("setting", "cap"),
    [
        ("", DEFAULT_MAX_DRAWS),
        ("20000", 20_000),
        ("200000", 200_000),
        ("9999999", 200_000),  # never above the parameter's own range
        ("10", 1_000),  # nor below it
        ("lots", DEFAULT_MAX_DRAWS),
        ("1e5", DEFAULT_MAX_DRAWS),
        ("-5", DEFAULT_MAX_DRAWS),
        ("２００００", DEFAULT_MAX_DRAWS),
    ],
)
def test_the_cap_comes_from_the_environment_within_the_range(
    setting: str, cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MAX_DRAWS_VARIABLE, setting)
    assert max_draws(int(DRAWS.min), int(DRAWS.max)) == cap


def test_a_scenario_above_the_cap_is_brought_down_to_it() -> None:
    heavy = DATASET.scenario("sez").with_values(DATASET.registry, {"draws": 200_000, "growth": 30})
    capped = within_limits(DATASET.registry, heavy)
    assert capped.number("draws") == DEFAULT_MAX_DRAWS
    assert capped.differences(heavy) == {"draws": DEFAULT_MAX_DRAWS}
    light = DATASET.scenario("sez")
    assert within_limits(DATASET.registry, light) is light


def test_a_heavy_link_runs_at_the_cap_and_says_so() -> None:
    at = open_link({"draws": "200000", "horizon": "2035", "uncertainty": "100", "growth": "25"})
    notice = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "draws" in notice and "50\u00a0000\u00a0прогонов" in notice
    assert at.session_state["draws"] == DEFAULT_MAX_DRAWS
    assert at.session_state["growth"] == 25  # the rest of the link applies
    assert any("50\xa0000" in c.value for c in at.caption)  # the headline says how many draws ran


def test_a_host_may_allow_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_DRAWS_VARIABLE, "200000")
    at = open_link({"draws": "200000"})
    assert not at.warning and at.session_state["draws"] == 200_000
