"""One `streamlit run` server per test module on a free port, and Debian's Chromium.

Waits are on the app's own state (`data-test-script-state="notRunning"`) and on the
health endpoint, never on fixed sleeps.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
STARTUP_SECONDS = 60
IDLE = '[data-test-script-state="notRunning"]'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free port, with `env` over this process's environment."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"server-{port}.log", "w")  # noqa: SIM115 — closed when the server stops
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start; see {log.name}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    library = tmp_path_factory.mktemp("library") / "library.sqlite3"
    with streamlit_server({"PLANNER_LIBRARY_URL": f"sqlite:///{library}"}) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: install Debian's chromium package (./scripts/test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:  # keep what the page looked like when it failed
        page.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def wait_idle(page: Page) -> None:
    """Wait until the script has run (a rerun may start a moment after an input)."""
    page.wait_for_selector(IDLE, timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'",
        timeout=30_000,
    )


def press_until(page: Page, thumb: Locator, key: str, condition: str, times: int = 1) -> None:
    """Press a key on a slider until the page shows the move (``condition`` is a JS expression).

    A key press that lands while the first run is still finishing can be lost with the focus;
    pressing again through the locator focuses the slider anew each time.
    """
    for _attempt in range(3):
        for _ in range(times):
            thumb.press(key)
        try:
            page.wait_for_function(f"() => {condition}", timeout=10_000)
            return
        except PlaywrightTimeoutError:
            continue
    page.wait_for_function(f"() => {condition}", timeout=10_000)


def metric_values(page: Page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()
