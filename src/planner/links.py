"""A scenario as a link (query string) and as a JSON file, both ways.

A link carries only what differs from its preset, so `?preset=delayed&growth=22` stays short
and readable. Reading is forgiving per value and strict per file: a bad value in a link is
dropped and reported (the rest still applies), while a bad scenario file is refused whole,
so an import never leaves a half-applied scenario behind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from planner import i18n, project_rows
from planner.data import Dataset
from planner.i18n import DEFAULT_LANGUAGE, LANGUAGES
from planner.messages import Message, WordedError, Wording, message
from planner.scenario import ParamError, Scenario, shorten
from planner.versions import MODEL_VERSION, Made
from planner.zone import DataError

LANG, ZONE, PRESET, JOBS_GOAL = "lang", "zone", "preset", "jobs_goal"
VIEW_KEYS = (LANG, ZONE, PRESET, JOBS_GOAL)
PROJECTS = "projects"  # an analyst's own list of the zone's projects (planner.project_rows)
# What a link was made with: the data's first eight hex digits and the model's version.
DATA, MODEL = "data", "model"
MADE_KEYS = (DATA, MODEL)
# The library's short link and the comparison's pins: read by the app, not by a scenario.
SAVED, PINNED = "s", "pins"
_DATA_VERSION = re.compile(r"[0-9a-f]{8,64}")
_MODEL_VERSION = re.compile(r"[0-9A-Za-z.]{1,16}")
DEFAULT_PRESET = "plan"
# A link is typed by people and pasted into chats: anything bigger is not ours.
MAX_KEYS = 64
MAX_VALUE_LENGTH = 64
MAX_FILE_BYTES = 512 * 1024  # a list of 500 projects with sources fits
FILE_FORMAT = "technopolis-planner/scenario"
FILE_VERSION = 1
IGNORED_KEYS = frozenset({"embed", "embed_options", SAVED, PINNED})  # Streamlit's own options; the app's


@dataclass(frozen=True)
class Link:
    """Everything a link or file restores: the view and the scenario."""

    zone: str
    preset: str
    lang: str
    jobs_goal: str
    scenario: Scenario
    made: Made | None = None  # what the link or file says it was made with, if it says


@dataclass(frozen=True)
class Rejected:
    """One part of a link that was not applied, and why (plain text, never markup)."""

    key: str
    value: str
    reason: Wording


class ScenarioFileError(WordedError):
    """A scenario file that cannot be used; nothing of it is applied."""


@dataclass(frozen=True)
class _Count(Message):
    """A count written in the reader's language: 524,288 in English, 524 288 in Russian."""

    key: str = ""
    count: int = 0

    def text(self, lang: str) -> str:
        return i18n.number(self.count, lang)


def _listed(parts: Sequence[Wording], between: str) -> Wording:
    """Worded parts one after another, each worded in the reader's language: `between` is
    a catalogue key "{first}<separator>{rest}"."""
    if not parts:
        return ""
    listed = parts[-1]
    for part in reversed(parts[:-1]):
        listed = message(between, first=part, rest=listed)
    return listed


def _keyed(key: Wording, reason: Wording) -> Message:
    """The key (or where), then the reason: "growth: …" in every language."""
    return message("link_keyed", what=key, reason=reason)


def _data_wording(error: DataError) -> Message:
    """A DataError as a message ("file, row 3, column x: reason") worded in any language."""
    where: list[Wording] = [error.file]
    if error.row is not None:
        where.append(message("where_row", row=error.row))
    if error.column:
        where.append(message("where_column", column=error.column))
    return _keyed(_listed(where, "link_comma_pair"), error.wording)


def default_link(dataset: Dataset) -> Link:
    zone = dataset.zones[0]
    return Link(zone.key, DEFAULT_PRESET, DEFAULT_LANGUAGE, zone.goal("new_jobs").reading, dataset.scenario(zone.key))


def query_for(dataset: Dataset, link: Link) -> dict[str, str]:
    """The link's query parameters: view settings that differ from the defaults, then every
    parameter that differs from the preset (in registry order)."""
    query: dict[str, str] = {}
    default_reading = dataset.zone(link.zone).goal("new_jobs").reading
    for key, value, default in (
        (LANG, link.lang, DEFAULT_LANGUAGE),
        (ZONE, link.zone, dataset.zones[0].key),
        (PRESET, link.preset, DEFAULT_PRESET),
        (JOBS_GOAL, link.jobs_goal, default_reading),
    ):
        if value != default:
            query[key] = value
    for key, changed in link.scenario.differences(dataset.scenario(link.zone, link.preset)).items():
        query[key] = dataset.registry[key].format(changed)
    if link.scenario.pipeline is not None:  # the analyst's own projects, against the zone's
        query[PROJECTS] = project_rows.encode(link.scenario.pipeline, dataset.zone(link.zone).projects)
    if query:  # a link that sets anything says what it was computed with
        query[DATA], query[MODEL] = dataset.version, MODEL_VERSION
    return query


def query_string(dataset: Dataset, link: Link) -> str:
    query = query_for(dataset, link)
    return "?" + urlencode(query) if query else ""


