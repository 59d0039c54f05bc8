"""In a real browser: moving a slider writes the link, and the link reopens the same numbers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import metric_values, press_until, wait_idle

pytestmark = pytest.mark.browser


def test_a_slider_moved_with_the_keyboard_is_in_the_link_and_the_link_reopens_it(
    app_url: str, page: Page, browser: Browser
) -> None:
    page.goto(app_url)
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("3,50×")
    before = metric_values(page)
    thumb = page.get_by_role("slider").first  # floor-area growth, the first slider in the sidebar
    press_until(page, thumb, "PageDown", "window.location.search.includes('growth=')", times=5)
    expect(page.locator('[data-testid="stMetricValue"]').first).not_to_have_text("3,50×")
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(5)
    shown = metric_values(page)
    assert shown != before
    growth = parse_qs(urlparse(page.url).query)["growth"][0]
    assert 0 <= float(growth) < 23.22

    other = browser.new_page(viewport={"width": 1440, "height": 1000})
    other.goto(page.url)
    wait_idle(other)
    # Every card, retried until the page has drawn them all: the script may be idle a moment
    # before the last card is on screen.
    expect(other.locator('[data-testid="stMetricValue"]')).to_have_text(shown)
    assert other.locator('[data-testid="stSliderThumbValue"]').first.inner_text() == f"{float(growth):.2f}"
    other.close()
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_back_button_leaves_a_working_app(app_url: str, page: Page) -> None:
    page.goto(f"{app_url}/?growth=15")
    wait_idle(page)
    page.goto(f"{app_url}/?growth=30&lang=en")
    wait_idle(page)
    thumb = page.get_by_role("slider").first
    press_until(page, thumb, "PageDown", "!window.location.search.includes('growth=30')")
    page.go_back()
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(5, timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.go_forward()
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(5, timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.errors == []  # type: ignore[attr-defined]
