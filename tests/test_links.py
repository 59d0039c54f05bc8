"""The link and scenario-file codec: round trips, short links, and refusals."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from planner.data import load
from planner.links import (
    MAX_FILE_BYTES,
    Link,
    ScenarioFileError,
    default_link,
    from_file,
    parse_query,
    query_for,
    query_string,
    to_file,
)
from planner.versions import MODEL_VERSION, Made

DATASET = load()


def changed(link: Link, **values: object) -> Link:
    return replace(link, scenario=link.scenario.with_values(DATASET.registry, values))


def test_default_link_is_empty() -> None:
    assert query_string(DATASET, default_link(DATASET)) == ""


def test_only_differences_from_the_preset_are_written() -> None:
    link = replace(default_link(DATASET), preset="delayed", scenario=DATASET.scenario("sez", "delayed"))
    link = changed(link, growth=22, delay=1)  # delay=1 is the preset's own value
    made = {"data": DATASET.version, "model": MODEL_VERSION}  # a link that sets anything names its versions
    assert query_for(DATASET, link) == {"preset": "delayed", "growth": "22", **made}
    assert query_string(DATASET, link) == f"?preset=delayed&growth=22&data={DATASET.version}&model={MODEL_VERSION}"


def test_a_link_says_what_it_was_made_with() -> None:
    link, rejected = parse_query(DATASET, {"growth": "22", "data": "0123abcd", "model": "3"})
    assert rejected == ()
    assert link.made == Made("0123abcd", "3")
    assert link.made.differs(DATASET.digest)
    same, _ = parse_query(DATASET, {"growth": "22", "data": DATASET.version, "model": MODEL_VERSION})
    assert same.made is not None and not same.made.differs(DATASET.digest)
    assert parse_query(DATASET, {"growth": "22"})[0].made is None  # an older link names nothing
    for bad in ({"data": "XYZ"}, {"data": "0123abcd", "model": "<b>"}, {"model": "4"}, {"data": ""}):
        link, rejected = parse_query(DATASET, bad)
        assert link.made is None
        assert rejected and all(r.key in ("data", "model") for r in rejected)


def test_a_file_says_what_it_was_made_with() -> None:
    content = json.loads(to_file(DATASET, default_link(DATASET)))
    assert content["model_version"] == MODEL_VERSION
    assert from_file(DATASET, json.dumps(content)).made == Made(DATASET.version, MODEL_VERSION)
    del content["model_version"]  # a file written before model versions
    assert from_file(DATASET, json.dumps(content)).made == Made(DATASET.version, "")


def test_round_trip_keeps_every_value_exactly() -> None:
    link = changed(
        replace(
            default_link(DATASET),
            zone="technoparks",
            lang="en",
            jobs_goal="strategy",
            scenario=DATASET.scenario("technoparks"),
        ),
        growth=28.47,
        profile="s",
        delay=0.35,
        density=33.3,
        horizon=2034,
        mix_pharma=17,
    )
    parsed, rejected = parse_query(DATASET, query_for(DATASET, link))
    assert rejected == ()
    assert replace(parsed, made=None) == link
    assert parsed.made == Made(DATASET.version, MODEL_VERSION)


def test_file_round_trip_and_it_carries_every_parameter() -> None:
    link = changed(default_link(DATASET), growth=19.99, ramp=2.5)
    content = to_file(DATASET, link)
    assert set(json.loads(content)["parameters"]) == set(DATASET.registry.keys)
    assert from_file(DATASET, content) == replace(link, made=Made(DATASET.version, MODEL_VERSION))


def test_bad_parts_of_a_link_are_dropped_and_the_rest_applies() -> None:
    link, rejected = parse_query(
        DATASET, {"growth": "abc", "delay": "2", "zone": "mars", "x": "1", "density": ["20", "30"]}
    )
    assert link.scenario["delay"] == 2.0 and link.zone == "sez"
    assert {r.key for r in rejected} == {"growth", "zone", "x", "density"}
    reasons = {r.key: r.reason for r in rejected}
    assert "not a number" in str(reasons["growth"]) and "given more than once" in str(reasons["density"])
    assert str(reasons["x"]) == "unknown parameter"


def test_a_jobs_goal_reading_must_exist_in_the_zone() -> None:
    link, rejected = parse_query(DATASET, {"zone": "technoparks", "jobs_goal": "seed"})
    assert link.jobs_goal == "strategy" and rejected[0].key == "jobs_goal"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "not a scenario file"),
        ('{"format": "other"}', "not a scenario file"),
        ('{"format": "technopolis-planner/scenario", "version": 9, "parameters": {}}', "unsupported"),
        ('{"format": "technopolis-planner/scenario", "version": 1}', '"parameters" must be'),
        ('{"format": "technopolis-planner/scenario", "version": 1, "parameters": {"growth": 99}}', "growth:"),
        ('{"format": "technopolis-planner/scenario", "version": 1, "parameters": {"growth": true}}', "growth:"),
        ('{"format": "technopolis-planner/scenario", "version": 1, "parameters": {"growth": [1]}}', "growth:"),
        ('{"format": "technopolis-planner/scenario", "version": 1, "parameters": {"evil": 1}}', "evil: unknown"),
        ('{"format": "technopolis-planner/scenario", "version": 1, "zone": 5, "parameters": {}}', "must be text"),
        (b"\xff\xfe", "not valid JSON"),
        ("x" * (MAX_FILE_BYTES + 1), "the limit is"),
    ],
)
def test_a_bad_file_is_refused_whole(content: str | bytes, message: str) -> None:
    with pytest.raises(ScenarioFileError, match=message.replace("(", r"\(")):
        from_file(DATASET, content)


# --- an analyst's own projects ---------------------------------------------------------------


def _edited(dataset):
    from dataclasses import replace as changed

    from planner.zone import Project

    sez = dataset.zone("sez")
    added = Project(
        "new_lab", "Лаборатория", "Lab", "Alabushevo", "pharma", "approved", 45_500.5, 2027, 2029, None, "x"
    )
    return (changed(sez.projects[2], floor_area_m2=700_000, status="approved"), *sez.projects[3:], added)


def test_a_link_round_trips_an_edited_pipeline_exactly(dataset) -> None:
    from dataclasses import replace as changed

    from planner.links import PROJECTS, Link, parse_query, query_for

    projects = _edited(dataset)
    scenario = changed(dataset.scenario("sez"), pipeline=projects)
    link = Link("sez", "plan", "ru", "seed", scenario)
    query = query_for(dataset, link)
    assert len(query[PROJECTS]) < 600  # kept projects travel by their key alone
    back, rejected = parse_query(dataset, query)
    assert rejected == () and back.scenario == scenario and back.scenario.pipeline == projects


def test_a_scenario_file_keeps_the_edited_pipeline(dataset) -> None:
    from dataclasses import replace as changed

    from planner.links import Link, from_file, to_file

    scenario = changed(dataset.scenario("sez"), pipeline=_edited(dataset))
    link = Link("sez", "plan", "ru", "seed", scenario)
    assert from_file(dataset, to_file(dataset, link).encode(), "ru").scenario == scenario


@pytest.mark.parametrize(
    "value",
    ["", "!!!", "eJzLSM3JyVcozy/KSQEAGgQEXQ", "x" * 9000],
    ids=["empty", "not-base64", "not-a-list", "too-long"],
)
def test_a_bad_projects_value_is_refused_and_the_rest_applies(dataset, value: str) -> None:
    from planner.links import PROJECTS, parse_query

    link, rejected = parse_query(dataset, {PROJECTS: value, "growth": "20"})
    assert [r.key for r in rejected] == [PROJECTS]
    assert link.scenario.pipeline is None and link.scenario.number("growth") == 20


def test_a_deflate_bomb_in_a_link_is_refused_by_its_size(dataset) -> None:
    import base64
    import zlib

    from planner.links import PROJECTS, parse_query

    bomb = base64.urlsafe_b64encode(zlib.compress(b"[" + b" " * 5_000_000 + b"]", 9)).decode().rstrip("=")
    _, rejected = parse_query(dataset, {PROJECTS: bomb})
    assert rejected and "inflates to more than" in str(rejected[0].reason)


def test_a_malformed_edited_row_is_named_by_its_row(dataset) -> None:
    from planner import project_rows
    from planner.zone import DataError

    rows = project_rows.to_rows(dataset.zone("sez").projects)
    rows[2][6] = "lots"  # floor_area_m2
    with pytest.raises(DataError, match=r"row 3, column floor_area_m2: 'lots' is not a number"):
        project_rows.from_rows(dataset.zone("sez"), rows, "the list")


def _packed(rows: object) -> str:
    import base64
    import json as json_module
    import zlib

    raw = json_module.dumps(rows, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


ROW = ["p1", "Имя", "Name", "S", "other", "announced", "1000", "", "2028", "", ""]


@pytest.mark.parametrize(
    ("cell", "value"),
    [(1, "\ud800"), (3, "\x1b[31mred"), (10, "a\ufffe"), (6, float("nan")), (8, float("inf"))],
    ids=["lone-surrogate", "terminal-escape", "non-character", "nan", "infinity"],
)
def test_a_linked_project_cell_that_is_not_text_is_refused(dataset, cell: int, value: object) -> None:
    from planner.links import PROJECTS, parse_query

    row = list(ROW)
    row[cell] = value
    link, rejected = parse_query(dataset, {PROJECTS: _packed([row])})
    assert [r.key for r in rejected] == [PROJECTS] and link.scenario.pipeline is None


def test_bytes_after_the_list_or_a_cut_stream_are_refused(dataset) -> None:
    from planner.links import PROJECTS, parse_query

    good = _packed([ROW])
    assert parse_query(dataset, {PROJECTS: good})[1] == ()
    for bad in (good + "AAAA", good[:-6]):
        assert [r.key for r in parse_query(dataset, {PROJECTS: bad})[1]] == [PROJECTS]


def test_projects_given_twice_are_named_so(dataset) -> None:
    from planner.links import PROJECTS, parse_query

    _, rejected = parse_query(dataset, {PROJECTS: ["a", "b"]})
    assert [(r.key, str(r.reason)) for r in rejected] == [(PROJECTS, "given more than once")]


def test_a_number_round_trips_digit_for_digit(dataset) -> None:
    from dataclasses import replace as changed

    from planner import project_rows

    sez = dataset.zone("sez")
    exact = (changed(sez.projects[1], floor_area_m2=1000.00000000001),)
    assert project_rows.decode(sez, project_rows.encode(exact, sez.projects)) == exact


def test_the_app_never_writes_a_projects_link_it_would_refuse(dataset) -> None:
    import hashlib

    from planner import project_rows
    from planner.zone import DataError, Project

    def word(i: int, salt: str) -> str:  # text that does not deflate away
        return hashlib.sha256(f"{salt}{i}".encode()).hexdigest()

    long_names = tuple(
        Project(
            f"p{i}",
            word(i, "ru"),
            word(i, "en"),
            word(i, "s"),
            "other",
            "announced",
            1e5 + i,
            2027,
            2028,
            None,
            word(i, "x"),
        )
        for i in range(120)
    )
    with pytest.raises(DataError, match="characters in a link, at most 8,000"):
        project_rows.fits_a_link(long_names, dataset.zone("sez").projects, "the list")
    assert project_rows.fits_a_link(long_names[:5], (), "the list")


def test_more_yearly_parts_than_the_monte_carlo_takes_are_refused(dataset) -> None:
    from planner import project_rows
    from planner.zone import DataError

    rows = [[f"p{i}", "a", "a", "s", "other", "announced", "1000", "2000", "2035", "", ""] for i in range(60)]
    with pytest.raises(DataError, match="2,160 yearly parts; at most 2,000"):
        project_rows.from_rows(dataset.zone("sez"), rows, "the list")
