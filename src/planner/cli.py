"""`planner`: headless runs of the model for scripts and batch work.

Bad input (an unknown key, a value that is not a number or is out of bounds, a broken data
file, a path that is not a readable file, an output that cannot be written) ends with one
line on stderr and exit code 2, never a traceback: in English, or in Russian with
`planner --lang ru …`. Output cut short by the reader (`| head`) ends quietly with exit
code 1, as Python's documentation on SIGPIPE recommends.
"""

from __future__ import annotations

import argparse
import datetime
import errno
import json
import logging
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from planner.data import DEFAULT_DATA_DIR, Dataset, load
from planner.export import csv_text, outlook_dict, workbook_bytes, yearly_csv, yearly_frame
from planner.files import UnreadableFile, os_reason, read_bounded, show_path
from planner.i18n import DEFAULT_LANGUAGE, LANGUAGES
from planner.library import commands as library_commands
from planner.library.errors import LibraryError, LibraryUnavailable
from planner.links import MAX_FILE_BYTES, Link, ScenarioFileError, from_file, query_string
from planner.messages import Wording, message, worded
from planner.metrics import AREA, JOBS
from planner.outlook import assess
from planner.pipeline import coverage, new_projects_needed
from planner.risk import QUANTILES, sensitivity, simulate_goals
from planner.scenario import BASES, ParamError, parse_assignments, shorten
from planner.summary import summarise
from planner.zone import DataError

EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 1  # what Python's documentation uses when stdout's reader has gone
MESSAGE_LIMIT = 1000  # characters of an error line; every message is short, this only guarantees it
DEFAULT_APP_URL = "http://localhost:8501/"
MESSAGES_LANGUAGE = "en"  # of the error lines, unless --lang says otherwise


class CliError(Exception):
    """A user error the CLI reports in one line: `str()` is English, `.text(lang)` any
    language the catalogue has (argparse's own usage errors are English only)."""

    def __init__(self, wording: Wording) -> None:
        super().__init__(str(wording))
        self.wording = wording

    def text(self, lang: str) -> str:
        return worded(self.wording, lang)


