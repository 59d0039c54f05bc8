"""The app in a real browser: first load, every tab, the keyboard, languages, downloads, and
several users at once."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from planner.i18n import text
from planner.ui.page import TABS
from tests.browser.conftest import ARTIFACTS, metric_values, wait_idle
from tests.conftest import APP

pytestmark = pytest.mark.browser

CHARTS_PER_TAB = {
    "trajectory": 2,
    "clusters": 3,
    "pipeline": 1,
    "risk": 6,
    "compare": 0,
    "library": 0,
    "assumptions": 0,
    "export": 0,
}
CHART = ".vega-embed svg, .vega-embed canvas"


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(5)


def open_tab(page: Page, name: str, lang: str = "ru") -> None:
    page.get_by_role("tab", name=text(f"tab_{name}", lang)).click()
    wait_idle(page)


def test_first_load_draws_every_chart_without_errors(app_url: str, page: Page) -> None:
    open_app(page, app_url)
    expect(page.locator(CHART)).to_have_count(CHARTS_PER_TAB["trajectory"])
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.errors == []  # type: ignore[attr-defined]


def test_every_tab_renders(app_url: str, page: Page) -> None:
    open_app(page, app_url)
    for name in TABS:
        open_tab(page, name)
        expect(page.locator(CHART)).to_have_count(CHARTS_PER_TAB[name])
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(ARTIFACTS / f"tab-{name}.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_language_switch_changes_every_label(app_url: str, page: Page) -> None:
    open_app(page, app_url)
    expect(page.get_by_role("tab", name=text("tab_trajectory", "ru"))).to_be_visible()
    page.get_by_text("English", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("tab", name=text("tab_trajectory", "en"))).to_be_visible()
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("3.50×")
    assert "lang=en" in page.url


def test_a_download_holds_the_numbers_shown(app_url: str, page: Page) -> None:
    open_app(page, f"{app_url}/?growth=18")
    shown_jobs = metric_values(page)[1]
    open_tab(page, "export")
    with page.expect_download() as download:
        page.get_by_role("button", name=text("download_yearly_csv", "ru")).click()
    # The Russian file, as a Russian spreadsheet reads it: ';' between fields, a BOM, Russian headers.
    content = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert rows[-1][text("export_col_year", "ru")] == "2030"
    new_jobs = int(rows[-1][text("export_col_new_jobs", "ru")])
    assert f"{new_jobs:,}".replace(",", "\u00a0") == shown_jobs.replace(" ", "\u00a0")


def expected_numbers(query: dict[str, str], delay: float | None = None) -> list[str]:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    at.run()
    if delay is not None:
        at.slider(key="delay").set_value(delay).run()
    return [m.value.replace("\u00a0", " ") for m in at.metric]


SESSIONS = [
    {"growth": "10"},
    {"growth": "30", "density": "35"},
    {"zone": "technoparks"},
    {"zone": "technoparks", "preset": "current_pace"},
    {"zone": "all", "delivery": "90"},
    {"preset": "accelerated", "seed": "9"},
    {"lang": "en", "delivery": "80"},
    {"growth": "21", "uncertainty": "100", "draws": "20000"},
]


def test_eight_users_at_once_see_only_their_own_numbers(app_url: str, browser: Browser) -> None:
    contexts = [browser.new_context(viewport={"width": 1440, "height": 1000}) for _ in SESSIONS]
    pages = [context.new_page() for context in contexts]
    try:
        for page, query in zip(pages, SESSIONS, strict=True):  # all sessions start before any is read
            page.goto(f"{app_url}/?{urlencode(query)}", wait_until="commit")
        for page, query in zip(pages, SESSIONS, strict=True):
            # Eight sessions share two cores: allow them time, and wait on the page, not a clock.
            expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(5, timeout=60_000)
            wait_idle(page)
            assert [v.replace("\u00a0", " ") for v in metric_values(page)] == expected_numbers(query)
        for page, query in zip(pages, SESSIONS, strict=True):  # every session moves its delay slider, interleaved
            # Zones together have no growth slider: their delay is the first.
            thumb = page.get_by_role("slider").nth(0 if query.get("zone") == "all" else 1)
            thumb.focus()
            for _ in range(5):
                page.keyboard.press("ArrowRight")
        for page, query in zip(pages, SESSIONS, strict=True):
            page.wait_for_function("() => window.location.search.includes('delay=0.5')", timeout=60_000)
            wait_idle(page)
            expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text(
                expected_numbers(query, 0.5)[0], timeout=60_000
            )
            assert [v.replace("\u00a0", " ") for v in metric_values(page)] == expected_numbers(query, 0.5)
    finally:
        for context in contexts:
            context.close()


def test_the_brief_downloads_as_a_one_page_pdf(app_url: str, page: Page) -> None:
    open_app(page, f"{app_url}/?growth=20")
    shown_area = metric_values(page)[0]
    open_tab(page, "export")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=text("download_brief", "ru")).click()
    reader = PdfReader(str(download.value.path()))
    assert len(reader.pages) == 1
    content = reader.pages[0].extract_text()
    assert shown_area in content and "growth=20" in content


def test_a_closed_group_opens_with_its_sliders_and_keeps_their_values(app_url: str, page: Page) -> None:
    open_app(page, f"{app_url}/?lang=en")
    sliders = page.get_by_role("slider")
    expect(sliders).to_have_count(5)  # only the construction group is open at first
    economics = page.get_by_text(text("group_economics", "en"), exact=True)
    economics.click()
    wait_idle(page)
    expect(sliders).to_have_count(7)
    sliders.nth(5).focus()  # investment per m², the first slider of the group
    page.keyboard.press("PageUp")
    page.wait_for_function("() => window.location.search.includes('capex=')")
    wait_idle(page)
    economics.click()
    wait_idle(page)
    expect(sliders).to_have_count(5)
    assert "capex=" in page.url  # a closed group keeps its values
    page.get_by_role("radio", name="Русский").check(force=True)
    wait_idle(page)
    expect(page.get_by_role("slider")).to_have_count(5)
    assert "capex=" in page.url
    assert page.errors == []  # type: ignore[attr-defined]


def test_an_analyst_edits_a_project_and_the_link_keeps_it(app_url: str, page: Page) -> None:
    """Alabushevo's 550,000 m² typed as 1,100,000 in the Projects tab's list and applied: the
    headline on the projects' basis moves as the model says, and the link reopens it."""
    open_app(page, f"{app_url}/?basis=pipeline")
    before = metric_values(page)[0]
    open_tab(page, "pipeline")
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    # The grid is drawn on a canvas: it is driven as a person would, by the keyboard, and
    # each step waits for the grid's own frame (its editor opens and closes asynchronously).
    page.mouse.click(box["x"] + 40, box["y"] + 52)  # the first project's key
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowDown")  # Alabushevo
    for _ in range(6):  # to its floor area
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.keyboard.press("Control+A")
    page.keyboard.type("1100000")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)
    page.get_by_role("button", name=text("pipeline_apply", "ru")).click()
    page.wait_for_function("() => window.location.search.includes('projects=')", timeout=30_000)
    wait_idle(page)
    after = metric_values(page)[0]
    assert before == "1,94×" and after == "2,09×"
    page.goto(page.url)  # the link alone brings the edited list back
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("2,09×")
    assert page.errors == []  # type: ignore[attr-defined]