def parse_query(dataset: Dataset, params: Mapping[str, str | Sequence[str]]) -> tuple[Link, tuple[Rejected, ...]]:
    """Read a link's parameters. Every bad part is dropped and reported; the rest applies."""
    rejected: list[Rejected] = []
    values: dict[str, str] = {}
    for index, (key, raw) in enumerate(params.items()):
        items = [raw] if isinstance(raw, str) else list(raw)
        shown = shorten(items[-1] if items else "")
        if index >= MAX_KEYS:
            rejected.append(Rejected(shorten(key), shown, message("link_too_many")))
        elif key in IGNORED_KEYS:
            continue
        elif key == PROJECTS and len(items) != 1:
            rejected.append(Rejected(key, shown, message("link_repeated")))
        elif key == PROJECTS:  # rows of their own, bounded by their reader
            values[key] = items[0]
        elif key not in VIEW_KEYS and key not in MADE_KEYS and key not in dataset.registry:
            rejected.append(Rejected(shorten(key), shown, message("link_unknown")))
        elif len(items) != 1:
            rejected.append(Rejected(key, shown, message("link_repeated")))
        elif len(items[0]) > MAX_VALUE_LENGTH:
            rejected.append(Rejected(key, shown, message("link_too_long")))
        else:
            values[key] = items[0]

    def choose(key: str, options: Sequence[str], default: str) -> str:
        if key not in values:
            return default
        if values[key] in options:
            return values[key]
        rejected.append(Rejected(key, shorten(values[key]), message("link_not_one_of", options=", ".join(options))))
        return default

    lang = choose(LANG, LANGUAGES, DEFAULT_LANGUAGE)
    zone = choose(ZONE, [z.key for z in dataset.zones], dataset.zones[0].key)  # the first zone is the default
    preset = choose(PRESET, [p.key for p in dataset.presets], DEFAULT_PRESET)
    readings = [g.reading for g in dataset.zone(zone).goal_readings("new_jobs")]
    jobs_goal = choose(JOBS_GOAL, readings, dataset.zone(zone).goal("new_jobs").reading)
    made = _made(values, rejected)
    scenario = dataset.scenario(zone, preset)
    for key in dataset.registry.keys:
        if key in values:
            try:
                scenario = scenario.with_values(dataset.registry, {key: values[key]})
            except ParamError as error:
                rejected.append(Rejected(key, shorten(values[key]), error.reason))
    if PROJECTS in values:
        try:
            scenario = with_projects(dataset, zone, scenario, values[PROJECTS])
        except DataError as error:
            rejected.append(Rejected(PROJECTS, shorten(values[PROJECTS]), _data_wording(error)))
    return Link(zone, preset, lang, jobs_goal, scenario, made), tuple(rejected)


def _made(values: Mapping[str, str], rejected: list[Rejected]) -> Made | None:
    """The link's `data` and `model`, when both are given and well formed."""
    if not any(key in values for key in MADE_KEYS):
        return None
    data, model = values.get(DATA, ""), values.get(MODEL, "")
    if _DATA_VERSION.fullmatch(data) and _MODEL_VERSION.fullmatch(model):
        return Made(data, model)
    for key, pattern in ((DATA, _DATA_VERSION), (MODEL, _MODEL_VERSION)):
        if not pattern.fullmatch(values.get(key, "")):
            rejected.append(Rejected(key, shorten(values.get(key, "")), message("link_not_version")))
    return None


def with_projects(dataset: Dataset, zone_key: str, scenario: Scenario, encoded: str) -> Scenario:
    """The scenario with the link's own list of projects; zones together take each zone's
    own, so their link carries none."""
    zone = dataset.zone(zone_key)
    if zone.parts:
        raise DataError(PROJECTS, message("link_projects_of_zones"))
    return replace(scenario, pipeline=project_rows.decode(zone, encoded))


def to_file(dataset: Dataset, link: Link) -> str:
    """A complete scenario file: every parameter, not only the differences, so it still means
    the same thing if a preset's values change later. Zones together set only the shared
    parameters; each zone's own come from its preset."""
    scenario = link.scenario
    parameters = {k: v for k, v in scenario.as_dict().items() if not scenario.parts or dataset.registry[k].shared}
    return json.dumps(
        {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "data_version": dataset.version,
            "model_version": MODEL_VERSION,
            "zone": link.zone,
            "preset": link.preset,
            "jobs_goal": link.jobs_goal,
            "parameters": parameters,
            **({"projects": project_rows.to_rows(scenario.pipeline)} if scenario.pipeline is not None else {}),
        },
        ensure_ascii=False,
        indent=2,
    )


@dataclass(frozen=True)
class _Number:
    """A JSON number kept as its literal text: the registry parses it as it would a link's
    value, so 1e999 or 5,000 digits are refused naming their key, and `version` can tell 1
    from 1.0 (Python's 1 == 1.0 == True would not)."""

    text: str


