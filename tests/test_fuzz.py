"""Hostile input, fuzzed: links, scenario files and the CLI never raise, always say what was
ignored, and never pass user text through as markup."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from planner.cli import main
from planner.data import load
from planner.links import IGNORED_KEYS, MAX_KEYS, MAX_VALUE_LENGTH, VIEW_KEYS, ScenarioFileError, from_file, parse_query
from planner.scenario import ParamError, shorten
from tests.conftest import APP, link_notices

DATASET = load()
REGISTRY = DATASET.registry
KNOWN = [*VIEW_KEYS, *REGISTRY.keys]
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "**b**",
    "`c`",
    ":red[x]",
    "$x$",
    "# h",
    "<b>",
    "\u202e",
    "\x00",
    "&amp;",
]

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["nan", "NaN", "inf", "-inf", "1e308", "-0", "0x10", "1_0", "２０", " 5 ", "5,5", ""]),
)
# Values at and beyond each parameter's bounds.
edges = st.sampled_from(REGISTRY.params).flatmap(
    lambda p: (
        st.sampled_from([p.min, p.max, p.min - p.step, p.max + p.step, (p.min + p.max) / 2]).map(repr)
        if not p.is_choice
        else st.sampled_from([*p.options, "zigzag"])
    )
)
values = st.one_of(
    numbers, edges, st.text(max_size=300), st.sampled_from(MARKUP), st.text(min_size=1000, max_size=5000)
)
keys = st.one_of(st.sampled_from(KNOWN), st.text(min_size=1, max_size=60), st.sampled_from(MARKUP))
queries = st.dictionaries(keys, st.one_of(values, st.lists(values, min_size=1, max_size=3)), max_size=15)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(queries)
def test_a_link_never_raises_and_every_part_is_applied_or_named(query: dict) -> None:
    link, rejected = parse_query(DATASET, query)
    named = {r.key for r in rejected}
    for index, (key, raw) in enumerate(query.items()):
        items = [raw] if isinstance(raw, str) else raw
        if key in IGNORED_KEYS:
            continue
        if index >= MAX_KEYS or key not in KNOWN or len(items) != 1 or len(items[0]) > MAX_VALUE_LENGTH:
            assert shorten(key) in named or key in named  # dropped, and said so
        elif key in REGISTRY and key not in named:
            assert link.scenario[key] == REGISTRY[key].parse(items[0])  # applied exactly as typed
    for part in rejected:
        assert len(part.value) <= MAX_VALUE_LENGTH + 1 and part.value.isprintable()
        assert len(part.key) <= MAX_VALUE_LENGTH + 1 and part.key.isprintable()


file_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True), st.integers(), st.text(max_size=50)),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=3000).map(str.encode),
        st.dictionaries(
            st.sampled_from(["format", "version", "zone", "preset", "jobs_goal", "parameters", "x"]), file_values
        ).map(lambda d: json.dumps(d).encode()),
        st.dictionaries(keys, st.one_of(values, file_values), max_size=10).map(
            lambda p: json.dumps({"format": "technopolis-planner/scenario", "version": 1, "parameters": p}).encode()
        ),
    )
)
def test_a_scenario_file_is_either_read_whole_or_refused_with_a_reason(content: bytes) -> None:
    try:
        link = from_file(DATASET, content)
    except ScenarioFileError as error:
        assert str(error)
    else:
        assert set(link.scenario.as_dict()) == set(REGISTRY.keys)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(REGISTRY.keys) | st.text(max_size=20), values)
def test_the_cli_exits_cleanly_on_any_assignment(key: str, value: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["project", "--format", "json", f"--set={key}={value}"])
    if code == 0:
        assert json.loads(out.getvalue())["scenario"][key] == REGISTRY[key].parse(value)
    else:
        assert code == 2 and err.getvalue().startswith("planner: error: ") and err.getvalue().count("\n") == 1
        if key in REGISTRY:
            try:
                REGISTRY[key].parse(value)
            except ParamError:
                pass  # the registry refuses it too: consistent
            else:
                raise AssertionError("the CLI refused a value the registry accepts")


UNESCAPED = re.compile(r"(?<!\\)[<>\[\]*`$]")


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=6))
def test_the_app_never_raises_and_names_what_it_ignored(query: dict) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    assert len(at.metric) == 5
    _, rejected = parse_query(DATASET, query)
    if rejected:
        assert len(link_notices(at)) == 1
        assert not UNESCAPED.search(link_notices(at)[0])
    else:
        assert link_notices(at) == []
