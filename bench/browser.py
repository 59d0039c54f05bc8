"""What a user feels in Chromium: a slider's key press to the last chart painted, and the cold
start to the first chart, for the app and the one-chart reference app, taking turns.

A press is timed inside the page, from the `keydown` event to the last paint any chart
makes for it: Vega draws on a canvas, so the page's canvas calls are timed as well as its
DOM changes, and the press counts as done when the script has finished and nothing has been
drawn for QUIET_MS. The figure is the time of that last drawing, not of the wait after it.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
QUIET_MS = 400
IDLE = '[data-test-script-state="notRunning"]'

# Installed before any script of the page runs: every canvas draw and DOM change stamps the
# time, and the slider's key press starts the clock.
WATCH = """
window.__paint = {pressed: 0, last: 0};
const stamp = () => { window.__paint.last = performance.now(); };
for (const name of ['fillRect', 'fillText', 'stroke', 'fill', 'drawImage', 'clearRect']) {
  const original = CanvasRenderingContext2D.prototype[name];
  CanvasRenderingContext2D.prototype[name] = function (...args) { stamp(); return original.apply(this, args); };
}
document.addEventListener('keydown', () => {
  window.__paint.pressed = performance.now();
  window.__paint.last = 0;
}, true);
new MutationObserver(stamp).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(script: Path) -> Iterator[tuple[str, float]]:
    """`streamlit run script` on a free port: its address and the moment it was started."""
    port = _free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"),
            *("--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.02)
        yield f"http://127.0.0.1:{port}", started
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            yield browser
        finally:
            browser.close()


def _idle(page: Page) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)


def _settled(page: Page) -> float:
    """Milliseconds from the key press to the last drawing it caused."""
    page.wait_for_function(
        f"() => window.__paint.last > 0 && performance.now() - window.__paint.last > {QUIET_MS}"
        " && document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'",
        timeout=60_000,
        polling=50,
    )
    return float(page.evaluate("() => window.__paint.last - window.__paint.pressed"))


def _open(browser: Browser, url: str, tab: str | None) -> Page:
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.add_init_script(WATCH)
    page.goto(url)
    _idle(page)
    page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=60_000)
    if tab is not None:
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(QUIET_MS)
        _idle(page)
    page.get_by_role("slider").first.focus()
    return page


def key_press_latency(app_url: str, reference_url: str, tab: str | None, presses: int) -> dict[str, list[float]]:
    """Key presses on the first slider (the growth), app and reference taking turns."""
    times: dict[str, list[float]] = {"app": [], "reference": []}
    with chromium() as browser:
        pages = {"app": _open(browser, app_url, tab), "reference": _open(browser, reference_url, None)}
        for i in range(presses + 2):
            for name, page in pages.items():
                page.get_by_role("slider").first.press("ArrowLeft" if i % 2 else "ArrowRight")
                elapsed = _settled(page)
                if i >= 2:  # two warm-up presses each
                    times[name].append(elapsed)
    return times


def cold_start_s(script: Path) -> float:
    """`streamlit run` to the first chart drawn in a fresh headless Chromium."""
    with chromium() as browser, server(script) as (url, started):
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=60_000)
        return time.perf_counter() - started


def p90(values: list[float]) -> float:
    return float(statistics.quantiles(values, n=10)[-1]) if len(values) > 1 else values[0]


def measure(presses: int = 30, starts: int = 3) -> dict[str, float]:
    from planner.i18n import text

    figures: dict[str, float] = {}
    with server(ROOT / "app.py") as (app_url, _), server(ROOT / "bench" / "reference_app.py") as (ref_url, _):
        for label, tab in (("trajectory", None), ("risk", text("tab_risk", "ru"))):
            times = key_press_latency(app_url, ref_url, tab, presses)
            for name, values in times.items():
                figures[f"press_{label}_{name}_median_ms"] = statistics.median(values)
                figures[f"press_{label}_{name}_p90_ms"] = p90(values)
    cold: dict[str, list[float]] = {"app": [], "reference": []}
    for _ in range(starts):  # taking turns, as the presses do
        cold["app"].append(cold_start_s(ROOT / "app.py"))
        cold["reference"].append(cold_start_s(ROOT / "bench" / "reference_app.py"))
    for name, values in cold.items():
        figures[f"cold_{name}_s"] = statistics.median(values)
    return figures
