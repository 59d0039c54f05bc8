"""The parameter registry, value parsing and the Scenario value object."""

from __future__ import annotations

import math

import pytest

from planner.data import Dataset, load
from planner.scenario import (
    CORE_PARAMS,
    GROUPS,
    PROFILES,
    Param,
    ParamError,
    Registry,
    Scenario,
    parse_assignments,
)

# Module level, because parametrisation happens at collection time.
REGISTRY = load().registry
NUMERIC = tuple(p for p in REGISTRY if not p.is_choice)
CHOICES = tuple(p for p in REGISTRY if p.is_choice)


def ids(param: Param) -> str:
    return param.key


def assert_names_key_and_range(error: pytest.ExceptionInfo[ParamError], param: Param) -> None:
    message = str(error.value)
    assert message.startswith(param.key + ":"), message
    if param.is_choice:
        for option in param.options:
            assert option in message, message
    else:
        assert f"from {param.min:g} to {param.max:g}" in message, message


# --- the registry --------------------------------------------------------------------------


def test_keys_are_unique_and_cover_the_core_and_every_cluster(dataset: Dataset) -> None:
    keys = REGISTRY.keys
    assert len(keys) == len(set(keys))
    assert {p.key for p in CORE_PARAMS} <= set(keys)
    assert set(REGISTRY.mix_keys) == {"mix_" + c.key for c in dataset.zone("sez").clusters}


def test_a_registry_with_a_duplicate_key_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Registry((CORE_PARAMS[0], CORE_PARAMS[0]))


def test_unknown_key_lookup_names_the_known_keys() -> None:
    with pytest.raises(ParamError, match="unknown parameter") as error:
        REGISTRY["speed"]
    assert "speed" in str(error.value) and "growth" in str(error.value)
    assert "speed" not in REGISTRY and "growth" in REGISTRY


def test_params_are_ordered_by_group() -> None:
    positions = [GROUPS.index(p.group) for p in REGISTRY]
    assert positions == sorted(positions)


@pytest.mark.parametrize("param", REGISTRY.params, ids=ids)
def test_every_param_is_labelled_in_both_languages(param: Param) -> None:
    assert param.label_ru.strip() and param.label_en.strip()
    assert param.label("ru") == param.label_ru and param.label("en") == param.label_en
    assert any("а" <= ch.lower() <= "я" for ch in param.label_ru), param.label_ru
    assert param.help_ru.strip() and param.help_en.strip()
    assert bool(param.unit_ru) == bool(param.unit_en)
    assert param.group in GROUPS


@pytest.mark.parametrize("param", NUMERIC, ids=ids)
def test_numeric_bounds_are_consistent(param: Param) -> None:
    assert param.min < param.max
    assert param.step > 0
    assert param.spread >= 0 and param.spread_abs >= 0


# --- Param.parse: accepted values ----------------------------------------------------------


@pytest.mark.parametrize("param", NUMERIC, ids=ids)
def test_parse_accepts_the_bounds_and_a_value_inside(param: Param) -> None:
    middle = param.min + round((param.max - param.min) / 2 / param.step) * param.step
    for value in (param.min, param.max, middle):
        assert param.parse(value) == value
        assert param.parse(param.format(value)) == value  # text, as in a link or the CLI
        assert isinstance(param.parse(value), float)


def test_parse_reads_text_forms() -> None:
    growth = REGISTRY["growth"]
    assert growth.parse(" 23.22 ") == 23.22
    assert growth.parse("23,22") == 23.22  # a Russian decimal comma
    assert growth.parse(23) == 23.0
    assert growth.parse("28.47") == 28.47  # typed values are kept exact, not snapped to the step
    assert REGISTRY["delivery"].parse("100") == 100.0
    assert REGISTRY["density_trend"].parse("-2.5") == -2.5


@pytest.mark.parametrize("option", PROFILES)
def test_parse_accepts_every_profile(option: str) -> None:
    assert REGISTRY["profile"].parse(option) == option
    assert REGISTRY["profile"].parse(f" {option} ") == option


# --- Param.parse: refused values -----------------------------------------------------------

BAD_NUMBERS = {
    "nan": math.nan,
    "nan-text": "nan",
    "inf": math.inf,
    "minus-inf": -math.inf,
    "inf-text": "Infinity",
    "word": "twenty",
    "empty": "",
    "spaces": "   ",
    "none": None,
    "list": [1.0],
    "true": True,
    "false": False,
    "fullwidth-digits": "２０",
    "two-numbers": "1 2",
    "assignment": "2=3",
}


@pytest.mark.parametrize("raw", BAD_NUMBERS.values(), ids=BAD_NUMBERS.keys())
@pytest.mark.parametrize("param", NUMERIC, ids=ids)
def test_parse_refuses_what_is_not_a_finite_number(param: Param, raw: object) -> None:
    with pytest.raises(ParamError) as error:
        param.parse(raw)
    assert_names_key_and_range(error, param)


@pytest.mark.parametrize("side", ["below", "above"])
@pytest.mark.parametrize("param", NUMERIC, ids=ids)
def test_parse_refuses_values_out_of_bounds(param: Param, side: str) -> None:
    value = param.min - param.step if side == "below" else param.max + param.step
    for raw in (value, param.format(value)):
        with pytest.raises(ParamError, match="out of range") as error:
            param.parse(raw)
        assert_names_key_and_range(error, param)


@pytest.mark.parametrize("param", [p for p in NUMERIC if p.whole], ids=ids)
def test_whole_number_params_refuse_fractions(param: Param) -> None:
    with pytest.raises(ParamError, match="whole number") as error:
        param.parse(param.min + 0.5)
    assert_names_key_and_range(error, param)


