"""`planner`: headless runs of the model for scripts and batch work.

Bad input (an unknown key, a value that is not a number or is out of bounds, a broken data
file) ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from planner.data import DEFAULT_DATA_DIR, DataError, Dataset, load
from planner.export import outlook_dict, yearly_frame
from planner.outlook import assess
from planner.scenario import ParamError, parse_assignments

EXIT_USAGE = 2


class CliError(Exception):
    """A user error the CLI reports in one line."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planner", description="Technopolis 2030 scenario planner")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="folder with the data files")
    commands = parser.add_subparsers(dest="command", required=True)

    project = commands.add_parser("project", help="project floor area and jobs for one scenario")
    project.add_argument("--zone", default="sez", help="sez, technoparks or all (default: sez)")
    project.add_argument("--preset", default="plan", help="a preset from data/presets.toml (default: plan)")
    project.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one parameter, e.g. --set growth=20 (repeatable)",
    )
    project.add_argument("--jobs-goal", default=None, help="reading of the jobs goal (default: the zone's default)")
    project.add_argument("--format", choices=("table", "csv", "json"), default="table")
    commands.add_parser("presets", help="list the presets")
    commands.add_parser("parameters", help="list every parameter with its range")
    return parser


def _pick(kind: str, key: str, known: Sequence[str]) -> str:
    if key not in known:
        raise CliError(f"unknown {kind} {key!r}; choose one of {', '.join(known)}")
    return key


def _project(dataset: Dataset, args: argparse.Namespace) -> str:
    zone = _pick("zone", args.zone, [z.key for z in dataset.zones])
    preset = _pick("preset", args.preset, [p.key for p in dataset.presets])
    readings = [g.reading for g in dataset.zone(zone).goal_readings("new_jobs")]
    if args.jobs_goal is not None:
        _pick("jobs goal", args.jobs_goal, readings)
    scenario = dataset.scenario(zone, preset)
    scenario = scenario.with_values(dataset.registry, parse_assignments(dataset.registry, args.assignments))
    outlook = assess(dataset, zone, scenario, args.jobs_goal)
    if args.format == "json":
        return json.dumps(outlook_dict(outlook, preset, dataset.version), ensure_ascii=False, indent=2)
    frame = yearly_frame(outlook)
    if args.format == "csv":
        return frame.to_csv(index=False)
    lines = [frame.to_string(index=False, float_format=lambda v: f"{v:,.2f}")]
    for result in (outlook.area, outlook.jobs):
        status = "met" if result.met else "missed"
        needed = ", ".join(f"{k} {v:.2f}" if v is not None else f"{k} out of range" for k, v in result.required)
        lines.append(
            f"{result.key}: {result.value:,.2f} vs {result.target:,.2f} in {result.year} — {status}; needed: {needed}"
        )
    return "\n".join(lines)


def _presets(dataset: Dataset) -> str:
    return "\n".join(f"{p.key:14} {p.description_en} [{p.source}]" for p in dataset.presets)


def _parameters(dataset: Dataset) -> str:
    return "\n".join(f"{p.key:24} {p.allowed():38} {p.unit_en}" for p in dataset.registry)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        dataset = load(args.data)
        if args.command == "project":
            output = _project(dataset, args)
        elif args.command == "presets":
            output = _presets(dataset)
        else:
            output = _parameters(dataset)
    except (CliError, ParamError, DataError) as error:
        print(f"planner: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
