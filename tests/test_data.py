"""The bundled data: its figures, its sources, and clear refusals of broken files."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.data import DEFAULT_DATA_DIR, FILES, Dataset, load
from planner.zone import DataError

# --- the bundled data ----------------------------------------------------------------------


def test_the_bundled_data_loads(dataset: Dataset) -> None:
    assert [zone.key for zone in dataset.zones] == ["sez", "technoparks", "all"]
    assert dataset.presets[0].key == "plan"
    assert {"plan", "current_pace", "delayed", "accelerated"} <= {p.key for p in dataset.presets}
    assert len(dataset.version) == 8 and int(dataset.version, 16) >= 0
    for zone in dataset.zones:
        assert len(zone.clusters) == 7
        assert zone.target_year == 2030
        for preset in dataset.presets:
            assert tuple(k for k, _ in dataset.scenario(zone.key, preset.key).values) == dataset.registry.keys


def test_every_number_carries_a_source(dataset: Dataset) -> None:
    for zone in dataset.zones:
        sourced = [
            zone,
            *zone.baseline_sources,
            *zone.defaults,
            *zone.goals,
            *zone.actuals,
            *zone.clusters,
        ]
        for item in sourced:
            assert item.source.strip(), f"{zone.key}: {item} has no source"
        if not zone.parts:  # zones together take every default from their parts
            assert {item.key for item in zone.defaults} == set(dataset.registry.keys)
    for preset in dataset.presets:
        assert preset.source.strip()


def test_sez_jump_off_and_goals(dataset: Dataset) -> None:
    sez = dataset.zone("sez")
    assert sez.jump_off_year == 2025  # the latest complete year of actuals
    assert (sez.floor_area_m2, sez.jobs, sez.companies) == (2_000_000, 30_000, 240)
    area = sez.goal("floor_area")
    assert (area.basis, area.value, area.year, area.base_year) == ("multiple", 3.5, 2030, 2024)
    assert area.level == pytest.approx(5_600_000, rel=1e-12)  # ×3.5 on 2024's 1.6 million


def test_sez_has_both_readings_of_the_jobs_goal(dataset: Dataset) -> None:
    sez = dataset.zone("sez")
    readings = {goal.reading: goal for goal in sez.goal_readings("new_jobs")}
    assert set(readings) == {"seed", "strategy"}
    seed, strategy = readings["seed"], readings["strategy"]
    assert seed.is_default and not strategy.is_default
    assert sez.goal("new_jobs") is seed
    assert sez.goal("new_jobs", "strategy") is strategy
    assert seed.level == 22_100 + 90_000  # 90,000 new jobs on 2024's 22,100
    assert strategy.level == 90_000  # 90,000 working there
    with pytest.raises(KeyError):
        sez.goal("new_jobs", "wishful")


def test_technopark_baseline_and_goals(dataset: Dataset) -> None:
    parks = dataset.zone("technoparks")
    assert parks.jump_off_year == 2025
    area, jobs = parks.goal("floor_area"), parks.goal("new_jobs")
    assert (area.basis, area.value, area.base_year) == ("increment_m2", 2_500_000, 2025)
    assert area.level == 2_700_000 + 2_500_000
    assert "counted from the end of 2025" in area.source  # the data says which base it takes, and why
    assert (jobs.basis, jobs.value, jobs.level) == ("total", 150_000, 150_000)


def test_zones_together_are_the_sums_of_their_parts(dataset: Dataset) -> None:
    together, sez, parks = dataset.zone("all"), dataset.zone("sez"), dataset.zone("technoparks")
    assert together.parts == (sez, parks) and together.jump_off_year == 2025
    assert together.goal("floor_area").level == pytest.approx(5_600_000 + 5_200_000)
    assert together.goal("new_jobs").level == pytest.approx(112_100 + 150_000)  # the seed's reading + the strategy's
    assert together.goal("new_jobs", "strategy").level == pytest.approx(90_000 + 150_000)
    assert together.goal("new_jobs").base_level == 106_000  # counted from 2025's observed 30,000 + 76,000
    only_2025 = next(a for a in together.actuals if a.year == 2025)
    assert (only_2025.floor_area_m2, only_2025.jobs, only_2025.companies) == (4_700_000, 106_000, 2_540)


def test_default_mixes_add_up_to_100_and_base_shares_to_1(dataset: Dataset) -> None:
    for zone in dataset.zones:
        if zone.parts:
            continue
        values = zone.default_values()
        assert sum(float(values[key]) for key in dataset.registry.mix_keys) == pytest.approx(100)
        assert sum(c.base_share for c in zone.clusters) == pytest.approx(1)


def test_actuals_are_sorted_and_start_no_later_than_the_base_year(dataset: Dataset) -> None:
    for zone in dataset.zones:
        years = [actual.year for actual in zone.actuals]
        assert years == sorted(years) and years
        assert any(year >= zone.jump_off_year for year in years)
    sez_2024 = next(a for a in dataset.zone("sez").actuals if a.year == 2024)
    assert (sez_2024.floor_area_m2, sez_2024.jobs) == (1_600_000, 22_100)


# --- broken data ---------------------------------------------------------------------------


def copy_data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    return folder


def edit_line(folder: Path, name: str, starts_with: str, edit: Callable[[str], str]) -> int:
    """Rewrite the first line that starts with `starts_with`; return its 1-based number."""
    path = folder / name
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if line.startswith(starts_with):
            lines[number - 1] = edit(line)
            assert lines[number - 1] != line, "the edit changed nothing"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return number
    raise AssertionError(f"{name} has no line starting with {starts_with!r}")


def append_line(folder: Path, name: str, line: str) -> int:
    path = folder / name
    lines = [*path.read_text(encoding="utf-8").splitlines(), line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def replace_field(index: int, value: str) -> Callable[[str], str]:
    """Replace the index-th comma-separated field (of the leading, unquoted fields)."""

    def edit(line: str) -> str:
        fields = line.split(",")
        fields[index] = value
        return ",".join(fields)

    return edit


# Each case corrupts the copied folder and returns (file, row, column, text that must appear).
Corruption = Callable[[Path], tuple[str, int | None, str | None, str]]


def non_number(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "actuals.csv", "sez,2024,", replace_field(2, "1.6 million"))
    return "actuals.csv", row, "floor_area_m2", "'1.6 million' is not a number"


def nan_value(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "clusters.csv", "sez,pharma,", replace_field(5, "nan"))
    return "clusters.csv", row, "density_jobs_per_1000m2", "'nan' is not a number"


def negative_value(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "actuals.csv", "technoparks,2016,", replace_field(3, "-23000"))
    return "actuals.csv", row, "jobs", "'-23000' must be a finite, non-negative number"


def missing_column(folder: Path) -> tuple[str, int | None, str | None, str]:
    edit_line(folder, "clusters.csv", "zone,", lambda line: line.replace(",density_jobs_per_1000m2", ""))
    return "clusters.csv", 1, None, "missing column(s) density_jobs_per_1000m2"


def unknown_zone(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(
        folder, "goals.csv", "technoparks,new_jobs,", lambda line: "moon" + line.removeprefix("technoparks")
    )
    return "goals.csv", row, "zone", "unknown zone 'moon'; known: sez, technoparks"


def data_for_zones_together(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "baseline.csv", "sez,land_ha,", lambda line: "all" + line.removeprefix("sez"))
    return "baseline.csv", row, "zone", "zone 'all' is zones together: its data are its parts'"


def zones_together_of_an_unknown_zone(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "zones.csv", "all,", lambda line: line.replace("sez technoparks", "sez moon"))
    return "zones.csv", row, "parts", "parts moon are not zones with data of their own"


def missing_file(folder: Path) -> tuple[str, int | None, str | None, str]:
    (folder / "actuals.csv").unlink()
    return "actuals.csv", None, None, "file is missing"


def missing_presets(folder: Path) -> tuple[str, int | None, str | None, str]:
    (folder / "presets.toml").unlink()
    return "presets.toml", None, None, "file is missing"


def shares_off_100(folder: Path) -> tuple[str, int | None, str | None, str]:
    edit_line(folder, "clusters.csv", "technoparks,microelectronics,", replace_field(4, "35"))
    return "clusters.csv", None, None, "zone 'technoparks': base_share_pct sums to 105, not 100"


def default_out_of_bounds(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "defaults.csv", "technoparks,occupancy,", replace_field(2, "120"))
    return "defaults.csv", row, "value", "occupancy: 120 is out of range; use a number from 50 to 100"


def default_unknown_choice(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "defaults.csv", "sez,profile,", replace_field(2, "exponential"))
    return "defaults.csv", row, "value", "profile: exponential is not allowed"


def default_unknown_key(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(
        folder,
        "defaults.csv",
        "technoparks,ramp,",
        lambda line: "technoparks,ramp_years" + line.removeprefix("technoparks,ramp"),
    )
    return "defaults.csv", row, "key", "default ramp_years: unknown parameter"


def default_missing(folder: Path) -> tuple[str, int | None, str | None, str]:
    edit_line(folder, "defaults.csv", "technoparks,ramp,", lambda line: "")
    return "defaults.csv", None, None, "zone 'technoparks' has no default for ramp"


def empty_source(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "defaults.csv", "sez,delivery,", lambda line: "sez,delivery,100,")
    return "defaults.csv", row, "source", "is empty"


def invalid_toml(folder: Path) -> tuple[str, int | None, str | None, str]:
    append_line(folder, "presets.toml", "[broken")
    return "presets.toml", None, None, "is not valid TOML"  # tomllib's own words vary by version


def invalid_toml_names_its_line(folder: Path) -> tuple[str, int | None, str | None, str]:
    line = append_line(folder, "presets.toml", 'label_en = "unterminated')
    return "presets.toml", None, None, f"line {line}"


def preset_out_of_bounds(folder: Path) -> tuple[str, int | None, str | None, str]:
    edit_line(folder, "presets.toml", "delay = 1", lambda line: "delay = 9")
    return "presets.toml", None, None, "[delayed.values] delay: 9 is out of range; use a number from 0 to 5"


def too_many_fields(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "actuals.csv", "technoparks,2014,", lambda line: line + ",surplus")
    return "actuals.csv", row, None, "wrong number of fields"


def too_few_fields(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "zones.csv", "technoparks,", lambda line: "technoparks,Технопарки Москвы")
    return "zones.csv", row, None, "wrong number of fields"


def unknown_goal_metric(folder: Path) -> tuple[str, int | None, str | None, str]:
    row = edit_line(folder, "goals.csv", "sez,floor_area,", replace_field(1, "happiness"))
    return "goals.csv", row, "metric", "a goal is floor_area or new_jobs"


def two_default_goals(folder: Path) -> tuple[str, int | None, str | None, str]:
    edit_line(folder, "goals.csv", "sez,new_jobs,strategy,", lambda line: line.replace(",false,", ",true,"))
    return "goals.csv", None, None, "table goal of zone 'sez': needs exactly one default new_jobs goal"


def not_utf8(folder: Path) -> tuple[str, int | None, str | None, str]:
    path = folder / "clusters.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251", errors="replace"))
    return "clusters.csv", None, None, "is not UTF-8 text"


CORRUPTIONS: tuple[Corruption, ...] = (
    non_number,
    nan_value,
    negative_value,
    missing_column,
    unknown_zone,
    data_for_zones_together,
    zones_together_of_an_unknown_zone,
    missing_file,
    missing_presets,
    shares_off_100,
    default_out_of_bounds,
    default_unknown_choice,
    default_unknown_key,
    default_missing,
    empty_source,
    invalid_toml,
    invalid_toml_names_its_line,
    preset_out_of_bounds,
    too_many_fields,
    too_few_fields,
    unknown_goal_metric,
    two_default_goals,
    not_utf8,
)


def test_an_untouched_copy_loads_to_the_same_data(tmp_path: Path, dataset: Dataset) -> None:
    copy = load(copy_data(tmp_path))
    assert copy.zones == dataset.zones and copy.version == dataset.version


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda corrupt: corrupt.__name__)
def test_broken_data_is_refused_naming_file_row_and_column(tmp_path: Path, corrupt: Corruption) -> None:
    folder = copy_data(tmp_path)
    file, row, column, text = corrupt(folder)
    with pytest.raises(DataError) as error:
        load(folder)
    message = str(error.value)
    where = file + (f", row {row}" if row is not None else "") + (f", column {column}" if column else "")
    assert message.startswith(where + ": "), message
    assert text in message, message
    assert (error.value.file, error.value.row, error.value.column) == (file, row, column)
    assert "\n" not in message


def test_the_data_version_follows_the_files(tmp_path: Path, dataset: Dataset) -> None:
    folder = copy_data(tmp_path)
    edit_line(folder, "zones.csv", "sez,", lambda line: line + " (edited)")
    assert load(folder).version != dataset.version
    assert set(FILES) <= {path.name for path in folder.iterdir()}


@pytest.mark.parametrize(
    ("first_line", "message"),
    [('title = "presets"\n', "'title' must be a [table]"), ("", None)],
)
def test_a_preset_entry_of_the_wrong_type_is_a_data_error(tmp_path: Path, first_line: str, message: str | None) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    presets = folder / "presets.toml"
    text = presets.read_text(encoding="utf-8")
    if message is None:  # a preset whose zones are not a table
        text = text.replace("[delayed.values]", "zones = 3\n[delayed.values]")
        message = "[delayed.zones] must be a table of zones"
    presets.write_text(first_line + text, encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        load(folder)


@pytest.mark.parametrize("text", ["1_000", "２０", "1e13", "inf", "0x10"])
def test_a_data_number_is_plain_finite_and_bounded(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    actuals = folder / "actuals.csv"
    actuals.write_text(
        actuals.read_text(encoding="utf-8").replace("sez,2024,1600000,22100", f"sez,2024,1600000,{text}"), "utf-8"
    )
    with pytest.raises(DataError, match=re.escape("actuals.csv, row 4, column jobs")):
        load(folder)


def test_no_preset_description_claims_an_outcome(dataset: Dataset) -> None:
    """A preset says what it assumes; the headline says what follows (met or not is the
    model's answer, not the preset's)."""
    claims = ("выполняются", "превышается", "достигается", " met ", "exceeded", "reached")
    for preset in dataset.presets:
        for words in (preset.description_ru, preset.description_en):
            assert not any(claim in f" {words} " for claim in claims), (preset.key, words)


# --- a new year of actuals re-baselines the forecast, and nothing else ----------------------

ROW_2026 = "sez,2026,2600000,38000,280,assumption: a year of actuals as it might be reported\n"


def test_a_2026_row_of_actuals_moves_the_jump_off_and_no_goal(tmp_path: Path) -> None:
    from planner.outlook import assess

    folder = copy_data(tmp_path)
    with (folder / "actuals.csv").open("a", encoding="utf-8") as file:
        file.write(ROW_2026)
    before, after = load(), load(folder)
    old, new = before.zone("sez"), after.zone("sez")
    assert new.jump_off_year == 2026 and (new.floor_area_m2, new.jobs, new.companies) == (2_600_000, 38_000, 280)
    assert new.goals == old.goals  # each goal keeps its level, base year and words
    assert new.vintages() == (2024, 2025)
    # Zones together start where both zones have a figure: the SEZ's observation, the parks' forecast.
    parks = assess(after, "technoparks", after.scenario("technoparks")).projection
    first = {"sez": 2_600_000, "all": 2_600_000 + float(parks.floor_area_m2[parks.year_index(2026)])}
    for zone_key, expected in first.items():
        outlook = assess(after, zone_key, after.scenario(zone_key))
        assert outlook.projection.years[0] == 2026
        assert float(outlook.projection.floor_area_m2[0]) == pytest.approx(expected)
    # The multiple is still reported on the goal's own base, 2024's 1.6 million m².
    plan = assess(after, "sez", after.scenario("sez"))
    assert plan.area.target == 3.5
    assert plan.area.value == pytest.approx(float(plan.projection.floor_area_m2[-1]) / 1_600_000)
