"""Your own zone in the app: the template downloads, a good file switches the app to it, a bad
one is refused with its row and column and changes nothing, and the Moscow data comes back."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from planner.data import load
from planner.ui.own_zone import SECTION
from planner.ui.state import DEFAULT_OPEN_SECTIONS, OPEN_SECTIONS
from planner.zonefile import template_csv
from tests.conftest import APP, metric_values

DATASET = load()
TEMPLATE = template_csv(DATASET, "sez")


def upload(at: AppTest, content: bytes, name: str = "zone.csv") -> AppTest:
    at.file_uploader(key="zone_upload").set_value((name, content, "text/csv")).run()
    assert not at.exception
    return at


def own_zone_file() -> bytes:
    """The SEZ template renamed into another zone with a smaller base."""
    text = TEMPLATE.replace("zone,sez,", "zone,north,").replace("1600000", "800000")
    return text.replace("ОЭЗ «Технополис Москва»", "Северная зона").encode()


@pytest.fixture
def app() -> AppTest:
    """The app with the own-zone section opened (closed, it builds nothing)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.sidebar.get("download_button")
    at.session_state[OPEN_SECTIONS] = (*DEFAULT_OPEN_SECTIONS, SECTION)
    at.run()
    return at


def test_the_template_is_offered(app: AppTest) -> None:
    assert any(b.label.startswith("Шаблон") for b in app.sidebar.get("download_button"))


def test_a_good_file_switches_the_app_and_back(app: AppTest) -> None:
    moscow = metric_values(app)
    upload(app, own_zone_file())
    assert len(app.success) == 1 and "Северная зона" in app.success[0].value
    assert app.selectbox(key="zone").value == "north"
    assert app.selectbox(key="zone").options == ["Северная зона"]
    assert metric_values(app) != moscow
    back = next(b for b in app.button if b.label == "Вернуться к данным Москвы")
    back.click().run()
    assert app.selectbox(key="zone").value == "sez" and metric_values(app) == moscow
    assert app.sidebar.get("download_button")  # the section stays open after going back


def test_the_section_stays_open_across_languages(app: AppTest) -> None:
    app.radio(key="lang").set_value("en").run()
    assert any(b.label.startswith("CSV template") for b in app.sidebar.get("download_button"))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (TEMPLATE.replace("jobs,22100", "jobs,lots", 1).encode(), ["строка", "столбец value", "'lots'"]),
        (b"a;b;c\n1;2;3\n", ["строка 1"]),
        (b"\xff\xfe\x00garbage", ["UTF-8"]),
        (b"x" * (300 * 1024), ["256"]),
    ],
)
def test_a_bad_file_is_refused_and_nothing_changes(app: AppTest, content: bytes, words: list[str]) -> None:
    before = metric_values(app)
    upload(app, content)
    assert len(app.error) == 1
    message = app.error[0].value.replace("\\", "")
    for word in words:
        assert word in message
    assert metric_values(app) == before and app.selectbox(key="zone").value == "sez"
