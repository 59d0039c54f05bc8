"""`planner library …` on both databases: list, show, export, import, migrate; refusals in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.data import Dataset
from planner.library.records import Identity
from planner.library.scenarios import draft
from planner.library.store import Library
from planner.links import default_link
from planner.outlook import assess
from planner.summary import summarise

ANNA = Identity("name:анна", "Анна", verified=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(library_url: str, dataset: Dataset) -> tuple[str, str]:
    """A library with one entry of two versions; returns its URL and the second version's id."""
    link = default_link(dataset)
    saved = draft(
        dataset,
        link,
        summarise(dataset, assess(dataset, link.zone, link.scenario, link.jobs_goal), None, link.scenario),
    )
    library = Library.open(library_url)
    first = library.save(ANNA, "Совет", "первая\nстрока", saved)
    second = library.save(ANNA, "", "вторая", saved, entry_id=first.head.entry_id)
    return library_url, second.head.id


def test_list_and_show(capsys: pytest.CaptureFixture[str], filled: tuple[str, str]) -> None:
    url, version_id = filled
    code, out, err = run(capsys, "library", "--url", url, "list")
    assert code == 0 and err == ""
    assert "Совет" in out and "1 of 1 entries" in out
    code, out, _ = run(capsys, "library", "--url", url, "list", "--format", "json", "--search", "СОВЕТ")
    listing = json.loads(out)
    assert listing["total"] == 1 and listing["entries"][0]["versions"] == 2
    code, out, _ = run(capsys, "library", "--url", url, "show", listing["entries"][0]["id"])
    assert code == 0 and "первая строка" in out  # a note's lines stay on its row
    code, out, _ = run(capsys, "library", "--url", url, "show", version_id, "--format", "json")
    shown = json.loads(out)
    assert shown["number"] == 2 and shown["scenario"]["format"] == "technopolis-planner/scenario"


def test_export_then_import_elsewhere(
    capsys: pytest.CaptureFixture[str], filled: tuple[str, str], tmp_path: Path
) -> None:
    url, version_id = filled
    exported = tmp_path / "library.json"
    assert run(capsys, "library", "--url", url, "export", "--output", str(exported))[0] == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    code, out, _ = run(capsys, "library", "--url", other, "import", str(exported))
    assert code == 0 and "imported 2 versions" in out
    code, out, _ = run(capsys, "library", "--url", other, "show", version_id, "--format", "json")
    assert json.loads(out)["note"] == "вторая"
    code, _, err = run(capsys, "library", "--url", other, "import", str(exported))
    assert code == 2 and err.count("\n") == 1 and "same name" in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("show", "nothing-here"), "no such entry"),
        (("show", "abcdefghjkmn"), "no such entry"),
        (("import", "/nonexistent/file.json"), "cannot be read"),
        (("list", "--limit", "x"), "invalid int value"),
    ],
)
def test_refusals_are_one_line(
    capsys: pytest.CaptureFixture[str], library_url: str, argv: tuple[str, ...], words: str
) -> None:
    code, _, err = run(capsys, "library", "--url", library_url, *argv)
    assert code == 2
    assert err.count("\n") == 1 and words in err


def test_an_unreachable_or_unknown_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "library", "--url", "postgresql://me:secret@127.0.0.1:1/none", "list")
    assert code == 2 and err.count("\n") == 1 and "does not answer" in err and "secret" not in err
    code, _, err = run(capsys, "library", "--url", "mysql://x@y/z", "list")
    assert code == 2 and "not supported" in err


def test_migrate(capsys: pytest.CaptureFixture[str], library_url: str) -> None:
    code, out, _ = run(capsys, "library", "--url", library_url, "migrate")
    assert code == 0 and "newest schema" in out
