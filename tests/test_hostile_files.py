"""Hostile files in the core: scenario files, the bounded reader and data folders. Each is
refused with its own error class and one line that names what is wrong."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planner.cli import main
from planner.data import DEFAULT_DATA_DIR, MAX_DATA_FILE_BYTES, load
from planner.files import UnreadableFile, read_bounded
from planner.links import MAX_FILE_BYTES, ScenarioFileError, from_file
from planner.zone import DataError

DATASET = load()
HEAD = '"format": "technopolis-planner/scenario", "version": 1'
LONGEST_MESSAGE = 400  # a message quotes at most a shortened value, never a whole file


def doc(rest: str = ', "parameters": {}', head: str = HEAD) -> str:
    """A scenario file: the valid head, then `rest` (which starts with a comma)."""
    return "{" + head + rest + "}"


def params(body: str) -> str:
    return doc(', "parameters": {' + body + "}")


def version(literal: str) -> str:
    return '{"format": "technopolis-planner/scenario", "version": ' + literal + ', "parameters": {}}'


def one_line(message: str) -> None:
    assert "\n" not in message and "\r" not in message
    assert "Traceback" not in message
    assert len(message) < LONGEST_MESSAGE, message[:100]


# (id, content, words the message must contain)
SCENARIO_FILES = [
    ("nested_600k_brackets", "[" * 600_000, ["600,000 bytes", "the limit is 524,288"]),
    ("nested_60k_brackets", "[" * 60_000, ["nested too deeply"]),
    ("nested_objects", '{"a": ' * 10_000, ["nested too deeply"]),
    ("nested_in_a_parameter", params('"growth": ' + "[" * 30_000 + "]" * 30_000), ["nested too deeply"]),
    ("float_1e999", params('"growth": 1e999'), ["growth: 1e999 is out of range"]),
    ("float_minus_1e999", params('"delay": -1e999'), ["delay: -1e999 is out of range"]),
    ("int_of_5000_digits", params('"growth": 1' + "0" * 4999), ["growth: value too long"]),
    ("int_of_100_digits", params('"seed": ' + "9" * 100), ["seed: value too long"]),
    ("int_of_60_digits", params('"seed": 1' + "0" * 59), ["seed: 1" + "0" * 39, "out of range"]),
    ("nan_literal", params('"growth": NaN'), ["NaN is not a number JSON allows"]),
    ("infinity_literal", params('"growth": Infinity'), ["Infinity is not a number JSON allows"]),
    ("minus_infinity_literal", params('"growth": -Infinity'), ["-Infinity is not a number JSON allows"]),
    ("nan_as_version", version("NaN"), ["NaN is not a number JSON allows"]),
    ("duplicate_version", doc(', "version": 1, "parameters": {}'), ['the key "version" appears more than once']),
    ("duplicate_format", doc(', "format": "x", "parameters": {}'), ['the key "format" appears more than once']),
    ("duplicate_parameters", doc(', "parameters": {}, "parameters": {}'), ['"parameters" appears more than once']),
    ("duplicate_parameter", params('"growth": 10, "growth": 30'), ['the key "growth" appears more than once']),
    ("duplicate_key_in_extra_field", doc(', "x": {"a": 1, "a": 2}, "parameters": {}'), ['the key "a" appears']),
    ("duplicate_long_key", params(f'"{"k" * 500}": 1, "{"k" * 500}": 2'), ['the key "kkkk', "appears more than once"]),
    ("empty_parameter_key", params('"": 1'), ['an empty key ("") is not allowed']),
    ("empty_top_level_key", doc(', "": 1, "parameters": {}'), ['an empty key ("")']),
    ("zone_as_parameter", params('"zone": "technoparks"'), ["zone: is a top-level field of the file, not one of its"]),
    ("preset_as_parameter", params('"preset": "delayed"'), ["preset: is a top-level field"]),
    ("jobs_goal_as_parameter", params('"jobs_goal": "strategy"'), ["jobs_goal: is a top-level field"]),
    ("lang_as_parameter", params('"lang": "en"'), ["lang: is a top-level field"]),
    ("link_option_as_parameter", params('"embed": "true"'), ["embed: unknown parameter"]),
    ("version_1_0", version("1.0"), ['unsupported "version" 1.0; expected 1']),
    ("version_1e0", version("1e0"), ['unsupported "version" 1e0']),
    ("version_true", version("true"), ['unsupported "version" true']),
    ("version_text", version('"1"'), ['unsupported "version" "1"']),
    ("version_null", version("null"), ['unsupported "version" null']),
    ("version_list", version("[1]"), ['unsupported "version" a list']),
    ("version_of_5000_digits", version("1" * 5000), ['unsupported "version" 1111', "…"]),
    ("version_missing", '{"format": "technopolis-planner/scenario", "parameters": {}}', ['unsupported "version"']),
    ("key_with_line_break", params('"gr\\nowth": 1'), ["gr?owth: unknown parameter"]),
    ("key_with_bidi_override", params('"\\u202egrowth": 1'), ["?growth: unknown parameter"]),
    ("key_of_10000_chars", params(f'"{"x" * 10_000}": 1'), ["xxxx…: unknown parameter"]),
    ("five_thousand_unknown_keys", params(", ".join(f'"k{i}": 1' for i in range(5000))), ["; and 4995 more"]),
    ("object_as_value", params('"growth": {"a": 1}'), ["growth: must be a number or text, not an object"]),
    ("null_as_value", params('"growth": null'), ["growth: must be a number or text, not null"]),
    ("zone_of_1000_chars", doc(', "zone": "' + "z" * 1000 + '", "parameters": {}'), ["zone: value too long"]),
    ("zone_as_number", doc(', "zone": 1, "parameters": {}'), ['"zone", "preset" and "jobs_goal" must be text']),
    ("lone_surrogate_text", params('"profile": "\ud800"'), ["profile: ? is not allowed"]),
    ("nul_in_text", params('"profile": "s\\u0000"'), ["profile: s? is not allowed"]),
    ("control_bytes", b"\x00\x01\x02", ["not valid JSON"]),
    ("latin1_bytes", doc(', "zone": "\xe9"').encode("latin-1"), ["not valid JSON"]),
    ("parameters_as_list", doc(', "parameters": []'), ['"parameters" must be an object']),
    ("top_level_string", '"technopolis-planner/scenario"', ["not a scenario file"]),
]


@pytest.mark.parametrize(("content", "words"), [c[1:] for c in SCENARIO_FILES], ids=[c[0] for c in SCENARIO_FILES])
def test_a_hostile_scenario_file_is_refused_naming_what_is_wrong(content: str | bytes, words: list[str]) -> None:
    with pytest.raises(ScenarioFileError) as caught:
        from_file(DATASET, content)
    message = str(caught.value)
    one_line(message)
    for word in words:
        assert word in message


def test_the_file_limit_still_admits_a_file_of_exactly_the_limit() -> None:
    # Control for the size cases above: whitespace pads a valid file to the byte.
    content = doc().encode()
    padded = content[:-1] + b" " * (MAX_FILE_BYTES - len(content)) + b"}"
    assert len(padded) == MAX_FILE_BYTES
    assert from_file(DATASET, padded).zone == "sez"


# --- the bounded reader ---------------------------------------------------------------------


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder with a short path: a Unix socket's path is limited to about 100 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="planner-", dir="/tmp" if os.path.isdir("/tmp") else None))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def loop(folder: Path) -> Path:
    (folder / "a").symlink_to(folder / "b")
    (folder / "b").symlink_to(folder / "a")
    return folder / "a"


def fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe")
    return folder / "pipe"


def unix_socket(folder: Path) -> Path:
    path = folder / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))  # the socket file stays after close; the reader must refuse it
    server.close()
    return path


def link_to(target: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / "link").symlink_to(target)
        return folder / "link"

    return make


def sized(size: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / "file").write_bytes(b"x" * size)
        return folder / "file"

    return make


def under_a_file(folder: Path) -> Path:
    (folder / "file").write_text("x")
    return folder / "file" / "inside"


LIMIT = 16
# (id, path maker, words of the reason)
PATHS = [
    ("a_folder", lambda folder: folder, "is a folder, not a file"),
    ("a_fifo", fifo, "is a named pipe (FIFO), not a regular file"),
    ("dev_zero", lambda _: Path("/dev/zero"), "is a character device, not a regular file"),
    ("dev_null", lambda _: Path("/dev/null"), "is a character device"),
    ("symlink_to_dev_zero", link_to("/dev/zero"), "is a character device"),
    ("symlink_to_a_folder", link_to("/"), "is a folder"),
    ("a_socket", unix_socket, "is a socket, not a regular file"),
    ("symlink_loop", loop, "is a symlink loop"),
    ("symlink_to_itself", lambda folder: link_to(str(folder / "link"))(folder), "is a symlink loop"),
    ("dangling_symlink", link_to("/nonexistent/planner"), "file is missing"),
    ("missing_file", lambda folder: folder / "nothing.json", "file is missing"),
    ("path_under_a_file", under_a_file, "a part of the path is not a folder"),
    ("name_too_long", lambda folder: folder / ("x" * 300), "the path is too long"),
    ("nul_in_path", lambda folder: Path(f"{folder}/a\0b"), "is not a valid path"),
    ("one_byte_over", sized(LIMIT + 1), f"is {LIMIT + 1} bytes; the limit is {LIMIT}"),
    ("a_megabyte", sized(1 << 20), "is 1,048,576 bytes; the limit is 16"),
]


@pytest.mark.parametrize(("make", "reason"), [p[1:] for p in PATHS], ids=[p[0] for p in PATHS])
def test_the_reader_refuses_anything_but_a_small_regular_file(make, reason: str, short_tmp: Path) -> None:
    path = make(short_tmp)
    with pytest.raises(UnreadableFile) as caught:
        read_bounded(path, LIMIT)
    assert caught.value.reason == reason or caught.value.reason.startswith(reason)
    one_line(str(caught.value))
    assert str(caught.value).endswith(": " + caught.value.reason)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux's /proc")
def test_the_reader_stops_at_limit_plus_one_for_a_file_that_reports_size_zero() -> None:
    # /proc files are regular files of st_size 0 whose content is longer: only the read bounds them.
    with pytest.raises(UnreadableFile, match="is larger than the limit of 16 bytes"):
        read_bounded("/proc/self/status", LIMIT)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_the_reader_says_permission_denied(tmp_path: Path) -> None:
    path = sized(1)(tmp_path)
    path.chmod(0)
    with pytest.raises(UnreadableFile, match="permission denied"):
        read_bounded(path, LIMIT)


def test_the_reader_reads_a_file_of_exactly_the_limit_and_follows_a_symlink(tmp_path: Path) -> None:
    path = sized(LIMIT)(tmp_path)
    (tmp_path / "alias").symlink_to(path)
    assert read_bounded(path, LIMIT) == read_bounded(tmp_path / "alias", LIMIT) == b"x" * LIMIT


# --- data folders ---------------------------------------------------------------------------


def append(name: str, text: str | bytes) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        with (folder / name).open("ab") as file:
            file.write(text.encode() if isinstance(text, str) else text)

    return damage


def replace_in(name: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text
        (folder / name).write_text(text.replace(old, new, count), encoding="utf-8")

    return damage


def write(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(content)


def swap(name: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    """Replace a data file by something else at the same path."""

    def damage(folder: Path) -> None:
        (folder / name).unlink()
        make(folder / name)

    return damage


def symlink_loop(path: Path) -> None:
    path.symlink_to(path.with_name("other"))
    path.with_name("other").symlink_to(path)


def all_years(old: str, new: str) -> Callable[[Path], None]:
    return replace_in("goals.csv", old, new, count=-1)


# (id, damage to a copy of the bundled data, words the message must contain). A damage that
# returns a path means: use that path as the data folder.
DATA_FOLDERS: list[tuple[str, Callable[[Path], object], list[str]]] = [
    ("data_is_a_file", lambda folder: folder / "zones.csv", ["data folder", "zones.csv: is not a folder"]),
    ("data_is_missing", lambda folder: folder / "nothing", ["data folder", "nothing: does not exist"]),
    ("data_is_a_fifo", fifo, ["pipe: is not a folder"]),
    ("data_is_a_device", lambda _: Path("/dev/null"), ["data folder /dev/null: is not a folder"]),
    ("data_is_a_symlink_loop", loop, ["a: is a symlink loop"]),
    ("data_path_has_nul", lambda folder: Path(f"{folder}\0x"), ["is not a valid path"]),
    ("missing_csv", lambda folder: (folder / "zones.csv").unlink(), ["zones.csv: file is missing"]),
    ("missing_toml", lambda folder: (folder / "presets.toml").unlink(), ["presets.toml: file is missing"]),
    ("csv_is_a_folder", swap("zones.csv", Path.mkdir), ["zones.csv: is a folder, not a file"]),
    ("csv_is_a_fifo", swap("goals.csv", os.mkfifo), ["goals.csv: is a named pipe (FIFO)"]),
    ("csv_is_dev_zero", swap("clusters.csv", lambda p: p.symlink_to("/dev/zero")), ["clusters.csv: is a character"]),
    ("csv_is_a_symlink_loop", swap("baseline.csv", symlink_loop), ["baseline.csv: is a symlink loop"]),
    ("toml_is_dev_null", swap("presets.toml", lambda p: p.symlink_to("/dev/null")), ["presets.toml: is a character"]),
    (
        "csv_over_4_mb",
        append("actuals.csv", "#" * MAX_DATA_FILE_BYTES),
        ["actuals.csv: is ", f"the limit is {MAX_DATA_FILE_BYTES:,}"],
    ),
    (
        "field_over_csv_limit",
        append("zones.csv", 'x,"' + "a" * 200_000 + '",b,c\n'),
        ["zones.csv, row 5: is not valid CSV (field larger than field limit"],
    ),
    ("unclosed_quote", append("warnings.csv", 'build_pace,"1,x\n'), ["warnings.csv, row", "is not valid CSV"]),
    ("stray_quote", append("zones.csv", 'x,"a"b,c,d\n'), ["zones.csv, row 5: is not valid CSV"]),
    ("nul_in_csv", append("actuals.csv", "sez,2020,1\0,1,1,x\n"), ["actuals.csv, row 13: contains a NUL byte"]),
    (
        "utf16_csv",
        lambda f: (f / "zones.csv").write_bytes((f / "zones.csv").read_text().encode("utf-16")),
        ["zones.csv: is not UTF-8"],
    ),
    (
        "deep_toml_array",
        write("presets.toml", b"a=" + b"[" * 100_000),
        ["presets.toml: is not valid TOML", "too deeply"],
    ),
    ("deep_toml_table", write("presets.toml", b"a=" + b"{b=" * 100_000), ["presets.toml: is not valid TOML"]),
    ("toml_latin1", append("presets.toml", "\n# caf\xe9\n".encode("latin-1")), ["presets.toml: is not UTF-8 text"]),
    ("toml_int_of_5000_digits", append("presets.toml", "\nx = 1" + "0" * 5000), ["presets.toml: is not valid TOML"]),
    (
        "toml_int_beyond_float",
        append(
            "presets.toml",
            "\n[huge]\nlabel_ru='a'\nlabel_en='a'\ndescription_ru='a'\ndescription_en='a'\n"
            "source='a'\n[huge.values]\ngrowth = 1" + "0" * 400,
        ),
        ["presets.toml: [huge.values] has a number too large"],
    ),
    (
        "toml_key_with_line_break",
        append("presets.toml", '\n["a\\nb"]\nlabel_ru = "x"\n'),
        ["[a?b] is not a preset key"],
    ),
    (
        "duplicate_zone",
        append("zones.csv", "sez,a,b,,c\n"),
        ["zones.csv, row 5: zone 'sez' is given twice (first in row 2)"],
    ),
    ("empty_zone_key", append("zones.csv", ",a,b,,c\n"), ["zones.csv, row 5, column key: '' is not a key"]),
    (
        "zone_key_with_space",
        append("zones.csv", "my zone,a,b,,c\n"),
        ["zones.csv, row 5, column key: 'my zone' is not a key"],
    ),
    (
        "cluster_key_with_bidi",
        replace_in("clusters.csv", "\nsez,pharma,", "\nsez,pharma\u202e,"),
        ["clusters.csv, row 3, column key: 'pharma?'"],
    ),
    (
        "duplicate_cluster",
        replace_in("clusters.csv", "\nsez,pharma,", "\nsez,microelectronics,"),
        ["clusters.csv, row 3: cluster microelectronics name_ru is given twice (first in row 2)"],
    ),
    (
        "duplicate_default",
        append("defaults.csv", "sez,growth,5,x\n"),
        ["defaults.csv, row", "default growth value is given twice"],
    ),
    (
        "duplicate_baseline",
        append("baseline.csv", "sez,occupancy_pct,5,x\n"),
        ["baseline.csv, row", "zone sez occupancy_pct is given twice"],
    ),
    (
        "duplicate_goal",
        append("goals.csv", "sez,new_jobs,seed,new,5,2030,2024,false,a,b,,c\n"),
        ["goal new_jobs:seed basis is given twice"],
    ),
    (
        "duplicate_rule",
        append("warnings.csv", "build_pace,5,x\n"),
        ["warnings.csv, row", "rule 'build_pace' is given twice"],
    ),
    (
        "duplicate_actual",
        append("actuals.csv", "sez,2020,1,1,1,x\nsez,2020,1,1,1,x\n"),
        ["actual 2020 floor_area_m2 is given twice"],
    ),
    (
        "fractional_base_year",
        replace_in(
            "goals.csv", "sez,floor_area,seed,multiple,3.5,2030,2024,", "sez,floor_area,seed,multiple,3.5,2030,2024.5,"
        ),
        ["'2024.5' must be a whole year"],
    ),
    (
        "base_year_zero",
        replace_in(
            "goals.csv", "sez,floor_area,seed,multiple,3.5,2030,2024,", "sez,floor_area,seed,multiple,3.5,2030,0,"
        ),
        ["goals.csv, row 2, column base_year: '0' must be a whole year from 2000"],
    ),
    (
        "goal_year_far_away",
        all_years(",2030,", ",999999,"),
        ["goals.csv, row 2, column year: '999999' must be a whole year"],
    ),
    ("actual_year_huge", append("actuals.csv", "sez,999999999999,1,1,1,x\n"), ["actuals.csv, row 13, column year"]),
    (
        "goal_past_the_horizon",
        all_years(",2030,", ",2032,"),
        ["defaults.csv", "horizon: 2030 is before the target year 2032"],
    ),
    (
        "unknown_zone_of_100k_chars",
        append("actuals.csv", "z" * 100_000 + ",2020,1,1,1,x\n"),
        ["unknown zone 'zzzz", "…'; known: sez"],
    ),
    ("unknown_rule_of_10k_chars", append("warnings.csv", "r" * 10_000 + ",1,x\n"), ["unknown rule 'rrrr", "…'"]),
]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    return folder


@pytest.mark.parametrize(("damage", "words"), [d[1:] for d in DATA_FOLDERS], ids=[d[0] for d in DATA_FOLDERS])
def test_a_hostile_data_folder_is_refused_naming_file_and_row(
    damage, words: list[str], data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = damage(data_copy)
    folder = folder if isinstance(folder, Path) else data_copy
    with pytest.raises(DataError) as caught:
        load(folder)
    message = str(caught.value)
    one_line(message)
    for word in words:
        assert word in message
    # The same folder through the CLI: exit 2 and the same sentence, in one line.
    assert main(["--data", str(folder), "parameters"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"planner: error: {message}\n"