def _refuse_constant(name: str) -> object:
    raise ScenarioFileError(message("file_json_constant", name=name))


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object with unique, non-empty keys: a duplicate would silently win over the
    first, so the file would not mean what it shows."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if not key:
            raise ScenarioFileError(message("file_empty_key"))
        if key in result:
            raise ScenarioFileError(message("file_repeated_key", name=shorten(key)))
        result[key] = value
    return result


def _decode(content: bytes | str) -> Any:
    try:
        return json.loads(
            content,
            object_pairs_hook=_object,
            parse_int=_Number,
            parse_float=_Number,
            parse_constant=_refuse_constant,
        )
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        # The decoder's own words ("Expecting value: line 1 column 1 (char 0)") stay English.
        raise ScenarioFileError(message("file_not_json", detail=shorten(str(error), MAX_VALUE_LENGTH))) from None
    except RecursionError:  # the C decoder recurses per [ or {
        raise ScenarioFileError(message("file_too_deep")) from None


def _shown(value: object) -> Wording:
    """A JSON value as the file spells it, cut for a one-line message (a list or an object is
    only named: dumping a deeply nested one could itself overflow the stack)."""
    if isinstance(value, _Number):
        return shorten(value.text)
    if isinstance(value, list):
        return message("file_a_list")
    if isinstance(value, dict):
        return message("file_an_object")
    return shorten(json.dumps(value, ensure_ascii=False))


def _joined(problems: Sequence[Wording], shown: int = 5) -> Wording:
    """Problems in one line, each worded in the reader's language; a file of thousands of
    bad keys must not become a page."""
    listed = _listed(problems[:shown], "link_problems_pair")
    more = len(problems) - shown
    return message("link_problems_more", problems=listed, more=more) if more > 0 else listed


def _parameter_problems(dataset: Dataset, parameters: dict[str, Any]) -> list[Wording]:
    problems: list[Wording] = []
    for key, value in parameters.items():
        if key in VIEW_KEYS:
            problems.append(_keyed(key, message("file_top_level_field")))
        elif key not in dataset.registry:
            problems.append(_keyed(shorten(key), message("link_unknown")))
        elif not isinstance(value, _Number | str):
            problems.append(_keyed(key, message("file_not_number_or_text", shown=_shown(value))))
    return problems


def from_file(dataset: Dataset, content: bytes | str, lang: str = DEFAULT_LANGUAGE) -> Link:
    """Read a scenario file; raises ScenarioFileError with every problem found."""
    # surrogatepass: text from a browser may hold lone surrogates; they are counted, not fatal.
    size = len(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    if size > MAX_FILE_BYTES:
        raise ScenarioFileError(message("file_too_big", size=_Count(count=size), limit=_Count(count=MAX_FILE_BYTES)))
    raw = _decode(content)
    if not isinstance(raw, dict) or raw.get("format") != FILE_FORMAT:
        raise ScenarioFileError(message("file_not_scenario", format=FILE_FORMAT))
    version = raw.get("version")
    if not isinstance(version, _Number) or version.text != str(FILE_VERSION):
        raise ScenarioFileError(message("file_version", shown=_shown(version), expected=FILE_VERSION))
    parameters = raw.get("parameters")
    if not isinstance(parameters, dict):
        raise ScenarioFileError(message("file_parameters_not_object"))
    view = {key: raw[key] for key in (ZONE, PRESET, JOBS_GOAL) if key in raw}
    if not all(isinstance(value, str) for value in view.values()):
        raise ScenarioFileError(message("file_view_not_text"))
    problems = _parameter_problems(dataset, parameters)
    if problems:
        raise ScenarioFileError(_joined(problems))
    values = {key: value.text if isinstance(value, _Number) else value for key, value in parameters.items()}
    link, rejected = parse_query(dataset, {**view, **values})
    if rejected:
        raise ScenarioFileError(_joined([_keyed(r.key, r.reason) for r in rejected]))
    if PROJECTS in raw:
        link = replace(link, scenario=_file_projects(dataset, link, raw[PROJECTS]))
    return replace(link, lang=lang, made=_file_made(raw))


def _file_made(raw: dict[str, Any]) -> Made | None:
    """What the file says it was made with; a file from before model versions were written
    names no model, which reads as another model than today's."""
    data, model = raw.get("data_version"), raw.get("model_version", "")
    if not isinstance(data, str) or not _DATA_VERSION.fullmatch(data):
        return None
    return Made(data, model if isinstance(model, str) and _MODEL_VERSION.fullmatch(model) else "")


def _file_projects(dataset: Dataset, link: Link, rows: object) -> Scenario:
    """A scenario file's own projects, read by the same rows reader as a link's."""
    if not isinstance(rows, list):
        raise ScenarioFileError(message("file_projects_not_list"))
    zone = dataset.zone(link.zone)
    if zone.parts:
        raise ScenarioFileError(_keyed(PROJECTS, message("file_projects_of_zones")))
    cells = [[c.text if isinstance(c, _Number) else c for c in row] if isinstance(row, list) else row for row in rows]
    try:
        return replace(link.scenario, pipeline=project_rows.from_rows(zone, cells, PROJECTS))
    except DataError as error:
        raise ScenarioFileError(_data_wording(error)) from None
