"""The one-page PDF brief: read back with pypdf, in both languages, and `planner brief`."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from dataclasses import dataclass, replace

import pytest
from pypdf import PdfReader

from planner.brief import CHART_PX, CHART_SCALE, MAX_ROWS, brief_pdf, chart_pngs
from planner.cli import main
from planner.data import Dataset
from planner.i18n import LANGUAGES, multiple, number, percent, text
from planner.links import Link, default_link, query_string
from planner.outlook import Outlook, assess
from planner.risk import RiskResult, simulate

GENERATED = datetime.date(2025, 11, 29)
SHOWN_DATE = {"ru": "29.11.2025", "en": "2025-11-29"}
BASE_URL = "https://planner.example/"
A4_POINTS = (595.28, 841.89)
CHANGED = {"growth": "20", "density": "25"}
MANY_CHANGES = {  # and the longest verdict: the area goal met, the jobs goal not
    "growth": "30",
    "density": "10",
    "delay": "1.5",
    "delivery": "90",
    "occupancy": "80",
    "ramp": "2",
    "density_trend": "-1",
    "capex": "120",
    "company_m2": "3000",
    "uncertainty": "60",
    "profile": "s",
    "seed": "7",
    "horizon": "2035",
}


@dataclass(frozen=True)
class Brief:
    link: Link
    outlook: Outlook
    simulation: RiskResult
    url: str
    pages: int
    page_size: tuple[float, float]
    text: str  # the page's text as a reader copies it, spaces normalised


def make_brief(dataset: Dataset, lang: str, changes: dict[str, str], base_url: str = BASE_URL) -> Brief:
    link = replace(default_link(dataset), lang=lang)
    link = replace(link, scenario=link.scenario.with_values(dataset.registry, changes))
    zone = dataset.zone(link.zone)
    outlook = assess(dataset, link.zone, link.scenario, link.jobs_goal)
    simulation = simulate(
        zone, link.scenario, dataset.registry, zone.goal("floor_area"), zone.goal("new_jobs", link.jobs_goal)
    )
    url = base_url + query_string(dataset, link)
    pdf = brief_pdf(dataset, outlook, simulation, link, url, lang, GENERATED)
    return Brief(link, outlook, simulation, url, *_read(pdf))


def _read(pdf: bytes) -> tuple[int, tuple[float, float], str]:
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    return len(reader.pages), (float(page.mediabox.width), float(page.mediabox.height)), page.extract_text()


@pytest.fixture(scope="module", params=LANGUAGES)
def changed(request: pytest.FixtureRequest, dataset: Dataset) -> Brief:
    """A brief of the SEZ plan with growth and density changed, in each language."""
    return make_brief(dataset, request.param, CHANGED)


def test_one_a4_portrait_page(changed: Brief) -> None:
    assert changed.pages == 1
    assert changed.page_size == pytest.approx(A4_POINTS, abs=0.1)


def test_headline_numbers_as_formatted_for_the_language(changed: Brief) -> None:
    lang, outlook = changed.link.lang, changed.outlook
    for shown in (
        multiple(outlook.area.value, lang),
        multiple(outlook.area.target, lang),
        number(outlook.jobs.value, lang),
        number(outlook.jobs.target, lang),
    ):
        assert shown in changed.text


def test_probabilities_with_draws_and_seed(changed: Brief) -> None:
    lang, result = changed.link.lang, changed.simulation
    for probability in (result.probability_both, result.area.probability, result.jobs.probability):
        assert percent(probability * 100, lang, 0) in changed.text
    assert number(result.draws, lang) in changed.text
    assert str(result.seed) in changed.text


def test_title_zone_preset_date_version_and_link(changed: Brief, dataset: Dataset) -> None:
    lang = changed.link.lang
    assert text("brief_title", lang) in changed.text
    assert changed.outlook.zone.name(lang) in changed.text
    assert dataset.preset(changed.link.preset).label(lang) in changed.text
    assert SHOWN_DATE[lang] in changed.text
    assert dataset.version in changed.text
    assert changed.url in changed.text
    assert "growth=20" in changed.url and "density=25" in changed.url


def test_lists_the_assumptions_that_differ(changed: Brief, dataset: Dataset) -> None:
    lang = changed.link.lang
    for key in CHANGED:
        assert dataset.registry[key].label(lang) in changed.text
    assert text("brief_no_differences", lang, preset=dataset.preset("plan").label(lang)) not in changed.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_scenario_as_its_preset_says_none_differ(dataset: Dataset, lang: str) -> None:
    brief = make_brief(dataset, lang, {})
    assert brief.pages == 1
    assert text("brief_no_differences", lang, preset=dataset.preset("plan").label(lang)) in brief.text
    assert dataset.registry["growth"].label(lang) not in brief.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_longest_content_still_fits_one_page(dataset: Dataset, lang: str) -> None:
    base_url = "https://" + "planner-" * 20 + ".example/"
    brief = make_brief(dataset, lang, MANY_CHANGES, base_url)
    assert brief.outlook.area.met and not brief.outlook.jobs.met
    assert brief.pages == 1
    assert text("brief_more", lang, n=len(MANY_CHANGES) - MAX_ROWS) in brief.text


def test_charts_are_drawn_at_the_fixed_size(dataset: Dataset) -> None:
    link = default_link(dataset)
    outlook = assess(dataset, link.zone, link.scenario, link.jobs_goal)
    zone = outlook.zone
    simulation = simulate(zone, link.scenario, dataset.registry, zone.goal("floor_area"), zone.goal("new_jobs"))
    for png in chart_pngs(dataset, outlook, simulation, link, "План", "ru"):
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (CHART_PX[0] * CHART_SCALE, CHART_PX[1] * CHART_SCALE)


def test_the_core_does_not_load_streamlit() -> None:
    code = "import sys, planner.brief; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_cli_writes_the_brief(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "brief.pdf"
    code = main(["brief", "--output", str(path), "--lang", "en", "--set", "growth=20", "--url", BASE_URL])
    out, err = capsys.readouterr()
    assert (code, out, err) == (0, "", "")
    pages, _, shown = _read(path.read_bytes())
    assert pages == 1
    assert f"{BASE_URL}?lang=en&growth=20" in shown
    assert datetime.date.today().isoformat() in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "growth=abc"], "growth: abc is not a number"),
        (["--set", "growth=99"], "growth: 99 is out of range"),
        (["--zone", "moon"], "unknown zone 'moon'"),
    ],
)
def test_cli_refuses_bad_input(tmp_path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    path = tmp_path / "brief.pdf"
    code = main(["brief", "--output", str(path), *args])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and message in err
    assert not path.exists()


def test_cli_refuses_an_unwritable_output(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["brief", "--output", str(tmp_path / "missing" / "brief.pdf")])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("planner: error: cannot write") and err.count("\n") == 1


def test_the_brief_on_the_projects_basis_names_the_new_projects_needed(tmp_path) -> None:
    from pypdf import PdfReader

    from planner.cli import main as cli_main

    out = tmp_path / "brief.pdf"
    assert cli_main(["brief", "--set", "basis=pipeline", "--output", str(out)]) == 0
    content = PdfReader(str(out)).pages[0].extract_text()
    assert "Новые проекты" in content and "(2029)" in content  # the m² still needed, planned by 2029
