"""A missing or corrupt data file: a clear message naming the file and the row, in the app
and in the CLI, never a traceback."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.cli import main
from planner.data import DATA_DIR_VARIABLE, DEFAULT_DATA_DIR
from tests.conftest import APP


def replace_in(name: str, old: str, new: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return damage


def remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def write(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(content)


# (damage, words the message must contain)
FAULTS = {
    "missing_file": (remove("actuals.csv"), ["actuals.csv", "file is missing"]),
    "not_a_number": (
        replace_in("baseline.csv", "sez,occupancy_pct,95", "sez,occupancy_pct,lots"),
        ["baseline.csv", "row 2", "'lots'"],
    ),
    "empty_file": (write("clusters.csv", b""), ["clusters.csv", "missing column"]),
    "binary_file": (write("goals.csv", b"\xff\xfe\x00\x01garbage"), ["goals.csv", "not UTF-8"]),
    "broken_toml": (write("presets.toml", b"[plan\nlabel = "), ["presets.toml", "not valid TOML"]),
    "extra_field": (replace_in("defaults.csv", "sez,delay,0,", "sez,delay,0,extra,"), ["defaults.csv", "row"]),
    "unknown_zone": (replace_in("actuals.csv", "sez,2016", "mars,2016"), ["actuals.csv", "unknown zone 'mars'"]),
    "markup_in_value": (
        replace_in("baseline.csv", "sez,occupancy_pct,95", "sez,occupancy_pct,<b>[x](javascript:1)</b>"),
        ["baseline.csv", "row 2"],
    ),
}


@pytest.fixture(params=list(FAULTS), ids=list(FAULTS))
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, list[str]]:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    damage, words = FAULTS[request.param]
    damage(folder)
    return folder, words


def test_the_app_starts_and_says_what_is_wrong(broken, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, words = broken
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(folder))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"  # the link's language, before any control exists
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and len(at.metric) == 0
    message = at.error[0].value.replace("\\", "")
    for word in words:
        assert word in message
    assert "<b>" not in at.error[0].value  # the file's text is shown escaped, never as markup


def test_the_data_error_is_russian_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    FAULTS["not_a_number"][0](folder)
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(folder))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    message = at.error[0].value.replace("\\", "")
    assert "строка 2" in message and "не число" in message and "not a number" not in message


def test_the_cli_says_what_is_wrong(broken, capsys: pytest.CaptureFixture[str]) -> None:
    folder, words = broken
    assert main(["--data", str(folder), "project"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    for word in words:
        assert word in err


def test_the_app_recovers_once_the_file_is_fixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    (folder / "zones.csv").unlink()
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(folder))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert len(at.error) == 1
    shutil.copy(DEFAULT_DATA_DIR / "zones.csv", folder / "zones.csv")
    at.run()
    assert not at.exception and len(at.error) == 0 and len(at.metric) == 5


def test_a_running_server_picks_up_a_good_edit_and_keeps_serving_through_a_bad_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(folder))
    first = AppTest.from_file(APP, default_timeout=60)
    first.run()
    before = [m.value for m in first.metric]
    # A valid edit (a larger observed 2025) reaches the next session with no restart.
    replace_in("actuals.csv", "sez,2025,2000000,", "sez,2025,2100000,")(folder)
    edited = AppTest.from_file(APP, default_timeout=60)
    edited.run()
    assert not edited.exception and [m.value for m in edited.metric] != before
    good = [m.value for m in edited.metric]
    # A broken edit: every session keeps the last good data and is told where the file is wrong.
    replace_in("actuals.csv", "sez,2025,2100000,", "sez,2025,lots,")(folder)
    for at in (edited, AppTest.from_file(APP, default_timeout=60)):
        at.run()
        assert not at.exception and not at.error
        assert [m.value for m in at.metric] == good
        notice = " ".join(w.value for w in at.warning).replace("\\", "")
        assert "actuals.csv" in notice and "строка 5" in notice and "столбец floor_area_m2" in notice