class _Parser(argparse.ArgumentParser):
    """argparse's usage errors in one line like every other error, raised rather than exited
    so `main` returns the code (argparse alone prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message}; see {self.prog} --help")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="planner", description="Technopolis 2030 scenario planner")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="folder with the data files")
    # Its own dest: `brief --lang` is the brief's language, and a subcommand's default would
    # overwrite a global option of the same dest.
    parser.add_argument(
        "--lang",
        dest="messages_lang",
        choices=LANGUAGES,
        default=MESSAGES_LANGUAGE,
        help=f"language of the error messages (default: {MESSAGES_LANGUAGE})",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    project = commands.add_parser("project", help="project floor area and jobs for one scenario")
    _scenario_arguments(project)
    project.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    project.add_argument("--output", type=Path, default=None, help="write to this file (required for xlsx)")
    risk = commands.add_parser("risk", help="Monte Carlo: percentiles and the probability of each goal")
    _scenario_arguments(risk)
    risk.add_argument("--draws", default=None, help="number of draws, 1,000–200,000 (same as --set draws=N)")
    risk.add_argument("--seed", default=None, help="random seed: the same seed gives the same numbers")
    risk.add_argument("--format", choices=("table", "json"), default="table")
    sensitivity = commands.add_parser("sensitivity", help="tornado: each uncertain parameter at both ends")
    _scenario_arguments(sensitivity)
    sensitivity.add_argument("--format", choices=("table", "json"), default="table")
    brief = commands.add_parser("brief", help="a one-page PDF brief of the scenario")
    _scenario_arguments(brief)
    brief.add_argument("--output", type=Path, required=True, help="the PDF file to write")
    brief.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of the brief")
    brief.add_argument(
        "--url",
        default=DEFAULT_APP_URL,
        help=f"the app's address, for the link in the brief (default: {DEFAULT_APP_URL})",
    )
    pipeline = commands.add_parser("pipeline", help="the sites' named projects: coverage and the projects' forecast")
    _scenario_arguments(pipeline)
    pipeline.add_argument("--format", choices=("table", "csv", "json"), default="table")
    library_commands.add_parser(commands)
    commands.add_parser("presets", help="list the presets")
    commands.add_parser("parameters", help="list every parameter with its range")
    return parser


def _scenario_arguments(command: argparse.ArgumentParser) -> None:
    """--zone, --preset, --jobs-goal, --scenario and --set: the same for every command."""
    command.add_argument("--zone", default=None, help="a zone of the data: sez, technoparks, all (default: the first)")
    command.add_argument("--preset", default="plan", help="a preset from data/presets.toml (default: plan)")
    command.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one parameter, e.g. --set growth=20 (repeatable)",
    )
    command.add_argument("--jobs-goal", default=None, help="reading of the jobs goal (default: the zone's default)")
    command.add_argument(
        "--scenario",
        type=Path,
        default=None,
        help="a scenario file saved by the app (its zone, preset and values; --set still applies on top)",
    )


def _pick(kind: str, key: str, known: Sequence[str]) -> str:
    """`key` if it is one of `known`; `kind` names the message: cli_unknown_zone, …"""
    if key not in known:
        raise CliError(message(f"cli_unknown_{kind}", value=repr(shorten(key)), known=", ".join(known)))
    return key


def _link(dataset: Dataset, args: argparse.Namespace) -> Link:
    """The scenario the arguments describe: a file, or zone and preset, then any --set."""
    if args.scenario is not None:
        try:
            link = from_file(dataset, read_bounded(args.scenario, MAX_FILE_BYTES))
        except UnreadableFile as error:
            unreadable = message("cli_cannot_read_scenario", path=show_path(error.path), reason=error.wording)
            raise CliError(unreadable) from None
        except ScenarioFileError as error:
            refused = message("cli_scenario_refused", path=show_path(args.scenario), reason=error.wording)
            raise CliError(refused) from None
    else:
        zone = _pick("zone", args.zone or dataset.zones[0].key, [z.key for z in dataset.zones])
        preset = _pick("preset", args.preset, [p.key for p in dataset.presets])
        reading = dataset.zone(zone).goal("new_jobs").reading
        link = Link(zone, preset, DEFAULT_LANGUAGE, reading, dataset.scenario(zone, preset))
    if args.jobs_goal is not None:
        readings = [g.reading for g in dataset.zone(link.zone).goal_readings("new_jobs")]
        link = replace(link, jobs_goal=_pick("jobs_goal", args.jobs_goal, readings))
    changes = parse_assignments(dataset.registry, args.assignments)
    link = replace(link, scenario=link.scenario.with_values(dataset.registry, changes))
    # The model reads each goal in the years it computes, so none may lie past the horizon.
    horizon, target = link.scenario.number("horizon"), dataset.zone(link.zone).target_year
    if horizon < target:
        zone = repr(link.zone)
        raise CliError(message("cli_horizon_before_target", horizon=f"{horizon:g}", target=target, zone=zone))
    return link


def _project(dataset: Dataset, args: argparse.Namespace) -> str | bytes:
    link = _link(dataset, args)
    outlook = assess(dataset, link.zone, link.scenario, link.jobs_goal)
    if args.format == "xlsx":
        if args.output is None:
            raise CliError(message("cli_xlsx_needs_output"))
        return workbook_bytes(dataset, outlook, link.preset, query_string(dataset, link))
    if args.format == "json":
        return json.dumps(outlook_dict(outlook, link.preset, dataset.version), ensure_ascii=False, indent=2)
    if args.format == "csv":
        return yearly_csv(outlook)
    frame = yearly_frame(outlook)
    lines = [frame.to_string(index=False, float_format=lambda v: f"{v:,.2f}")]
    for result in (outlook.area, outlook.jobs):
        status = "met" if result.met else "missed"
        needed = ", ".join(f"{k} {v:.2f}" if v is not None else f"{k} out of range" for k, v in result.required)
        lines.append(
            f"{result.key}: {result.value:,.2f} vs {result.target:,.2f} in {result.year} — {status}; needed: {needed}"
            f" (goal counted from {result.goal.base_year}, level {result.goal.level:,.0f})"
        )
    lines.append(f"forecast from {outlook.zone.jump_off_year}'s actuals")
    for vintage in outlook.vintages:
        checks = "; ".join(
            f"{c.year} {c.metric} {c.forecast:,.0f} vs {c.observed:,.0f} ({c.relative:+.1%})" for c in vintage.checks
        )
        lines.append(f"forecast from {vintage.year}: {checks}")
    return "\n".join(lines)


def _risk(dataset: Dataset, args: argparse.Namespace) -> str:
    overrides = {key: value for key, value in (("draws", args.draws), ("seed", args.seed)) if value is not None}
    link = _link(dataset, args)
    link = replace(link, scenario=link.scenario.with_values(dataset.registry, overrides))
    zone = dataset.zone(link.zone)
    result = simulate_goals(zone, link.scenario, dataset.registry, link.jobs_goal)
    outcomes = {"area_multiple": result.area, "new_jobs": result.jobs}
    if args.format == "json":
        return json.dumps(
            {
                "zone": link.zone,
                "scenario": link.scenario.as_dict(),
                "years": result.years.tolist(),
                "draws": result.draws,
                "seed": result.seed,
                "percentiles": {
                    key: {f"p{q}": d.percentile(q).tolist() for q in QUANTILES} for key, d in outcomes.items()
                },
                "targets": {key: d.target for key, d in outcomes.items()},
                "probability": {
                    **{key: d.probability for key, d in outcomes.items()},
                    "both": result.probability_both,
                },
                # From the spread of the scrambles of the Sobol' points, as the app shows it.
                "standard_error": {
                    **{key: d.error for key, d in outcomes.items()},
                    "both": result.error_both,
                },
            },
            ensure_ascii=False,
            indent=2,
        )
    lines = [f"{result.draws:,} draws, seed {result.seed}, uncertainty {link.scenario.number('uncertainty'):g} %"]
    for key, d in outcomes.items():
        lines.append(f"{key}: P10 / P50 / P90 by year")
        for i, year in enumerate(result.years):
            lines.append(f"  {year}  " + "  ".join(f"{d.percentile(q)[i]:>12,.2f}" for q in (10, 50, 90)))
        lines.append(
            f"  probability of reaching {d.target:,.2f} in {zone.target_year}: {d.probability:.1%}"
            f" ± {100 * d.error:.1f} pp"
        )
    lines.append(f"probability of both goals: {result.probability_both:.1%} ± {100 * result.error_both:.1f} pp")
    return "\n".join(lines)


def _brief(dataset: Dataset, args: argparse.Namespace) -> bytes:
    from planner.brief import brief_pdf  # charts and PDF libraries load only when a brief is asked for

    # The link carries the brief's language, so it reopens the app as the reader saw it.
    link = replace(_link(dataset, args), lang=args.lang)
    zone = dataset.zone(link.zone)
    # Each result once, here; the brief only draws them.
    preset = dataset.scenario(link.zone, link.preset)
    outlook = assess(dataset, link.zone, link.scenario, link.jobs_goal)
    baseline = assess(dataset, link.zone, preset, link.jobs_goal)
    simulation = simulate_goals(zone, link.scenario, dataset.registry, link.jobs_goal)
    summary = summarise(dataset, outlook, simulation, preset)
    url = args.url + query_string(dataset, link)
    today = datetime.date.today()
    return brief_pdf(dataset, outlook, simulation, link, url, args.lang, today, summary=summary, baseline=baseline)


def _sensitivity(dataset: Dataset, args: argparse.Namespace) -> str:
    link = _link(dataset, args)
    zone = dataset.zone(link.zone)
    tables = {
        metric.result_key: sensitivity(zone, link.scenario, dataset.registry, zone.goal(metric.key))
        for metric in (JOBS, AREA)
    }
    if args.format == "json":
        return json.dumps(
            {key: [asdict(swing) | {"width": swing.width} for swing in swings] for key, swings in tables.items()},
            indent=2,
        )
    lines = []
    for key, swings in tables.items():
        lines.append(f"{key} in {zone.target_year}, widest swing first:")
        lines += [
            f"  {(s.part + '/' if s.part else '') + s.key:26} {s.low_value:>10,.2f} → {s.outcome_at_low:>12,.2f}   "
            f"{s.high_value:>10,.2f} → {s.outcome_at_high:>12,.2f}   swing {s.width:,.2f}"
            for s in swings
        ]
    return "\n".join(lines)


def _pipeline(dataset: Dataset, args: argparse.Namespace) -> str:
    """Coverage of what the floor-area goal still needs, and the forecast on the projects
    (expected, and the Monte Carlo's probabilities) beside the top-down one."""
    link = _link(dataset, args)
    zone = dataset.zone(link.zone)
    goal = zone.goal("floor_area")
    found = coverage(zone, link.scenario, goal)
    needed, latest = new_projects_needed(zone, link.scenario, goal)
    runs = {}
    for basis in BASES:
        scenario = link.scenario.with_values(dataset.registry, {"basis": basis})
        outlook = assess(dataset, link.zone, scenario, link.jobs_goal)
        odds = simulate_goals(zone, scenario, dataset.registry, link.jobs_goal)
        runs[basis] = (outlook, odds)
    years = runs["pipeline"][0].projection.years
    if args.format == "csv":
        frame = {"year": years.tolist()}
        for basis, (outlook, _) in runs.items():
            frame[f"{basis}.floor_area_m2"] = np.asarray(outlook.projection.floor_area_m2).tolist()
            frame[f"{basis}.jobs"] = np.asarray(outlook.projection.jobs).tolist()
        return csv_text(pd.DataFrame(frame))
    summary = {
        "zone": zone.key,
        "data_version": dataset.version,
        "jump_off_year": zone.jump_off_year,
        "goal": {"words": goal.label_en, "level_m2": goal.level, "year": goal.year},
        "coverage": {
            "needed_m2": found.needed_m2,
            "named_m2": found.named_m2,
            "expected_m2": found.expected_m2,
            "share": found.share if math.isfinite(found.share) else None,
            "unidentified_m2": found.unidentified_m2,
            "by_status": dict(found.by_status),
            "sites": [asdict(line) for line in found.sites],
        },
        # JSON has no infinity: a goal no project can meet (completion 0) has no amount.
        "new_projects_needed": {"m2": needed if math.isfinite(needed) else None, "planned_by": latest},
        "forecast": {
            basis: {
                "floor_area_m2": np.asarray(outlook.projection.floor_area_m2).tolist(),
                "jobs": np.asarray(outlook.projection.jobs).tolist(),
                "area_met": outlook.area.met,
                "jobs_met": outlook.jobs.met,
                "p_area": odds.area.probability,
                "p_jobs": odds.jobs.probability,
            }
            for basis, (outlook, odds) in runs.items()
        },
        "years": years.tolist(),
    }
    if args.format == "json":
        return json.dumps(summary, ensure_ascii=False, indent=2)
    lines = [
        # Names may come from a file: non-printable characters (terminal escapes) are shown as "?".
        f"{shorten(zone.name_en, 120)}: {shorten(goal.label_en, 120)} = {goal.level:,.0f} m² in {goal.year}; "
        f"{found.needed_m2:,.0f} m² still needed after {zone.jump_off_year}",
        f"named projects by {goal.year}: {found.named_m2:,.0f} m² ({found.share:.1%} coverage); "
        f"expected with completion and slippage {found.expected_m2:,.0f} m²; not yet identified "
        f"{found.unidentified_m2:,.0f} m²",
        f"new projects still needed: {needed:,.0f} m², planned to open by {latest}",
        "sites:",
        *(
            f"  {line.zone:12} {shorten(line.site, 60):24} {line.by_target:>12,.0f} m² by {goal.year}, "
            f"{line.later:>12,.0f} later"
            for line in found.sites
        ),
        "forecast by basis (floor area in the target year, probability of each goal):",
    ]
    for basis, (outlook, odds) in runs.items():
        index = outlook.projection.year_index(goal.year)
        area = float(np.asarray(outlook.projection.floor_area_m2)[index])
        lines.append(
            f"  {basis:14} {area:>12,.0f} m²   P(area) {odds.area.probability:.1%}   "
            f"P(jobs) {odds.jobs.probability:.1%}"
        )
    return "\n".join(lines)


def _presets(dataset: Dataset) -> str:
    return "\n".join(f"{p.key:14} {p.description_en} [{p.source}]" for p in dataset.presets)


def _parameters(dataset: Dataset) -> str:
    return "\n".join(f"{p.key:24} {p.allowed():38} {p.unit_en}" for p in dataset.registry)


def _run(args: argparse.Namespace) -> str | bytes | None:
    """The command's output for stdout, or None once it is written to --output."""
    if args.command == "library":  # the library needs no data folder
        listing = library_commands.run(args)
        if args.action == "export" and args.output is not None:
            _write(args.output, listing)
            return None
        return listing
    dataset = load(args.data)
    commands = {
        "project": _project,
        "risk": _risk,
        "sensitivity": _sensitivity,
        "brief": _brief,
        "pipeline": _pipeline,
    }
    if args.command in commands:
        output = commands[args.command](dataset, args)
    elif args.command == "presets":
        output = _presets(dataset)
    else:
        output = _parameters(dataset)
    if args.command in ("project", "brief") and args.output is not None:
        _write(args.output, output)
        return None
    return output


def main(argv: Sequence[str] | None = None) -> int:
    # The library logs a failing database for a server's log; here its cause is in the one error line.
    logging.getLogger("planner.library").addHandler(logging.NullHandler())
    lang = MESSAGES_LANGUAGE  # a usage error comes before --lang is read: English
    try:
        args = _parser().parse_args(argv)
        lang = args.messages_lang
        output = _run(args)
    except LibraryUnavailable as error:  # the driver's cause is its own words, English
        return _fail(message("cli_library_unavailable", cause=error.cause).text(lang))
    except LibraryError as error:
        return _fail(error.message(lang))
    except (CliError, ParamError, DataError) as error:
        return _fail(error.text(lang))
    except MemoryError:
        return _fail(message("cli_out_of_memory").text(lang))
    return 0 if output is None else _print(str(output), lang)


def _fail(line: str) -> int:
    # shorten: whatever a message quotes, it stays one line on stderr.
    print(f"planner: error: {shorten(line, MESSAGE_LIMIT)}", file=sys.stderr)
    return EXIT_USAGE


def _print(output: str, lang: str = MESSAGES_LANGUAGE) -> int:
    try:
        print(output)
        sys.stdout.flush()  # here, not at exit, so a failure is still ours to report
    except BrokenPipeError:  # `planner ... | head`: the reader has all it wanted
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except UnicodeEncodeError:  # the whole text is encoded before any of it is written
        encoding = getattr(sys.stdout, "encoding", None) or "unknown"
        return _fail(message("cli_unencodable_output", encoding=encoding).text(lang))
    except OSError as error:  # stdout on a full disk, /dev/full
        return _fail(message("cli_cannot_write_output", reason=os_reason(error)).text(lang))
    return 0


def _silence_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush does not fail again on the
    closed pipe (the recipe of Python's documentation on SIGPIPE)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # a stand-in stdout (tests, embedding) has no descriptor
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _write(path: Path, output: str | bytes) -> None:
    try:
        if isinstance(output, bytes):
            path.write_bytes(output)
        else:
            path.write_text(output + "\n", encoding="utf-8")
    except OSError as error:
        # For a file being created, a missing path means its folder is missing.
        reason: Wording = message("cli_no_folder") if error.errno == errno.ENOENT else os_reason(error)
        raise CliError(message("cli_cannot_write", path=show_path(path), reason=reason)) from None
    except ValueError:  # a NUL in the path
        raise CliError(message("cli_cannot_write", path=show_path(path), reason=message("cli_invalid_path"))) from None


if __name__ == "__main__":
    sys.exit(main())
