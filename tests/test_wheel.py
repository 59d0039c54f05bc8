"""The built wheel carries its data: installed into a fresh environment, away from the
repository, it runs the CLI and the app's first page on the bundled data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIRST_PAGE = """
import sys
from streamlit.testing.v1 import AppTest
import planner
assert "{venv}" in planner.__file__, planner.__file__  # the installed package, not the source
at = AppTest.from_string("from planner.ui import main\\nmain()", default_timeout=120)
at.run()
print(len(at.metric), len(at.exception))
"""

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh virtual environment with only the wheel installed; the dependencies come from
    this environment's site-packages by a path entry, which does not run its .pth files, so the
    editable install of the source stays out."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PLANNER_DATA_DIR")}
    dist = base / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)], base, env)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = dist.glob("*.whl")
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        base,
        env,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base, env)
    (Path(site.stdout.strip()) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv, env


def test_the_installed_cli_projects_the_bundled_data_from_another_folder(installed, tmp_path: Path) -> None:
    venv, env = installed
    done = _run([str(venv / "bin" / "planner"), "project", "--format", "json"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["zone"] == "sez" and result["years"][0] == result["jump_off_year"] == 2025


def test_the_installed_app_shows_its_first_page_from_another_folder(installed, tmp_path: Path) -> None:
    venv, env = installed
    done = _run([str(venv / "bin" / "python"), "-c", FIRST_PAGE.format(venv=venv)], tmp_path, env)
    assert done.returncode == 0, done.stderr[-3000:]
    metrics, exceptions = done.stdout.split()[-2:]
    assert (int(metrics), int(exceptions)) == (5, 0)
