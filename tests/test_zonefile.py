"""One uploaded zone file: the template round trip, another zone's own clusters, and refusals
that name the file's row and column (or the table, for whole-file checks)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from planner.data import Dataset
from planner.forecast import project
from planner.outlook import assess
from planner.risk import simulate
from planner.zone import DataError
from planner.zonefile import MAX_BYTES, load_zone_csv, template_csv
from tests.conftest import NORTH

NAME = "my-zone.csv"


def load(content: bytes | str, dataset: Dataset, **options: int) -> Dataset:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return load_zone_csv(raw, NAME, dataset, **options)


# --- the template round trip ---------------------------------------------------------------


@pytest.mark.parametrize("zone_key", ["sez", "technoparks"])  # zones together are no one zone's file
def test_the_template_loads_back_to_the_same_zone(dataset: Dataset, zone_key: str) -> None:
    uploaded = load(template_csv(dataset, zone_key), dataset)
    assert [zone.key for zone in uploaded.zones] == [zone_key]
    assert uploaded.zone(zone_key) == dataset.zone(zone_key)
    assert uploaded.registry == dataset.registry


def test_the_sez_template_projects_exactly_as_the_bundled_sez(dataset: Dataset) -> None:
    uploaded = load(template_csv(dataset, "sez"), dataset)
    ours = project(uploaded.zone("sez"), uploaded.scenario("sez", "plan"))
    theirs = project(dataset.zone("sez"), dataset.scenario("sez", "plan"))
    assert uploaded.scenario("sez", "plan") == dataset.scenario("sez", "plan")
    for series in ("years", "floor_area_m2", "jobs", "new_jobs", "companies", "investment_rub"):
        np.testing.assert_array_equal(getattr(ours, series), getattr(theirs, series), err_msg=series)


def test_a_spreadsheet_export_with_bom_and_crlf_reads_the_same(dataset: Dataset) -> None:
    text = template_csv(dataset, "sez").replace("\n", "\r\n")
    uploaded = load(b"\xef\xbb\xbf" + text.encode("utf-8"), dataset)
    assert uploaded.zone("sez") == dataset.zone("sez")


def test_the_version_is_a_short_hash_of_the_bytes(dataset: Dataset) -> None:
    text = template_csv(dataset, "sez")
    first, second = load(text, dataset), load(text + "\n", dataset)
    assert re.fullmatch(r"[0-9a-f]{8}", first.version)
    assert first.version == load(text, dataset).version != second.version


def test_presets_keep_only_their_zone_independent_values(dataset: Dataset) -> None:
    uploaded = load(template_csv(dataset, "sez"), dataset)
    assert [p.key for p in uploaded.presets] == [p.key for p in dataset.presets]
    for ours, theirs in zip(uploaded.presets, dataset.presets, strict=True):
        assert ours.values == theirs.values
        assert ours.zone_values == ()
        assert ours.label_en == theirs.label_en and ours.source == theirs.source


@pytest.mark.parametrize("zone_key", ["sez", "technoparks"])
def test_without_its_row_growth_is_derived_as_the_bundled_defaults_were(dataset: Dataset, zone_key: str) -> None:
    """22.87 and 14.01 in data/defaults.csv follow the same rounded-up rule, from the jump-off."""
    lines = [line for line in template_csv(dataset, zone_key).splitlines() if not line.startswith("default,growth,")]
    zone = load("\n".join(lines), dataset).zone(zone_key)
    growth = next(item for item in zone.defaults if item.key == "growth")
    assert growth.value == dataset.zone(zone_key).default_values()["growth"]
    assert growth.source.startswith("derived: ") and "rounded up" in growth.source


# --- a zone with clusters of its own -------------------------------------------------------


def test_a_zone_with_its_own_clusters_loads_and_projects(dataset: Dataset) -> None:
    uploaded = load(NORTH, dataset)
    zone = uploaded.zone("north")
    assert uploaded.registry.mix_keys == ("mix_software", "mix_robotics")
    assert "mix_ev" not in uploaded.registry
    assert zone.source == "assumption: an example zone"
    assert zone.land_ha is None and zone.goal("new_jobs").reading == "plan"
    defaults = {item.key: item for item in zone.defaults}
    assert set(defaults) == set(uploaded.registry.keys)
    assert all(item.source for item in zone.defaults)
    assert defaults["occupancy"].value == "85"  # the file's own
    assert defaults["growth"].value == "12.25"  # 2^(1/6) − 1 = 12.246 %, rounded up
    assert (defaults["mix_software"].value, defaults["mix_robotics"].value) == ("60", "40")
    assert defaults["horizon"].value == "2031"
    assert defaults["density"].value == "32"  # 0.6 × 40 + 0.4 × 20: the zone's own densities
    assert defaults["density"].source.startswith("derived: ")
    assert defaults["capex"].source.startswith("bundled SEZ default: ")

    outlook = assess(uploaded, "north", uploaded.scenario("north"))
    assert outlook.projection.cluster_keys == ("software", "robotics")
    assert outlook.projection.years[-1] == 2031
    assert outlook.area.met  # the derived growth meets the area goal
    assert outlook.jobs.value > 0
    for preset in uploaded.presets:
        assess(uploaded, "north", uploaded.scenario("north", preset.key))
    scenario = uploaded.scenario("north").with_values(uploaded.registry, {"draws": 1000, "mix_robotics": 80})
    risk = simulate(zone, scenario, uploaded.registry, zone.goal("floor_area"), zone.goal("new_jobs"))
    assert 0 <= risk.probability_both <= 1


def test_a_target_year_before_the_horizons_range_shows_the_first_horizon(dataset: Dataset) -> None:
    zone = load(NORTH.replace(",2031,", ",2028,"), dataset).zone("north")
    horizon = next(item for item in zone.defaults if item.key == "horizon")
    assert horizon.value == "2030" and "raised" in horizon.source


def test_the_documented_example_loads_as_described(dataset: Dataset) -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "zone-format.md").read_text(encoding="utf-8")
    example = re.search(r"```csv\n(.*?)```", text, re.DOTALL)
    assert example is not None
    defaults = load(example.group(1), dataset).zone("north").default_values()
    assert (defaults["growth"], defaults["mix_software"], defaults["mix_robotics"]) == ("12.25", "60", "40")
    assert (defaults["horizon"], defaults["occupancy"]) == ("2031", "85")


# --- refusals ------------------------------------------------------------------------------

# Each case edits the SEZ template (one row per line) and returns (content, row, column, text).
Expected = tuple[bytes, int | None, str | None, str]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def written(table: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue().encode("utf-8")


def find(table: list[list[str]], *start: str) -> int:
    """Index of the first row whose leading cells are `start` (its row number less one)."""
    return next(i for i, row in enumerate(table) if tuple(row[: len(start)]) == start)


def set_cell(table: list[list[str]], start: tuple[str, ...], column: int, value: str) -> int:
    index = find(table, *start)
    table[index][column] = value
    return index + 1


def drop(table: list[list[str]], keep: Callable[[list[str]], bool]) -> list[list[str]]:
    return [row for row in table if keep(row)]


def not_utf8(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("zone", "sez", "name_en"), 3, "@@")
    content = written(t).replace(b"@@", "Технополис".encode("cp1251"))
    return content, row, "value", "is not UTF-8 text"


def not_utf8_after_a_byte_order_mark(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("cluster", "ev", "name_ru"), 4, "@@")
    content = b"\xef\xbb\xbf" + written(t).replace(b"@@", b"\xff")
    return content, row, "source", "is not UTF-8 text"


def misnamed_column(t: list[list[str]]) -> Expected:
    t[0][3] = "val"
    return written(t), 1, "value", "the header must be table,key,field,value,source; found 'val'"


def semicolons(t: list[list[str]]) -> Expected:
    t[0] = [";".join(t[0])]
    return written(t), 1, "table", "separate the columns with commas"


def unknown_table(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("zone", "sez", "occupancy_pct"), 0, "zones")
    return (
        written(t),
        row,
        "table",
        "unknown table 'zones'; expected one of zone, cluster, goal, actual, project, default",
    )


def unknown_field(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("cluster", "pharma", "density_jobs_per_1000m2"), 2, "density")
    return written(t), row, "field", "unknown field 'density' for table cluster"


def not_a_number(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("actual", "2024", "floor_area_m2"), 3, "1.6 million")
    return written(t), row, "value", "'1.6 million' is not a number"


def separators_are_not_numbers(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("actual", "2024", "jobs"), 3, "22_100")
    return written(t), row, "value", "'22_100' is not a number"


def negative(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("actual", "2025", "jobs"), 3, "-30000")
    return written(t), row, "value", "'-30000' must be a finite, non-negative number"


def infinite(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("cluster", "ev", "base_share_pct"), 3, "1e999")
    return written(t), row, "value", "'1e999' must be a finite, non-negative number"


def nan(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("goal", "floor_area:seed", "value"), 3, "nan")
    return written(t), row, "value", "'nan' is not a number"


def occupancy_above_100(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("zone", "sez", "occupancy_pct"), 3, "105")
    return written(t), row, "value", "above 100 %"


def empty_source(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("cluster", "lifts", "base_share_pct"), 4, " ")
    return written(t), row, "source", "every number needs a source"


def duplicated(t: list[list[str]]) -> Expected:
    first = find(t, "zone", "sez", "occupancy_pct")
    t.append(list(t[first]))
    return written(t), len(t), None, f"zone sez occupancy_pct is given twice (first in row {first + 1})"


def duplicated_goal_under_its_default_reading(t: list[list[str]]) -> Expected:
    t = [[cell.replace("floor_area:seed", "floor_area") for cell in row] for row in t]
    t.append(["goal", "floor_area:main", "basis", "multiple", ""])
    return written(t), len(t), None, "goal floor_area:main basis is given twice"


def a_second_zone(t: list[list[str]]) -> Expected:
    t.append(["zone", "technoparks", "land_ha", "10", "assumption"])
    return written(t), len(t), "key", "the file describes one zone, 'sez' (row 2)"


def bad_slug(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("cluster", "pharma", "name_en"), 1, "Pharma")
    return written(t), row, "key", "'Pharma' is not a key"


def year_not_whole(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("actual", "2020", "jobs"), 1, "2020.5")
    return written(t), row, "key", "'2020.5' must be a whole year from 2000 to 2035"


def target_year_not_whole(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("goal", "new_jobs:seed", "year"), 3, "2030.5")
    return written(t), row, "value", "'2030.5' must be a whole year from 2016 to 2035"


def base_year_too_early(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("goal", "floor_area:seed", "base_year"), 3, "1990")
    return written(t), row, "value", "'1990' must be a whole year from 2000 to 2034"


def base_year_without_an_observation(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("goal", "floor_area:seed", "base_year"), 3, "2023")
    return written(t), row, "value", "goal floor_area:seed counts from 2023, but the actuals give no floor_area_m2"


def no_complete_year(t: list[list[str]]) -> Expected:
    t = drop(t, lambda r: not (r[0] == "actual" and r[2] == "companies"))
    return (
        written(t),
        None,
        None,
        "table actual of zone 'sez': no year gives floor_area_m2, jobs and companies together",
    )


def unknown_goal_metric(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("goal", "new_jobs:seed", "label_en"), 1, "happiness:seed")
    return written(t), row, "key", "a goal is floor_area or new_jobs"


def basis_for_another_metric(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("goal", "floor_area:seed", "basis"), 3, "new")
    return written(t), row, "value", "basis for this goal must be one of multiple, increment_m2, total_m2"


def is_default_not_a_boolean(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("goal", "new_jobs:strategy", "is_default"), 3, "yes")
    return written(t), row, "value", "'yes' must be true or false"


def empty_name(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("cluster", "other", "name_ru"), 3, "")
    return written(t), row, "value", "is empty"


def too_many_fields(t: list[list[str]]) -> Expected:
    row = find(t, "zone", "sez", "land_ha") + 1
    t[row - 1].append("surplus")
    return written(t), row, None, "has 6 fields, expected 5"


def default_out_of_range(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("default", "occupancy"), 3, "120")
    return written(t), row, "value", "default occupancy: 120 is out of range; use a number from 50 to 100"


def default_unknown_parameter(t: list[list[str]]) -> Expected:
    row = set_cell(t, ("default", "ramp"), 1, "ramp_years")
    return written(t), row, "key", "default ramp_years: unknown parameter"


def default_for_another_zones_cluster(t: list[list[str]]) -> Expected:
    t = drop(t, lambda r: r[:2] not in (["cluster", "batteries"], ["default", "mix_batteries"]))
    t = drop(t, lambda r: r[:2] != ["project", "krasnaya_pakhra"])  # the batteries' project goes with them
    t.append(["default", "mix_batteries", "value", "5", "assumption"])
    set_cell(t, ("cluster", "other", "base_share_pct"), 3, "31")
    return written(t), len(t), "key", "default mix_batteries: unknown parameter"


def horizon_before_the_target(t: list[list[str]]) -> Expected:
    for index, row in enumerate(t):
        if row[0] == "goal" and row[2] == "year":
            t[index][3] = "2032"
    row = find(t, "default", "horizon") + 1
    return written(t), row, "value", "default horizon: 2030 is before the target year 2032"


# Whole-file checks: no row or column, the message names the table.


def shares_off_100(t: list[list[str]]) -> Expected:
    set_cell(t, ("cluster", "pharma", "base_share_pct"), 3, "15")
    return written(t), None, None, "table cluster of zone 'sez': base_share_pct sums to 105, not 100"


def no_clusters(t: list[list[str]]) -> Expected:
    return (
        written(drop(t, lambda r: r[0] != "cluster")),
        None,
        None,
        ("table cluster of zone 'sez': no clusters; give at least one"),
    )


def cluster_incomplete(t: list[list[str]]) -> Expected:
    t = drop(t, lambda r: r[:3] != ["cluster", "ev", "density_jobs_per_1000m2"])
    return written(t), None, None, "table cluster of zone 'sez': 'ev' lacks density_jobs_per_1000m2"


def zone_field_missing(t: list[list[str]]) -> Expected:
    return (
        written(drop(t, lambda r: r[:3] != ["zone", "sez", "occupancy_pct"])),
        None,
        None,
        ("table zone of zone 'sez': 'sez' lacks occupancy_pct"),
    )


def no_zone(t: list[list[str]]) -> Expected:
    return written(drop(t, lambda r: r[0] != "zone")), None, None, "table zone: the file has no zone rows"


def two_default_jobs_goals(t: list[list[str]]) -> Expected:
    set_cell(t, ("goal", "new_jobs:strategy", "is_default"), 3, "true")
    return (
        written(t),
        None,
        None,
        ("table goal of zone 'sez': needs exactly one default new_jobs goal (is_default true), has 2"),
    )


def no_area_goal(t: list[list[str]]) -> Expected:
    t = drop(t, lambda r: r[1] != "floor_area:seed")
    return (
        written(t),
        None,
        None,
        ("table goal of zone 'sez': needs exactly one default floor_area goal (is_default true), has 0"),
    )


def goal_incomplete(t: list[list[str]]) -> Expected:
    t = drop(t, lambda r: r[1:3] != ["new_jobs:strategy", "label_ru"])
    return written(t), None, None, "table goal of zone 'sez': 'new_jobs:strategy' lacks label_ru"


def two_target_years(t: list[list[str]]) -> Expected:
    set_cell(t, ("goal", "new_jobs:seed", "year"), 3, "2031")
    return written(t), None, None, "table goal of zone 'sez': all goals must share one target year; found 2030, 2031"


def empty_jump_off(t: list[list[str]]) -> Expected:
    set_cell(t, ("actual", "2025", "floor_area_m2"), 3, "0")
    return written(t), None, None, "table actual of zone 'sez': floor_area_m2 of the jump-off year 2025 must be above 0"


def base_year_after_the_target(t: list[list[str]]) -> Expected:
    set_cell(t, ("goal", "new_jobs:strategy", "base_year"), 3, "2030")
    t.extend([["actual", "2030", "jobs", "90000", "test"]])
    return (
        written(t),
        None,
        None,
        ("table goal of zone 'sez': goal new_jobs:strategy counts from 2030, not before its target year 2030"),
    )


def target_not_after_the_jump_off(t: list[list[str]]) -> Expected:
    t.extend([["actual", "2030", field, "1", "test"] for field in ("floor_area_m2", "jobs", "companies")])
    return (
        written(t),
        None,
        None,
        ("table goal of zone 'sez': the target year 2030 must come after the jump-off year 2030"),
    )


def every_mix_share_zero(t: list[list[str]]) -> Expected:
    for index, row in enumerate(t):
        if row[0] == "default" and row[1].startswith("mix_"):
            t[index][3] = "0"
    return written(t), None, None, "table default: every mix_ share is 0"


CASES: tuple[Callable[[list[list[str]]], Expected], ...] = (
    not_utf8,
    not_utf8_after_a_byte_order_mark,
    misnamed_column,
    semicolons,
    unknown_table,
    unknown_field,
    not_a_number,
    separators_are_not_numbers,
    negative,
    infinite,
    nan,
    occupancy_above_100,
    empty_source,
    duplicated,
    duplicated_goal_under_its_default_reading,
    a_second_zone,
    bad_slug,
    year_not_whole,
    target_year_not_whole,
    base_year_too_early,
    base_year_without_an_observation,
    no_complete_year,
    unknown_goal_metric,
    basis_for_another_metric,
    is_default_not_a_boolean,
    empty_name,
    too_many_fields,
    default_out_of_range,
    default_unknown_parameter,
    default_for_another_zones_cluster,
    horizon_before_the_target,
    shares_off_100,
    no_clusters,
    cluster_incomplete,
    zone_field_missing,
    no_zone,
    two_default_jobs_goals,
    no_area_goal,
    goal_incomplete,
    two_target_years,
    target_not_after_the_jump_off,
    empty_jump_off,
    base_year_after_the_target,
    every_mix_share_zero,
)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_a_malformed_upload_is_refused_naming_row_and_column(
    dataset: Dataset, case: Callable[[list[list[str]]], Expected]
) -> None:
    content, row, column, text = case(rows(template_csv(dataset, "sez")))
    with pytest.raises(DataError) as error:
        load(content, dataset)
    message = str(error.value)
    where = NAME + (f", row {row}" if row is not None else "") + (f", column {column}" if column else "")
    assert message.startswith(where + ": "), message
    assert text in message, message
    assert (error.value.file, error.value.row, error.value.column) == (NAME, row, column)
    assert "\n" not in message


def test_an_empty_file_is_refused_at_its_header(dataset: Dataset) -> None:
    with pytest.raises(DataError, match=re.escape(f"{NAME}, row 1, column table: the header must be")):
        load(b"", dataset)


def test_a_row_is_counted_as_a_spreadsheet_counts_it(dataset: Dataset) -> None:
    """A quoted source spanning two lines is one row, so later rows keep their numbers."""
    table = rows(template_csv(dataset, "sez"))
    table[1][4] = "first line\nsecond line"
    row = set_cell(table, ("zone", "sez", "occupancy_pct"), 3, "many")
    with pytest.raises(DataError) as error:
        load(written(table), dataset)
    assert (error.value.row, error.value.column) == (row, "value")


def test_quoted_user_text_is_made_printable_and_short(dataset: Dataset) -> None:
    table = rows(template_csv(dataset, "sez"))
    row = set_cell(table, ("zone", "sez", "occupancy_pct"), 0, "<script>\u202e" + "x" * 500)
    with pytest.raises(DataError) as error:
        load(written(table), dataset)
    message = str(error.value)
    assert error.value.row == row and "\u202e" not in message and len(message) < 200


# --- the size limit ------------------------------------------------------------------------


def test_an_oversized_file_is_refused_before_it_is_parsed(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: object) -> str:
        raise AssertionError("an oversized file was decoded")

    monkeypatch.setattr("planner.zonefile._decode", never)
    junk = b"\xff" * (MAX_BYTES + 1)  # not even UTF-8: the size alone refuses it
    with pytest.raises(DataError) as error:
        load(junk, dataset)
    assert str(error.value) == f"{NAME}: is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,}"
    assert (error.value.row, error.value.column) == (None, None)


def test_the_limit_is_inclusive_and_can_be_set(dataset: Dataset) -> None:
    content = template_csv(dataset, "sez").encode("utf-8")
    assert load(content, dataset, limit=len(content)).zone("sez") == dataset.zone("sez")
    with pytest.raises(DataError, match="the limit is"):
        load(content, dataset, limit=len(content) - 1)


def test_an_uploaded_zone_is_checked_against_the_same_sanity_rules(dataset: Dataset) -> None:
    uploaded = load_zone_csv(template_csv(dataset, "sez").encode(), "zone.csv", dataset)
    assert uploaded.rules == dataset.rules


def test_an_uploaded_2026_row_of_actuals_moves_the_jump_off_and_no_goal(dataset: Dataset) -> None:
    rows_2026 = "".join(
        f"actual,2026,{field},{value},assumption: a year of actuals as it might be reported\n"
        for field, value in (("floor_area_m2", 2_600_000), ("jobs", 38_000), ("companies", 280))
    )
    text = template_csv(dataset, "sez")
    zone = load(text + rows_2026, dataset).zone("sez")
    assert zone.jump_off_year == 2026 and zone.floor_area_m2 == 2_600_000
    assert zone.goals == dataset.zone("sez").goals
    run = project(zone, load(text + rows_2026, dataset).scenario("sez"))
    assert run.years[0] == 2026 and run.floor_area_m2[0] == 2_600_000
