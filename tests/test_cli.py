"""The `planner` command: JSON shape, formats, and clean refusals of bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.goals import compound_growth_needed


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "project", "--format", "json")
    assert code == 0
    data = json.loads(out)
    n = len(data["years"])
    assert data["years"][0] == 2025 and data["years"][-1] == 2030  # from the jump-off
    assert data["jump_off_year"] == 2025
    for key in ("floor_area_m2", "jobs", "new_jobs"):
        assert len(data[key]) == n
    assert set(data["clusters"]) == {
        "microelectronics",
        "pharma",
        "ev",
        "batteries",
        "lifts",
        "vertical_transport",
        "other",
    }
    for series in data["clusters"].values():
        assert len(series["floor_area_m2"]) == n and len(series["jobs"]) == n
    assert data["scenario"]["growth"] == 22.87 and data["scenario"]["profile"] == "compound"
    area, jobs = data["goals"]["area_multiple"], data["goals"]["new_jobs"]
    for goal in (area, jobs):
        assert {"target", "value", "met", "year_met", "required_growth"} <= set(goal)
    assert "required_density" in jobs
    assert area["target"] == 3.5 and area["met"] is True
    assert area["required_growth"] == pytest.approx(compound_growth_needed(2.8, 5), abs=1e-6)
    assert jobs["target"] == 90000 and jobs["met"] is False and jobs["year_met"] is None
    cluster_sum = sum(series["floor_area_m2"][-1] for series in data["clusters"].values())
    assert cluster_sum == pytest.approx(data["floor_area_m2"][-1])


def test_set_preset_zone_and_jobs_goal(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "project",
        "--zone",
        "technoparks",
        "--preset",
        "delayed",
        "--set",
        "density=35",
        "--set",
        "horizon=2035",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["zone"] == "technoparks" and data["years"][-1] == 2035
    assert data["scenario"]["delay"] == 1.0 and data["scenario"]["density"] == 35.0
    code, out, _ = run(capsys, "project", "--jobs-goal", "strategy", "--format", "json")
    assert json.loads(out)["goals"]["new_jobs"]["target"] == 90000 - 22100


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_table_and_csv(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "project", "--format", fmt)
    assert code == 0 and "floor_area_m2" in out and "2030" in out


def test_presets_and_parameters_lists(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "presets")[1].split()[0] == "plan"
    assert "growth" in run(capsys, "parameters")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "growth=99"], "growth: 99 is out of range; use a number from 0 to 40"),
        (["--set", "growth=abc"], "growth: abc is not a number"),
        (["--set", "growth=nan"], "growth: nan is out of range"),
        (["--set", "growth=inf"], "growth: inf is out of range"),
        (["--set", "delay=-1"], "delay: -1 is out of range; use a number from 0 to 5"),
        (["--set", "nosuch=1"], "nosuch: unknown parameter"),
        (["--set", "growth"], "expected KEY=VALUE"),
        (["--set", "profile=zigzag"], "profile: zigzag is not allowed; use one of compound"),
        (["--zone", "mars"], "unknown zone 'mars'"),
        (["--preset", "dream"], "unknown preset 'dream'"),
        (["--jobs-goal", "x"], "unknown jobs goal 'x'"),
    ],
)
def test_bad_input_exits_nonzero_with_one_clear_line(capsys: pytest.CaptureFixture[str], args, message) -> None:
    code, out, err = run(capsys, "project", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_broken_data_folder_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", data)
    (data / "baseline.csv").write_text("zone,field,value,source\nsez,occupancy_pct,lots,x\n", encoding="utf-8")
    code, _, err = run(capsys, "--data", str(data), "project")
    assert code == 2 and "baseline.csv, row 2, column value: 'lots' is not a number" in err


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("planner")), "project", "--set", "growth=-3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and result.stderr.startswith("planner: error: growth:")
    assert "Traceback" not in result.stderr


def test_pipeline_prints_coverage_and_the_projects_forecast(capsys) -> None:
    import json as json_module

    from planner.cli import main as cli_main

    assert cli_main(["pipeline", "--zone", "sez", "--format", "json"]) == 0
    data = json_module.loads(capsys.readouterr().out)
    coverage = data["coverage"]
    assert coverage["needed_m2"] == 3_600_000 and 0 < coverage["share"] < 1
    assert coverage["unidentified_m2"] == pytest.approx(coverage["needed_m2"] - coverage["named_m2"])
    assert set(data["forecast"]) == {"top_down", "pipeline", "pipeline_plus"}
    assert data["forecast"]["pipeline"]["floor_area_m2"][0] == 2_000_000  # from the jump-off
    assert cli_main(["pipeline", "--zone", "all", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.startswith("year,top_down.floor_area_m2")
    assert cli_main(["pipeline", "--zone", "technoparks"]) == 0
    assert "coverage" in capsys.readouterr().out


def test_pipeline_json_is_valid_json_when_no_project_can_be_built(capsys) -> None:
    import json as json_module

    from planner.cli import main as cli_main

    assert cli_main(["pipeline", "--set", "complete_announced=0", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "Infinity" not in out and json_module.loads(out)["new_projects_needed"]["m2"] is None
