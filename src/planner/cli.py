"""`planner`: headless runs of the model for scripts and batch work.

Bad input (an unknown key, a value that is not a number or is out of bounds, a broken data
file) ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from planner.data import DEFAULT_DATA_DIR, DataError, Dataset, load
from planner.export import outlook_dict, workbook_bytes, yearly_frame
from planner.i18n import DEFAULT_LANGUAGE
from planner.links import Link, ScenarioFileError, from_file, query_string
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
    project.add_argument(
        "--scenario",
        type=Path,
        default=None,
        help="a scenario file saved by the app (its zone, preset and values; --set still applies on top)",
    )
    project.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    project.add_argument("--output", type=Path, default=None, help="write to this file (required for xlsx)")
    commands.add_parser("presets", help="list the presets")
    commands.add_parser("parameters", help="list every parameter with its range")
    return parser


def _pick(kind: str, key: str, known: Sequence[str]) -> str:
    if key not in known:
        raise CliError(f"unknown {kind} {key!r}; choose one of {', '.join(known)}")
    return key


def _link(dataset: Dataset, args: argparse.Namespace) -> Link:
    """The scenario the arguments describe: a file, or zone and preset, then any --set."""
    if args.scenario is not None:
        try:
            content = args.scenario.read_bytes()
        except OSError as error:
            raise CliError(f"cannot read {args.scenario}: {error.strerror}") from None
        try:
            link = from_file(dataset, content)
        except ScenarioFileError as error:
            raise CliError(f"{args.scenario}: {error}") from None
    else:
        zone = _pick("zone", args.zone, [z.key for z in dataset.zones])
        preset = _pick("preset", args.preset, [p.key for p in dataset.presets])
        reading = dataset.zone(zone).goal("new_jobs").reading
        link = Link(zone, preset, DEFAULT_LANGUAGE, reading, dataset.scenario(zone, preset))
    if args.jobs_goal is not None:
        readings = [g.reading for g in dataset.zone(link.zone).goal_readings("new_jobs")]
        link = replace(link, jobs_goal=_pick("jobs goal", args.jobs_goal, readings))
    changes = parse_assignments(dataset.registry, args.assignments)
    return replace(link, scenario=link.scenario.with_values(dataset.registry, changes))


def _project(dataset: Dataset, args: argparse.Namespace) -> str | bytes:
    link = _link(dataset, args)
    outlook = assess(dataset, link.zone, link.scenario, link.jobs_goal)
    if args.format == "xlsx":
        if args.output is None:
            raise CliError("--format xlsx needs --output FILE")
        return workbook_bytes(dataset, outlook, link.preset, query_string(dataset, link))
    if args.format == "json":
        return json.dumps(outlook_dict(outlook, link.preset, dataset.version), ensure_ascii=False, indent=2)
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
        if args.command == "project" and args.output is not None:
            _write(args.output, output)
            return 0
    except (CliError, ParamError, DataError) as error:
        print(f"planner: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(output)
    return 0


def _write(path: Path, output: str | bytes) -> None:
    try:
        if isinstance(output, bytes):
            path.write_bytes(output)
        else:
            path.write_text(output + "\n", encoding="utf-8")
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror}") from None


if __name__ == "__main__":
    sys.exit(main())
