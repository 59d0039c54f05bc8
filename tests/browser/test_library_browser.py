"""Two app servers on one PostgreSQL, as replicas behind a proxy would be: a scenario saved
through one opens through the other by its short link."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import pgserver
from tests.browser.conftest import metric_values, streamlit_server, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def two_servers(postgres_server: str) -> Iterator[tuple[str, str]]:
    with pgserver.database(postgres_server) as url:
        env = {"PLANNER_LIBRARY_URL": url}
        with streamlit_server(env) as first, streamlit_server(env) as second:
            yield first, second


def test_saved_on_one_server_opens_on_the_other_by_its_short_link(
    two_servers: tuple[str, str], page: Page, browser: Browser
) -> None:
    first, second = two_servers
    page.goto(f"{first}/?growth=19.5&density=27")
    wait_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(5)
    shown = metric_values(page)
    page.get_by_role("tab", name="Библиотека").click()
    wait_idle(page)
    page.get_by_role("textbox", name="Ваше имя").fill("Анна")
    page.keyboard.press("Tab")
    wait_idle(page)
    page.get_by_role("textbox", name="Название записи").fill("Вариант для совета")
    page.keyboard.press("Tab")
    wait_idle(page)
    page.get_by_role("textbox", name="Комментарий к версии").fill("рост 19,5 %")
    page.keyboard.press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="Сохранить").click()
    wait_idle(page)
    page.wait_for_function("() => new URLSearchParams(window.location.search).has('s')")
    version_id = page.evaluate("() => new URLSearchParams(window.location.search).get('s')")
    assert len(version_id) == 12

    other = browser.new_page(viewport={"width": 1440, "height": 1000})
    other.goto(f"{second}/?s={version_id}")
    wait_idle(other)
    expect(other.locator('[data-testid="stMetricValue"]')).to_have_text(shown)
    assert other.locator('[data-testid="stSliderThumbValue"]').first.inner_text() == "19.50"
    other.get_by_role("tab", name="Библиотека").click()
    wait_idle(other)
    expect(other.locator("code", has_text=f"{second}/?s={version_id}")).to_be_visible()  # its own address
    assert other.locator('[data-testid="stException"]').count() == 0
    other.close()
    assert page.errors == []  # type: ignore[attr-defined]
