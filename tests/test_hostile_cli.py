"""The `planner` command against hostile arguments, paths and output streams: exit code 2
and one line `planner: error: …` naming what is wrong, or a quiet exit when the reader of
its output has gone; never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import EXIT_BROKEN_PIPE, EXIT_USAGE, main
from planner.data import DEFAULT_DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
SCENARIO_HEAD = '{"format": "technopolis-planner/scenario", "version": 1'


def scenario(rest: str) -> str:
    return SCENARIO_HEAD + rest + "}"


def prepare(tmp: Path) -> None:
    """The hostile files the argument table refers to as {tmp}/…"""
    (tmp / "folder").mkdir()
    (tmp / "file.txt").write_text("x")
    os.mkfifo(tmp / "pipe")
    (tmp / "a").symlink_to(tmp / "b")
    (tmp / "b").symlink_to(tmp / "a")
    (tmp / "big.json").write_bytes(b" " * 600_000)
    files = {
        "deep.json": "[" * 60_000,
        "dup.json": scenario(', "parameters": {"growth": 10, "growth": 30}'),
        "nan.json": scenario(', "parameters": {"growth": NaN}'),
        "zone_param.json": scenario(', "parameters": {"zone": "all"}'),
        "float_version.json": '{"format": "technopolis-planner/scenario", "version": 1.0, "parameters": {}}',
        "huge.json": scenario(', "parameters": {"growth": 1e999}'),
    }
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    # A data folder whose goals lie in 2032, shown to 2035 by default: valid until --set horizon.
    data = tmp / "late"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    goals = data / "goals.csv"
    goals.write_text(goals.read_text(encoding="utf-8").replace(",2030,", ",2032,"), encoding="utf-8")
    defaults = data / "defaults.csv"
    defaults.write_text(defaults.read_text(encoding="utf-8").replace(",horizon,2030,", ",horizon,2035,"), "utf-8")


LONG = "1" * 10_000
# (id, arguments with {tmp} for the prepared folder, words the message must contain)
CASES = [
    ("no_command", [], ["the following arguments are required: command; see planner --help"]),
    ("unknown_command", ["fly"], ["argument command: invalid choice: 'fly'"]),
    ("unknown_option", ["project", "--nope"], ["unrecognized arguments: --nope"]),
    ("bad_format", ["project", "--format", "docx"], ["argument --format: invalid choice: 'docx'", "planner project"]),
    ("bad_brief_language", ["brief", "--output", "x.pdf", "--lang", "fr"], ["argument --lang: invalid choice: 'fr'"]),
    ("option_without_value", ["project", "--zone"], ["argument --zone: expected one argument"]),
    ("unrecognized_with_line_break", ["project", "a\nb"], ["unrecognized arguments: a?b"]),
    ("draws_not_a_number", ["risk", "--draws", "many"], ["draws: many is not a number"]),
    ("draws_fraction", ["risk", "--draws", "1500.5"], ["draws: 1500.5 is not a whole number"]),
    ("draws_1e400", ["risk", "--draws", "1e400"], ["draws: 1e400 is out of range; use a whole number from 1000"]),
    ("draws_of_5000_digits", ["risk", "--draws", "9" * 5000], ["draws: 9999", "… is out of range"]),
    ("draws_too_few", ["risk", "--draws", "999"], ["draws: 999 is out of range"]),
    ("draws_negative", ["risk", "--draws", "-1000"], ["draws: -1000 is out of range"]),
    ("draws_nan", ["risk", "--draws", "nan"], ["draws: nan is out of range"]),
    ("draws_hex", ["risk", "--draws", "0x2000"], ["draws: 0x2000 is not a number"]),
    ("draws_full_width_digits", ["risk", "--draws", "２０００"], ["draws: ２０００ is not a number"]),
    ("seed_too_large", ["risk", "--seed", "1e10"], ["seed: 1e10 is out of range"]),
    ("set_value_of_10000_digits", ["project", "--set", f"growth={LONG}"], ["growth: 1111", "… is out of range"]),
    ("set_value_of_10000_letters", ["project", "--set", "growth=" + "x" * 10_000], ["growth: xxxx", "is not a number"]),
    ("set_key_of_10000_chars", ["project", "--set", f"{'k' * 10_000}=1"], ["kkkk…: unknown parameter"]),
    ("set_value_with_line_break", ["project", "--set", "growth=1\n2"], ["growth: 1?2 is not a number"]),
    ("set_empty_key", ["project", "--set", "=5"], [": unknown parameter; known: growth"]),
    ("set_choice_with_bidi", ["project", "--set", "profile=s\u202e"], ["profile: s? is not allowed"]),
    ("zone_with_line_break", ["project", "--zone", "a\nb"], ["unknown zone 'a?b'; choose one of sez"]),
    ("zone_of_10000_chars", ["project", "--zone", "z" * 10_000], ["unknown zone 'zzzz", "…'"]),
    ("preset_with_escape", ["project", "--preset", "\x1b[31mred"], ["unknown preset '?[31mred'"]),
    ("jobs_goal_of_10000_chars", ["project", "--jobs-goal", "g" * 10_000], ["unknown jobs goal 'gggg"]),
    ("scenario_is_a_folder", ["project", "--scenario", "{tmp}/folder"], ["--scenario", "folder: is a folder"]),
    ("scenario_is_a_fifo", ["project", "--scenario", "{tmp}/pipe"], ["pipe: is a named pipe (FIFO)"]),
    ("scenario_is_dev_zero", ["project", "--scenario", "/dev/zero"], ["/dev/zero: is a character device"]),
    ("scenario_is_dev_null", ["project", "--scenario", "/dev/null"], ["/dev/null: is a character device"]),
    ("scenario_is_a_symlink_loop", ["project", "--scenario", "{tmp}/a"], ["a: is a symlink loop"]),
    ("scenario_is_missing", ["project", "--scenario", "{tmp}/none.json"], ["none.json: file is missing"]),
    ("scenario_under_a_file", ["project", "--scenario", "{tmp}/file.txt/x"], ["a part of the path is not a folder"]),
    ("scenario_path_with_nul", ["project", "--scenario", "{tmp}/a\0b"], ["is not a valid path"]),
    ("scenario_too_big", ["project", "--scenario", "{tmp}/big.json"], ["is 600,000 bytes; the limit is 524,288"]),
    ("scenario_nested_deeply", ["project", "--scenario", "{tmp}/deep.json"], ["deep.json: not valid JSON: nested"]),
    ("scenario_duplicate_key", ["project", "--scenario", "{tmp}/dup.json"], ['dup.json: the key "growth" appears']),
    ("scenario_nan", ["project", "--scenario", "{tmp}/nan.json"], ["NaN is not a number JSON allows"]),
    ("scenario_zone_parameter", ["risk", "--scenario", "{tmp}/zone_param.json"], ["zone: is a top-level field"]),
    ("scenario_version_1_0", ["project", "--scenario", "{tmp}/float_version.json"], ['unsupported "version" 1.0']),
    ("scenario_1e999", ["sensitivity", "--scenario", "{tmp}/huge.json"], ["growth: 1e999 is out of range"]),
    ("output_is_a_folder", ["project", "--output", "{tmp}/folder"], ["cannot write", "folder: is a directory"]),
    ("output_in_missing_folder", ["project", "--output", "{tmp}/none/x.csv"], ["x.csv: its folder does not exist"]),
    ("output_under_a_file", ["project", "--output", "{tmp}/file.txt/x.csv"], ["a part of the path is not a folder"]),
    (
        "output_on_a_full_disk",
        ["project", "--output", "/dev/full"],
        ["cannot write /dev/full: no space left on device"],
    ),
    ("output_path_with_nul", ["project", "--output", "{tmp}/x\0.csv"], ["is not a valid path"]),
    ("xlsx_without_output", ["project", "--format", "xlsx"], ["--format xlsx needs --output FILE"]),
    ("data_is_a_file", ["--data", "{tmp}/file.txt", "presets"], ["data folder", "file.txt: is not a folder"]),
    ("data_is_missing", ["--data", "{tmp}/none", "presets"], ["none: does not exist"]),
    ("data_is_a_fifo", ["--data", "{tmp}/pipe", "presets"], ["pipe: is not a folder"]),
    ("data_is_a_symlink_loop", ["--data", "{tmp}/a", "presets"], ["a: is a symlink loop"]),
    (
        "horizon_before_the_target_year",
        ["--data", "{tmp}/late", "project", "--set", "horizon=2030"],
        ["horizon: 2030 is before the target year 2032 of zone 'sez'"],
    ),
]


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    prepare(tmp_path)
    return tmp_path


def assert_one_error_line(err: str, words: list[str]) -> None:
    assert err.startswith("planner: error: ") and err.endswith("\n") and err.count("\n") == 1, err[:300]
    assert "Traceback" not in err
    for word in words:
        assert word in err


@pytest.mark.parametrize(("args", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_arguments_give_one_line_and_exit_2(
    args: list[str], words: list[str], tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([arg.replace("{tmp}", str(tmp)) for arg in args])
    out, err = capsys.readouterr()
    assert code == EXIT_USAGE
    assert out == ""
    assert_one_error_line(err, words)


def test_the_late_data_folder_is_itself_valid(tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Control for horizon_before_the_target_year: only the --set makes it fail.
    assert main(["--data", str(tmp / "late"), "project", "--format", "csv"]) == 0
    assert "2035" in capsys.readouterr().out


READ_ONLY = [
    pytest.param(
        "/sys/planner-output.csv", id="sysfs", marks=pytest.mark.skipif(not Path("/sys").is_dir(), reason="/sys")
    ),
    pytest.param(
        "{tmp}/locked/x.csv",
        id="read_only_folder",
        marks=pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere"),
    ),
]


@pytest.mark.parametrize("output", READ_ONLY)
def test_an_output_in_a_read_only_place_is_refused(output: str, tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code = main(["project", "--output", output.replace("{tmp}", str(tmp))])
    finally:
        locked.chmod(0o755)
    assert code == EXIT_USAGE
    assert_one_error_line(capsys.readouterr().err, ["cannot write", "x.csv" if "tmp" in output else "planner-output"])


# --- the real process: pipes and encodings -------------------------------------------------


def planner(*args: str, env: dict[str, str] | None = None, stdout: int | object = subprocess.PIPE):
    """The command as a user runs it, importing this checkout's code."""
    return subprocess.run(
        [sys.executable, "-m", "planner.cli", *args],
        env={**os.environ, "PYTHONPATH": str(SRC), **(env or {})},
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [["project"], ["risk", "--format", "json"], ["parameters"], ["sensitivity"]],
    ids=["project", "risk_json", "parameters", "sensitivity"],
)
def test_a_closed_pipe_ends_quietly(args: list[str]) -> None:
    # The read end is closed before the process starts, so its first write meets EPIPE
    # for certain, as `planner … | head -1` does once head has its line.
    read, write = os.pipe()
    os.close(read)
    try:
        result = planner(*args, stdout=write)
    finally:
        os.close(write)
    assert result.returncode == EXIT_BROKEN_PIPE
    assert result.stderr == b""  # neither a traceback nor "Exception ignored … BrokenPipeError"


