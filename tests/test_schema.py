"""One rule table, two adapters: each corruption of a zone's data is made once, in the
bundled folder and in the uploaded file, and both are refused with the same sentence, each
naming its own file, row and column. The format's documentation is the schema's own."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from planner.data import DEFAULT_DATA_DIR, load
from planner.schema import SCHEMA, TABLES, format_tables
from planner.zone import DataError
from planner.zonefile import load_zone_csv, template_csv

BUNDLED = load()
ROOT = Path(__file__).resolve().parents[1]

# Where a (table, key, field) cell of the SEZ lives in the bundled folder: the file, the
# columns that find its row, and the column that holds it.
_FOLDER = {
    "zone": lambda key, field: (
        ("zones.csv", {"key": key}, field)
        if field in ("name_ru", "name_en")
        else ("baseline.csv", {"zone": key, "field": field}, "value")
    ),
    "cluster": lambda key, field: ("clusters.csv", {"zone": "sez", "key": key}, field),
    "goal": lambda key, field: (
        "goals.csv",
        {"zone": "sez", "metric": key.split(":")[0], "reading": key.split(":")[1]},
        field,
    ),
    "actual": lambda key, field: ("actuals.csv", {"zone": "sez", "year": key}, field),
    "default": lambda key, field: ("defaults.csv", {"zone": "sez", "key": key}, "value"),
}

# (id, table, key, field, bad value, words the sentence holds)
RULES = [
    ("not_a_number", "actual", "2025", "jobs", "lots", "'lots' is not a number"),
    ("grouped_number", "actual", "2025", "floor_area_m2", "1 600 000", "is not a number"),
    ("negative", "actual", "2025", "companies", "-5", "'-5' must be a finite, non-negative number"),
    ("nan", "actual", "2024", "jobs", "nan", "'nan' is not a number"),
    ("huge", "actual", "2024", "jobs", "1e300", "must be a finite, non-negative number up to 1e+12"),
    ("occupancy_above_100", "zone", "sez", "occupancy_pct", "101", "'101' is above 100 %"),
    ("land_not_a_number", "zone", "sez", "land_ha", "wide", "'wide' is not a number"),
    (
        "base_year_fraction",
        "goal",
        "floor_area:seed",
        "base_year",
        "2024.5",
        "'2024.5' must be a whole year from 2000 to 2034",
    ),
    ("base_year_too_early", "goal", "new_jobs:seed", "base_year", "1990", "must be a whole year from 2000 to 2034"),
    ("empty_name", "zone", "sez", "name_en", "", "is empty"),
    ("share_above_100", "cluster", "pharma", "base_share_pct", "150", "'150' is above 100 %"),
    ("zero_density", "cluster", "pharma", "density_jobs_per_1000m2", "0", "must be positive"),
    ("empty_cluster_name", "cluster", "pharma", "name_ru", "", "is empty"),
    ("goal_year_fraction", "goal", "floor_area:seed", "year", "2030.5", "must be a whole year from 2016 to 2035"),
    ("goal_basis", "goal", "floor_area:seed", "basis", "lots", "basis for this goal must be one of"),
    ("goal_default_word", "goal", "floor_area:seed", "is_default", "maybe", "'maybe' must be true or false"),
    ("goal_value", "goal", "new_jobs:seed", "value", "x", "'x' is not a number"),
    ("actual_number", "actual", "2025", "jobs", "many", "'many' is not a number"),
    ("default_out_of_range", "default", "growth", "value", "400", "default growth: 400 is out of range"),
    ("default_not_a_number", "default", "delay", "value", "soon", "default delay: soon is not a number"),
]
# Whole-table rules: (id, cells to change, words)
TABLE_RULES = [
    (
        "shares_off_100",
        [("cluster", "pharma", "base_share_pct", "15")],
        "table cluster of zone 'sez': base_share_pct sums to 105, not 100",
    ),
    (
        "two_default_jobs_goals",
        [("goal", "new_jobs:strategy", "is_default", "TRUE")],
        "table goal of zone 'sez': needs exactly one default new_jobs goal (is_default true), has 2",
    ),
    (
        "no_default_area_goal",
        [("goal", "floor_area:seed", "is_default", "false")],
        "table goal of zone 'sez': needs exactly one default floor_area goal (is_default true), has 0",
    ),
]


def _edit_csv(text: str, find: dict[str, str], column: str, value: str) -> tuple[str, int]:
    """`text` with one cell changed; returns the new text and the cell's row (header = 1)."""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    header = list(rows[0].keys())
    matches = [i for i, row in enumerate(rows) if all(row[k] == v for k, v in find.items())]
    assert len(matches) == 1, (find, matches)
    rows[matches[0]][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), matches[0] + 2


