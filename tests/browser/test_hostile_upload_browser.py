"""A zone file full of markup, uploaded in a real browser: every tab shows its text as text —
nothing bold, no link, no image — and the page asks no other host for anything."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from planner.data import load
from planner.i18n import text
from planner.ui.page import TABS
from planner.zonefile import template_csv
from tests.browser.conftest import ARTIFACTS, wait_idle

pytestmark = pytest.mark.browser

EVIL = "attacker.invalid"
MARKUP = {
    "ОЭЗ «Технополис Москва»": f"**Жирная** зона ![i](http://{EVIL}/zone.png)",
    "SEZ Technopolis Moscow": f"<b>Bold</b> zone <img src='http://{EVIL}/zone-en.png'>",
    "Микроэлектроника и фотоника": f"[Микро](http://{EVIL}/link) `код`",
    "Фармацевтика": f"<script>window.pwned=1</script>Фарма ![x](http://{EVIL}/pharma.png)",
    "seed news item of 28 Oct 2025": f"![src](http://{EVIL}/source.png) **source** [s](javascript:alert(1))",
}


# Where a stray link sits: the element's nearest test id and the markup around it.
WHERE = "e => e.closest('[data-testid]').getAttribute('data-testid') + ' :: ' + e.parentElement.innerHTML"


def hostile_zone_file() -> bytes:
    """The SEZ template with markup in names and sources, written back as proper CSV."""
    template = template_csv(load(), "sez")
    for old in MARKUP:
        assert old in template

    def hostile(cell: str) -> str:
        for old, new in MARKUP.items():
            cell = cell.replace(old, new)
        return cell

    rows = [[hostile(cell) for cell in row] for row in csv.reader(io.StringIO(template))]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_an_uploaded_zone_full_of_markup_renders_as_text(app_url: str, page: Page) -> None:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    page.goto(app_url)
    wait_idle(page)
    page.get_by_text(text("zone_title", "ru"), exact=True).click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "zone.csv", "mimeType": "text/csv", "buffer": hostile_zone_file()}
    )
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_have_count(1)
    open_groups = page.get_by_text(text("group_mix", "ru"), exact=True)
    open_groups.click()  # the cluster shares are sliders labelled with the clusters' names
    wait_idle(page)
    for name in TABS:
        page.get_by_role("tab", name=text(f"tab_{name}", "ru")).click()
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        bad = page.locator(f'a[href*="{EVIL}"], a[href^="javascript:"]')
        found = [bad.nth(i).evaluate(WHERE) for i in range(bad.count())]
        assert not found, (name, found)
        assert page.locator(f'img[src*="{EVIL}"]').count() == 0, name
        assert page.locator("strong", has_text="Жирная").count() == 0, name
        assert page.locator("b", has_text="Bold").count() == 0, name
        assert page.evaluate("() => window.pwned") is None
        page.screenshot(path=str(ARTIFACTS / f"hostile-upload-{name}.png"), full_page=True)
    # The text is there, shown as the characters the file holds.
    page.get_by_role("tab", name=text("tab_assumptions", "ru")).click()
    wait_idle(page)
    expect(page.get_by_text("**source**").first).to_be_visible()
    assert hosts <= {"127.0.0.1"}, hosts
