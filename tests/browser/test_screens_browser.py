"""Finished screens in a real browser: the open tab across a language switch, Back and
Forward through the scenario's changes, card text whole at 1280 px, the uploaded zone's
banner, and a screenshot of every tab in both languages at 1280 and 390 px."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from planner.data import load
from planner.i18n import text
from planner.ui.page import TABS
from planner.zonefile import template_csv
from tests.browser.conftest import ARTIFACTS, metric_values, press_until, wait_idle

pytestmark = pytest.mark.browser

# Text cut by its box: wider than the box shows, or ending in the ellipsis CSS draws.
CLIPPED = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].flatMap(card => {
  const box = card.getBoundingClientRect();
  return [...card.querySelectorAll('div, p, label, span')]
    .filter(e => e.textContent.trim())
    .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > box.right + 1)
    .map(e => e.textContent.trim());
})"""


def clipped(page: Page) -> list[str]:
    """The cards' clipped text once the page has settled: the web fonts loaded (text laid out
    in a fallback font first is wider) and the cards measured alike twice in a row."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    last = page.evaluate(CLIPPED)
    for _ in range(20):
        page.wait_for_timeout(250)
        now = page.evaluate(CLIPPED)
        if now == last == []:
            break
        last = now
    return list(last)


def growth(page: Page) -> str | None:
    return parse_qs(urlparse(page.url).query).get("growth", [None])[0]


def test_the_open_tab_is_kept_across_a_language_switch(app_url: str, page: Page) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("tab", name=text("tab_risk", "ru")).click()
    wait_idle(page)
    page.get_by_text("English", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("tab", name=text("tab_risk", "en"))).to_have_attribute("aria-selected", "true")


def test_back_and_forward_move_through_the_scenarios_changes(app_url: str, page: Page) -> None:
    page.goto(app_url)
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(5)
    first = metric_values(page)
    thumb = page.get_by_role("slider").first
    press_until(page, thumb, "PageDown", "window.location.search.includes('growth=')")
    wait_idle(page)
    lowered = growth(page)
    expect(page.locator('[data-testid="stMetricValue"]').first).not_to_have_text(first[0])
    page.go_back()
    page.wait_for_function("() => !window.location.search.includes('growth=')")
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_text(first)
    page.go_forward()
    page.wait_for_function("() => window.location.search.includes('growth=')")
    wait_idle(page)
    assert growth(page) == lowered
    expect(page.locator('[data-testid="stMetricValue"]').first).not_to_have_text(first[0])
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("query", ["", "?zone=technoparks", "?zone=all", "?basis=pipeline", "?lang=en"])
def test_card_text_is_whole_at_1280_px(app_url: str, browser: Browser, query: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url + "/" + query)
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(5)
    assert clipped(page) == []
    page.close()


def test_an_uploaded_zone_is_named_in_a_banner(app_url: str, page: Page) -> None:
    dataset = load()
    content = template_csv(dataset, "sez").replace("zone,sez,", "zone,north,").encode()
    page.goto(app_url)
    wait_idle(page)
    page.get_by_text(text("zone_title", "ru"), exact=True).click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "north.csv", "mimeType": "text/csv", "buffer": content}
    )
    wait_idle(page)
    banner = page.locator('[data-testid="stAlertContentInfo"]', has_text="north.csv")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("загруженном файле")


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_every_tab_is_drawn_whole_in_both_languages(app_url: str, browser: Browser, lang: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/?lang={lang}")
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(5)
    if width >= 1280:
        assert clipped(page) == [], lang
    for name in TABS:
        page.get_by_role("tab", name=text(f"tab_{name}", lang)).click()
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        page.screenshot(path=str(ARTIFACTS / f"screen-{lang}-{width}-{name}.png"), full_page=True)
    assert errors == []
    page.close()
