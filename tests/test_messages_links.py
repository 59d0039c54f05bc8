"""Errors of parameters, links, scenario files and the command line in Russian and English:
the English stays what it was, the Russian is a whole Russian sentence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner import i18n
from planner.cli import main
from planner.data import load
from planner.links import MAX_FILE_BYTES, ScenarioFileError, from_file, parse_query
from planner.messages import worded
from planner.scenario import ParamError, parse_assignments

DATASET = load()
SOURCE = Path(__file__).resolve().parents[1] / "src" / "planner"
# Words of the English sentences that no Russian one has.
ENGLISH = re.compile(r"\b(is|not|use|unknown|given|more|than|cannot|choose|expected|number|parameter)\b")
NBSP = "\u00a0"


def reasons(query: dict[str, str | list[str]], lang: str) -> dict[str, str]:
    _, rejected = parse_query(DATASET, query)
    return {r.key: worded(r.reason, lang) for r in rejected}


def test_a_links_rejections_are_worded_in_russian_and_english() -> None:
    query: dict[str, str | list[str]] = {"x": "1", "growth": "abc", "lang": "fr", "density": ["1", "2"], "data": "?"}
    russian, english = reasons(query, "ru"), reasons(query, "en")
    assert russian == {
        "x": "неизвестный параметр",
        "density": "указан больше одного раза",
        "lang": "не одно из значений: ru, en",
        "data": "не номер версии",
        "model": "не номер версии",
        "growth": "«abc» — не число; укажите число от 0 до 40",
    }
    assert english == {
        "x": "unknown parameter",
        "density": "given more than once",
        "lang": "not one of ru, en",
        "data": "not a version",
        "model": "not a version",
        "growth": "abc is not a number; use a number from 0 to 40",
    }


def test_a_rejected_value_names_no_key_in_either_language() -> None:
    """The notice names the key itself: the reason of a refused value does not repeat it."""
    for lang in i18n.LANGUAGES:
        reason = reasons({"draws": "1.5"}, lang)["draws"]
        assert not reason.startswith("draws")
        assert "200000" in reason


def test_a_param_error_is_worded_in_russian_and_its_english_is_unchanged() -> None:
    with pytest.raises(ParamError) as caught:
        parse_assignments(DATASET.registry, ["growth=99"])
    assert str(caught.value) == "growth: 99 is out of range; use a number from 0 to 40"
    assert caught.value.text("ru") == "growth: «99» вне допустимого диапазона; укажите число от 0 до 40"
    assert worded(caught.value.reason, "en") == "99 is out of range; use a number from 0 to 40"
    with pytest.raises(ParamError) as caught:
        parse_assignments(DATASET.registry, ["profile=zigzag"])
    assert caught.value.text("ru").startswith("profile: «zigzag» не допускается; укажите одно из значений: compound")
    with pytest.raises(ParamError) as caught:
        parse_assignments(DATASET.registry, ["growth"])
    assert (str(caught.value), caught.value.text("ru")) == (
        "growth: expected KEY=VALUE",
        "growth: ожидается запись вида KEY=VALUE",
    )


def scenario_file(parameters: dict[str, object]) -> str:
    return json.dumps({"format": "technopolis-planner/scenario", "version": 1, "parameters": parameters})


def test_a_scenario_files_problems_are_joined_in_each_language() -> None:
    with pytest.raises(ScenarioFileError) as caught:
        from_file(DATASET, scenario_file({f"k{i}": 1 for i in range(8)} | {"growth": [1]}))
    english, russian = str(caught.value), caught.value.text("ru")
    assert english == (
        "k0: unknown parameter; k1: unknown parameter; k2: unknown parameter; k3: unknown parameter; "
        "k4: unknown parameter; and 4 more"
    )
    assert russian == (
        "k0: неизвестный параметр; k1: неизвестный параметр; k2: неизвестный параметр; "
        "k3: неизвестный параметр; k4: неизвестный параметр; и ещё 4"
    )
    with pytest.raises(ScenarioFileError) as caught:
        from_file(DATASET, scenario_file({"growth": [1], "zone": "sez"}))
    assert caught.value.text("ru") == (
        "growth: должно быть числом или текстом, а не список; "
        'zone: это поле верхнего уровня файла, а не одно из его "parameters"'
    )


def test_a_scenario_files_values_are_refused_in_russian() -> None:
    with pytest.raises(ScenarioFileError) as caught:
        from_file(DATASET, scenario_file({"growth": "99", "density": "1,000"}))
    assert str(caught.value).startswith("growth: 99 is out of range; use a number from 0 to 40; density: 1,000 looks")
    russian = caught.value.text("ru")
    assert russian.startswith("growth: «99» вне допустимого диапазона; укажите число от 0 до 40; density: «1,000»")
    assert not ENGLISH.search(russian)


def test_a_too_big_file_writes_its_numbers_as_each_language_does() -> None:
    with pytest.raises(ScenarioFileError) as caught:
        from_file(DATASET, " " * (MAX_FILE_BYTES + 1))
    assert str(caught.value) == f"file is {MAX_FILE_BYTES + 1:,} bytes; the limit is {MAX_FILE_BYTES:,}"
    assert caught.value.text("ru") == f"файл занимает 524{NBSP}289 байт; предел — 524{NBSP}288"


def test_every_message_these_modules_ask_for_exists_in_both_languages() -> None:
    catalogue = i18n.strings()
    used = {"cli_unknown_zone", "cli_unknown_preset", "cli_unknown_jobs_goal"}  # cli._pick's f"cli_unknown_{kind}"
    for name in ("scenario.py", "links.py", "cli.py", "hosting.py"):
        used |= set(re.findall(r"(?:message|_refused)\(\s*\"(\w+)\"", (SOURCE / name).read_text(encoding="utf-8")))
    assert {"param_out_of_range", "link_unknown", "file_too_big", "cli_cannot_write"} <= used
    missing = sorted(key for key in used if key not in catalogue)
    assert not missing
    assert all(set(catalogue[key]) == set(i18n.LANGUAGES) for key in used)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "russian", "english"),
    [
        (["project", "--set", "growth=99"], "growth: «99» вне допустимого диапазона", "growth: 99 is out of range"),
        (["project", "--zone", "nowhere"], "неизвестная зона 'nowhere'; выберите одну из: ", "unknown zone 'nowhere'"),
        (["risk", "--set", "bogus=1"], "bogus: неизвестный параметр; известные: ", "bogus: unknown parameter"),
        (["project", "--format", "xlsx"], "для --format xlsx нужен --output FILE", "--format xlsx needs --output FILE"),
    ],
)
def test_the_cli_says_its_error_in_the_language_asked_for(
    capsys: pytest.CaptureFixture[str], args: list[str], russian: str, english: str
) -> None:
    code, out, err = run(capsys, "--lang", "ru", *args)
    assert (code, out) == (2, "")
    assert err.startswith("planner: error: " + russian) and err.count("\n") == 1
    assert not ENGLISH.search(err.removeprefix("planner: error: "))
    for default in ([], ["--lang", "en"]):  # English unless asked otherwise
        code, _, err = run(capsys, *default, *args)
        assert code == 2 and err.startswith("planner: error: " + english) and err.count("\n") == 1


def test_the_cli_refuses_a_scenario_file_in_russian(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(scenario_file({"growth": "99"}), encoding="utf-8")
    code, _, err = run(capsys, "--lang", "ru", "project", "--scenario", str(path))
    assert code == 2 and err.count("\n") == 1
    assert err == f"planner: error: {path}: growth: «99» вне допустимого диапазона; укажите число от 0 до 40\n"


def test_the_cli_language_is_not_the_briefs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`brief --lang` stays the brief's own option: the global one does not override it."""
    code, _, err = run(capsys, "--lang", "ru", "brief", "--lang", "en", "--set", "growth=99", "--output", "x.pdf")
    assert code == 2 and "вне допустимого диапазона" in err


def test_an_unknown_messages_language_is_a_usage_error_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--lang", "fr", "presets")
    assert code == 2 and err.startswith("planner: error: argument --lang: invalid choice") and err.count("\n") == 1