@pytest.mark.skipif(shutil.which("head") is None or shutil.which("sh") is None, reason="needs sh and head")
def test_piped_into_head() -> None:
    command = f'"{sys.executable}" -m planner.cli risk --format json | head -n 1'
    result = subprocess.run(
        ["sh", "-c", command], env={**os.environ, "PYTHONPATH": str(SRC)}, capture_output=True, timeout=120, check=False
    )
    assert result.stdout == b"{\n"
    assert result.stderr == b""


@pytest.mark.parametrize("args", [["presets"], ["parameters"], ["project"]], ids=["presets", "parameters", "project"])
def test_an_ascii_stdout_gets_one_line_not_a_unicode_error(args: list[str]) -> None:
    # These outputs hold non-ASCII text (×, —, ², ₽), which an ASCII stdout cannot encode.
    result = planner(*args, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == EXIT_USAGE
    assert result.stdout == b""
    assert_one_error_line(result.stderr.decode(), ["stdout's encoding (ascii) cannot show", "PYTHONIOENCODING=utf-8"])


def test_an_ascii_stderr_still_shows_cyrillic_arguments() -> None:
    result = planner("project", "--zone", "Москва", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == EXIT_USAGE
    # stderr escapes what it cannot encode rather than failing.
    assert_one_error_line(result.stderr.decode(), ["unknown zone '\\u041c\\u043e\\u0441"])


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_disk() -> None:
    with open("/dev/full", "wb") as full:
        result = planner("presets", stdout=full)
    assert result.returncode == EXIT_USAGE
    assert_one_error_line(result.stderr.decode(), ["cannot write the output: no space left on device"])
