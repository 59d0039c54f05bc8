"""Fresh screenshots of every tab for docs/screens/ (Russian, 1280 px wide):
    .venv/bin/python scripts/screenshots.py
Starts `streamlit run app.py` on a free port with a library of its own, opens each tab in
Debian's Chromium and saves docs/screens/<tab>.png."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from planner.i18n import text  # noqa: E402
from planner.ui.page import TABS  # noqa: E402

OUT = ROOT / "docs" / "screens"
IDLE = '[data-test-script-state="notRunning"]'


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tempfile.mkdtemp()
    env = {**os.environ, "PLANNER_LIBRARY_URL": f"sqlite:///{folder}/library.sqlite3"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 1700})
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector(IDLE, timeout=60_000)
            for name in TABS:
                page.get_by_role("tab", name=text(f"tab_{name}", "ru")).click()
                time.sleep(0.5)
                page.wait_for_selector(IDLE, timeout=60_000)
                time.sleep(1.5)  # charts draw after the script is idle
                page.get_by_role("tab", name=text(f"tab_{name}", "ru")).scroll_into_view_if_needed()
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(OUT / f"{name}.png")
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