def test_counts_are_whole_and_percentages_may_be_fractional() -> None:
    assert {p.key for p in REGISTRY if p.whole} == {"draws", "seed", "horizon"}
    assert REGISTRY["delivery"].parse("50.5") == 50.5


@pytest.mark.parametrize("raw", ["exponential", "", "Compound", 1, None, True], ids=repr)
@pytest.mark.parametrize("param", CHOICES, ids=ids)
def test_parse_refuses_an_unknown_choice(param: Param, raw: object) -> None:
    with pytest.raises(ParamError, match="not allowed") as error:
        param.parse(raw)
    assert_names_key_and_range(error, param)


def test_a_huge_value_is_shortened_in_the_message() -> None:
    with pytest.raises(ParamError) as error:
        REGISTRY["growth"].parse("9" * 10_000)
    assert len(str(error.value)) < 200
    assert "…" in str(error.value)


# --- parse_assignments ---------------------------------------------------------------------


def test_parse_assignments_reads_key_value_pairs() -> None:
    parsed = parse_assignments(REGISTRY, ["growth=25", " delay = 1.5", "profile=linear", "growth=26"])
    assert parsed == {"growth": 26.0, "delay": 1.5, "profile": "linear"}  # the last assignment wins
    assert parse_assignments(REGISTRY, []) == {}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("growth", "growth: expected KEY=VALUE"),
        ("", "expected KEY=VALUE"),
        ("speed=3", "speed: unknown parameter"),
        ("=3", "unknown parameter"),
        ("growth=abc", "growth: abc is not a number; use a number from 0 to 40"),
        ("growth=41", "growth: 41 is out of range; use a number from 0 to 40"),
        ("growth=nan", "growth: nan is out of range"),
        ("horizon=2030.5", "horizon: 2030.5 is not a whole number; use a whole number from 2030 to 2035"),
        ("profile=exponential", "profile: exponential is not allowed; use one of compound, linear"),
    ],
)
def test_parse_assignments_errors_name_the_key_and_range(item: str, expected: str) -> None:
    with pytest.raises(ParamError) as error:
        parse_assignments(REGISTRY, ["delay=1", item])
    assert expected in str(error.value)


# --- Scenario ------------------------------------------------------------------------------


@pytest.fixture
def plan(dataset: Dataset) -> Scenario:
    return dataset.scenario("sez", "plan")


def test_the_plan_is_complete_and_in_registry_order(plan: Scenario) -> None:
    assert tuple(key for key, _ in plan.values) == REGISTRY.keys
    assert plan["profile"] == "compound"
    assert plan.number("growth") == 22.87
    with pytest.raises(KeyError):
        plan["speed"]


def test_with_values_validates_and_leaves_the_original_alone(plan: Scenario) -> None:
    changed = plan.with_values(REGISTRY, {"growth": "25,5", "profile": "s"})
    assert changed["growth"] == 25.5 and changed["profile"] == "s"
    assert plan.number("growth") == 22.87 and plan["profile"] == "compound"
    assert tuple(key for key, _ in changed.values) == REGISTRY.keys
    assert plan.with_values(REGISTRY, {}) == plan
    with pytest.raises(ParamError, match="growth: 99 is out of range"):
        plan.with_values(REGISTRY, {"delay": 1, "growth": 99})
    with pytest.raises(ParamError, match="unknown parameter"):
        plan.with_values(REGISTRY, {"speed": 1})


def test_scenarios_are_values(plan: Scenario) -> None:
    again = plan.with_values(REGISTRY, {"growth": 25}).with_values(REGISTRY, {"growth": 22.87})
    assert again == plan and hash(again) == hash(plan)
    assert plan.with_values(REGISTRY, {"growth": 25}) != plan


def test_differences_lists_only_changed_values(plan: Scenario) -> None:
    assert plan.differences(plan) == {}
    changed = plan.with_values(REGISTRY, {"growth": 25, "delay": 1, "profile": "linear"})
    assert changed.differences(plan) == {"growth": 25.0, "delay": 1.0, "profile": "linear"}
    assert plan.differences(changed) == {"growth": 22.87, "delay": 0.0, "profile": "compound"}
    assert changed.differences(Scenario()) == changed.as_dict()


def test_from_mapping_parses_every_value_in_registry_order(plan: Scenario) -> None:
    text = {key: REGISTRY[key].format(value) for key, value in reversed(plan.values)}
    assert Scenario.from_mapping(REGISTRY, text) == plan


def test_from_mapping_names_missing_parameters(plan: Scenario) -> None:
    values = plan.as_dict()
    del values["growth"], values["seed"]
    with pytest.raises(ParamError, match="missing parameters: growth, seed"):
        Scenario.from_mapping(REGISTRY, values)


def test_from_mapping_refuses_a_bad_value(plan: Scenario) -> None:
    values = {**plan.as_dict(), "occupancy": 101}
    with pytest.raises(ParamError) as error:
        Scenario.from_mapping(REGISTRY, values)
    assert_names_key_and_range(error, REGISTRY["occupancy"])


def test_format_round_trips_any_float_exactly(dataset) -> None:
    growth = dataset.registry["growth"]
    for value in (22.0, 23.219092917365323, 0.1 + 0.2, 39.999999999999):
        assert float(growth.format(value)) == value
    assert growth.format(22.0) == "22"


@pytest.mark.parametrize("raw", ["1_0", "２０", "1e1_0"])
def test_parse_refuses_separators_and_other_scripts_digits(dataset, raw: str) -> None:
    with pytest.raises(ParamError):
        dataset.registry["growth"].parse(raw)
