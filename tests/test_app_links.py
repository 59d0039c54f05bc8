"""AppTest for links, the share box, pins, exports and imports."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from planner.data import load
from planner.export import workbook_bytes, yearly_frame
from planner.i18n import text
from planner.links import MAX_FILE_BYTES, parse_query, to_file
from planner.outlook import assess
from planner.ui.sharing import NOTICE_LINES, SHARE_OPEN, plain
from planner.versions import MODEL_VERSION
from tests.conftest import link_notices, metric_values, open_groups, open_link

DATASET = load()


def open_app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    """The app opened on a link, with every parameter group open."""
    return open_groups(open_link(query))


def slider_values(at: AppTest) -> dict[str, float]:
    return {s.key: s.value for s in at.slider}


def open_tab(at: AppTest, name: str) -> None:
    at.session_state["tab"] = text(f"tab_{name}", at.session_state["lang"])
    at.run()
    assert not at.exception


def test_a_scenario_read_back_through_its_link_gives_identical_numbers() -> None:
    at = open_app()
    at.selectbox(key="zone").set_value("technoparks").run()
    at.selectbox(key="preset").set_value("delayed").run()
    at.radio(key="lang").set_value("en").run()
    at.slider(key="growth").set_value(19.37).run()
    at.slider(key="density").set_value(27.7).run()
    at.slider(key="horizon").set_value(2033).run()
    at.selectbox(key="profile").set_value("s").run()
    query = dict(at.query_params)
    assert query == {
        "lang": "en",
        "zone": "technoparks",
        "preset": "delayed",
        "growth": "19.37",
        "profile": "s",
        "density": "27.7",
        "horizon": "2033",
        "data": DATASET.version,
        "model": MODEL_VERSION,
    }
    reopened = open_app(query)
    assert metric_values(reopened) == metric_values(at)
    assert slider_values(reopened) == slider_values(at)
    assert [m.label for m in reopened.metric] == [m.label for m in at.metric]  # English too


def test_the_share_box_shows_the_current_link() -> None:
    at = open_app({"growth": "21"})
    assert not at.sidebar.code  # a closed box builds nothing
    at.session_state[SHARE_OPEN] = True
    at.slider(key="delay").set_value(0.5).run()
    made = f"&data={DATASET.version}&model={MODEL_VERSION}"
    assert any(code.value == "?growth=21&delay=0.5" + made for code in at.sidebar.code)


def test_the_preset_baseline_stays_out_of_the_link() -> None:
    at = open_app()
    at.slider(key="growth").set_value(10.0).run()
    assert dict(at.query_params) == {"growth": "10", "data": DATASET.version, "model": MODEL_VERSION}
    at.button[0].click().run()  # reset
    assert dict(at.query_params) == {}


HOSTILE = [
    {"growth": "abc"},
    {"growth": "NaN"},
    {"growth": "nan"},
    {"growth": "inf"},
    {"growth": "-inf"},
    {"growth": "1e308"},
    {"growth": "-1"},
    {"growth": "41"},
    {"growth": ""},
    {"growth": "9" * 5000},
    {"horizon": "2031.5"},
    {"delivery": "0x10"},
    {"growth": ["10", "20"]},
    {"profile": "zigzag"},
    {"zone": "mars"},
    {"preset": "../../etc/passwd"},
    {"lang": "de"},
    {"jobs_goal": "everything"},
    {"<script>alert(1)</script>": "1"},
    {"growth": "<img src=x onerror=alert(1)>"},
    {"growth": "[click](javascript:alert(1))"},
    {"growth": "**bold** `code` $x$"},
    {"x" * 3000: "1"},
    {"growth": "２０"},  # full-width digits
    {"density": "\u202e20"},  # bidi override
    {f"k{i}": "1" for i in range(80)},
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_link_leaves_the_app_running_with_a_notice(query: dict) -> None:
    at = open_app({"delay": "1", **query})  # a good part alongside: it must still apply
    assert at.slider(key="delay").value == 1.0
    assert len(at.metric) == 5
    assert len(link_notices(at)) == 1
    notice = link_notices(at)[0]
    _, rejected = parse_query(DATASET, query)
    assert rejected, "the codec should reject this link part"
    # The first few dropped parts are named; the rest are counted, not listed.
    for part in rejected[:NOTICE_LINES]:
        assert plain(part.key) in notice
    for part in rejected[NOTICE_LINES:]:
        assert f"{plain(part.key)} =" not in notice
    if len(rejected) > NOTICE_LINES:
        assert str(len(rejected) - NOTICE_LINES) in notice
    assert not re.search(r"(?<!\\)[<>\[\]*`$]", notice)  # user text is escaped, never markup
    dismiss = next(b for b in at.button if b.key == "dismiss_notice")
    dismiss.click().run()
    assert link_notices(at) == []


def test_pins_compare_restore_and_remove() -> None:
    at = open_app()
    open_tab(at, "compare")
    assert len(at.info) == 1  # nothing pinned yet
    at.text_input(key="pin_name").input("Plan").run()
    pin = next(b for b in at.button if b.label == text("pin", "ru"))
    pin.click().run()
    at.slider(key="growth").set_value(15.0).run()
    next(b for b in at.button if b.label == text("pin", "ru")).click().run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["Plan", text("pin_default", "ru", n=2)]
    assert table.loc["Рост площади, % в год"].tolist() == ["22,87", "15,00"]
    assert len(at.get("vega_lite_chart")) == 2
    at.button(key="restore_0").click().run()
    assert at.slider(key="growth").value == pytest.approx(22.87)
    at.button(key="remove_0").click().run()
    assert list(at.dataframe[0].value.columns) == [text("pin_default", "ru", n=2)]


def test_at_most_six_pins() -> None:
    at = open_app()
    open_tab(at, "compare")
    for _ in range(6):
        next(b for b in at.button if b.label == text("pin", "ru")).click().run()
    assert next(b for b in at.button if b.label == text("pin", "ru")).disabled
    assert len(at.dataframe[0].value.columns) == 6


def test_exports_hold_the_numbers_shown() -> None:
    at = open_app({"growth": "18.5", "density": "24"})
    open_tab(at, "export")
    assert {b.key for b in at.main.get("download_button")} >= {
        "download_yearly_csv",
        "download_clusters_csv",
        "download_xlsx",
        "download_json",
    }
    link, _ = parse_query(DATASET, dict(at.query_params))
    outlook = assess(DATASET, link.zone, link.scenario, link.jobs_goal)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(DATASET, outlook, link.preset, "?growth=18.5")))
    assert book.sheetnames == ["Summary", "Yearly", "Clusters", "Assumptions"]
    yearly = book["Yearly"]
    header = [c.value for c in yearly[1]]
    last = [c.value for c in yearly[yearly.max_row]]
    new_jobs = last[header.index("new_jobs")]
    assert isinstance(new_jobs, int)  # people are counted whole
    shown = at.metric[1].value.replace("\u00a0", "")
    assert shown == f"{new_jobs}"
    assert yearly.cell(row=2, column=header.index("floor_area_m2") + 1).number_format == "#,##0"
    assert yearly_frame(outlook)["new_jobs"].iloc[-1] == pytest.approx(new_jobs, abs=0.5)
    assumptions = {row[0].value: row for row in book["Assumptions"].iter_rows(min_row=2)}
    assert assumptions["growth"][2].value == 18.5 and assumptions["growth"][4].value


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="scenario_upload").set_value((name, content, "application/json")).run()
    assert not at.exception
    return at


def test_import_applies_a_good_file() -> None:
    link, _ = parse_query(DATASET, {"zone": "technoparks", "growth": "12.34", "profile": "back"})
    at = open_app()
    open_tab(at, "export")
    upload(at, "mine.json", to_file(DATASET, link).encode())
    assert at.selectbox(key="zone").value == "technoparks"
    assert at.slider(key="growth").value == pytest.approx(12.34)
    assert at.selectbox(key="profile").value == "back"
    assert len(at.success) == 1


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        json.dumps({"format": "technopolis-planner/scenario", "version": 1, "parameters": {"growth": 400}}).encode(),
        b"x" * (MAX_FILE_BYTES + 10),
        "<b>кириллица</b>".encode(),
    ],
)
def test_import_refuses_a_bad_file_and_keeps_the_scenario(content: bytes) -> None:
    at = open_app({"growth": "17"})
    open_tab(at, "export")
    before = metric_values(at)
    upload(at, "bad.json", content)
    assert len(at.error) == 1
    assert metric_values(at) == before and at.slider(key="growth").value == 17.0