def _folder_with(tmp_path: Path, changes: list[tuple[str, str, str, str]]) -> tuple[Path, str, int, str]:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    where = ("", 0, "")
    for table, key, field, value in changes:
        name, find, column = _FOLDER[table](key, field)
        text, row = _edit_csv((folder / name).read_text(encoding="utf-8"), find, column, value)
        (folder / name).write_text(text, encoding="utf-8")
        where = (name, row, column)
    return folder, *where


def _upload_with(changes: list[tuple[str, str, str, str]]) -> tuple[bytes, int]:
    text = template_csv(BUNDLED, "sez")
    row = 0
    for table, key, field, value in changes:
        text, row = _edit_csv(text, {"table": table, "key": key, "field": field}, "value", value)
    return text.encode(), row


@pytest.mark.parametrize(("case", "table", "key", "field", "value", "words"), RULES, ids=[r[0] for r in RULES])
def test_a_corrupt_cell_gets_the_same_sentence_from_both_adapters(
    tmp_path: Path, case: str, table: str, key: str, field: str, value: str, words: str
) -> None:
    folder, name, row, column = _folder_with(tmp_path, [(table, key, field, value)])
    with pytest.raises(DataError) as from_folder:
        load(folder)
    content, upload_row = _upload_with([(table, key, field, value)])
    with pytest.raises(DataError) as from_upload:
        load_zone_csv(content, "zone.csv", BUNDLED)
    assert (
        str(from_folder.value) == f"{name}, row {row}, column {column}: {from_folder.value.args[0].split(': ', 1)[1]}"
    )
    assert str(from_upload.value).startswith(f"zone.csv, row {upload_row}, column value: ")
    said_by_folder = str(from_folder.value).split(": ", 1)[1]
    said_by_upload = str(from_upload.value).split(": ", 1)[1]
    assert words in said_by_folder
    assert said_by_folder == said_by_upload


@pytest.mark.parametrize(("case", "changes", "words"), TABLE_RULES, ids=[r[0] for r in TABLE_RULES])
def test_a_broken_table_gets_the_same_sentence_from_both_adapters(
    tmp_path: Path, case: str, changes: list[tuple[str, str, str, str]], words: str
) -> None:
    folder, *_ = _folder_with(tmp_path, changes)
    with pytest.raises(DataError) as from_folder:
        load(folder)
    content, _ = _upload_with(changes)
    with pytest.raises(DataError) as from_upload:
        load_zone_csv(content, "zone.csv", BUNDLED)
    table = changes[0][0]
    assert str(from_folder.value) == f"{TABLES[table].folder_file}: {words}"
    assert str(from_upload.value) == f"zone.csv: {words}"


def test_a_spreadsheets_true_and_false_are_read_alike_by_both(tmp_path: Path) -> None:
    changes = [("goal", "floor_area:seed", "is_default", "TRUE")]
    folder, *_ = _folder_with(tmp_path, changes)
    content, _ = _upload_with(changes)
    assert load(folder).zone("sez").goal("floor_area").reading == "seed"
    assert load_zone_csv(content, "zone.csv", BUNDLED).zones[0].goal("floor_area").reading == "seed"


def test_the_format_documentation_is_the_schemas_own() -> None:
    doc = (ROOT / "docs" / "zone-format.md").read_text(encoding="utf-8")
    assert format_tables() in doc, "regenerate docs/zone-format.md's field tables from planner.schema.format_tables()"
    for table in SCHEMA:
        for field in table.fields:
            assert f"`{field.name}`" in doc
