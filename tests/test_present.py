"""One way to read a parameter, a value, an option and a goal's status, and one summary of a
scenario drawn by the headline, the brief and the workbook."""

from __future__ import annotations

import datetime
import io
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from planner import brief
from planner.data import Dataset
from planner.export import workbook_bytes
from planner.links import Link, default_link, query_string
from planner.outlook import Outlook, assess
from planner.present import (
    attainment,
    goal_status,
    needed_value,
    option_label,
    param_label,
    param_value,
    value_with_unit,
)
from planner.risk import RiskResult, simulate
from planner.summary import Summary, summarise
from planner.ui.headline import status_caption

APP = str(Path(__file__).resolve().parents[1] / "app.py")
GENERATED = datetime.date(2025, 11, 29)
NBSP = "\u00a0"


@dataclass(frozen=True)
class Goal:
    """What a status is read from, written by hand."""

    year: int
    met: bool
    year_met: float | None


# --- labels and values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "lang", "expected"),
    [
        ("growth", "ru", "Рост площади, % в год"),
        ("growth", "en", "Floor area growth, % a year"),
        ("density", "en", "Job density, per 1,000 m²"),
        ("draws", "ru", "Число прогонов"),  # no unit, no trailing comma
        ("seed", "en", "Random seed"),
        ("profile", "ru", "Профиль ввода"),
    ],
)
def test_param_label(dataset: Dataset, key: str, lang: str, expected: str) -> None:
    assert param_label(dataset.registry[key], lang) == expected


@pytest.mark.parametrize(
    ("key", "value", "lang", "expected"),
    [
        ("growth", 23.22, "ru", "23,22"),
        ("growth", 23.22, "en", "23.22"),
        ("growth", 15.0, "ru", "15,00"),
        ("delay", 1.5, "ru", "1,5"),
        ("company_m2", 12500.0, "ru", f"12{NBSP}500"),
        ("company_m2", 12500.0, "en", "12,500"),
        ("density_trend", -1.0, "en", "−1.0"),
        ("horizon", 2030.0, "ru", "2030"),  # a year, never "2 030"
        ("horizon", 2033.0, "en", "2033"),
        ("seed", 123456.0, "ru", "123456"),
        ("seed", 7.0, "en", "7"),
        ("draws", 10000.0, "ru", f"10{NBSP}000"),  # a count of draws is grouped like the headline's
        ("draws", 10000.0, "en", "10,000"),
        ("profile", "compound", "ru", "сложный процент"),
        ("profile", "compound", "en", "compound"),
        ("profile", "s", "ru", "S-кривая"),
        ("profile", "s", "en", "S-curve"),
    ],
)
def test_param_value(dataset: Dataset, key: str, value: float | str, lang: str, expected: str) -> None:
    assert param_value(dataset.registry[key], value, lang) == expected


@pytest.mark.parametrize(
    ("option", "lang", "expected"),
    [("front", "ru", "в начале периода"), ("back", "en", "back-loaded"), ("linear", "en", "linear")],
)
def test_option_label(dataset: Dataset, option: str, lang: str, expected: str) -> None:
    assert option_label(dataset.registry["profile"], option, lang) == expected


@pytest.mark.parametrize(
    ("key", "value", "lang", "expected"),
    [
        ("growth", 23.22, "ru", "23,22 % в год"),
        ("delay", 1.5, "en", "1.5 years"),
        ("horizon", 2035.0, "ru", "2035 год"),
        ("draws", 50000.0, "en", "50,000"),  # no unit, no trailing space
        ("profile", "linear", "ru", "линейно"),
    ],
)
def test_value_with_unit(dataset: Dataset, key: str, value: float | str, lang: str, expected: str) -> None:
    assert value_with_unit(dataset.registry[key], value, lang) == expected


@pytest.mark.parametrize(
    ("key", "value", "lang", "expected"),
    [
        ("growth", 23.2, "ru", "23,20"),
        ("density", 31.25, "en", "31.3"),  # rounded up: 31.2 would fall short of the goal
        ("delivery", 87.3, "ru", "87,3"),  # a lever stepped by whole percents still shows a decimal
    ],
)
def test_needed_value(dataset: Dataset, key: str, value: float, lang: str, expected: str) -> None:
    assert needed_value(dataset.registry[key], value, lang) == expected


# --- a goal's status -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "last_year", "kind", "ru", "en"),
    [
        (Goal(2030, True, 2028.4), 2030, "met", "Достигается в 2029 году", "Reached in 2029"),
        (Goal(2030, True, 2030.0), 2035, "met", "Достигается в 2030 году", "Reached in 2030"),
        (Goal(2030, False, 2031.2), 2035, "later", "Достигается только в 2032 году", "Reached only in 2032"),
        (Goal(2030, False, None), 2035, "missed", "Не достигается до 2035 года", "Not reached by 2035"),
        (Goal(2030, False, None), None, "missed", "Не достигается до 2030 года", "Not reached by 2030"),
        # Reached, then lost again before the goal's year: said as such, not as "reached only in 2029".
        (
            Goal(2030, False, 2028.5),
            2035,
            "lost",
            "Достигается в 2029 году, но к 2030 году теряется",
            "Reached in 2029, lost by 2030",
        ),
    ],
)
def test_goal_status(goal: Goal, last_year: int | None, kind: str, ru: str, en: str) -> None:
    assert attainment(goal) == kind
    assert goal_status(goal, "ru", last_year) == ru
    assert goal_status(goal, "en", last_year) == en


# --- the summary -----------------------------------------------------------------------------

CHANGES = {"growth": "20", "horizon": "2035", "draws": "1000"}


@dataclass(frozen=True)
class Computed:
    link: Link
    outlook: Outlook
    baseline: Outlook
    simulation: RiskResult
    summary: Summary


def compute(dataset: Dataset, lang: str, changes: dict[str, str]) -> Computed:
    """Everything the app computes for a scenario, once."""
    link = replace(default_link(dataset), lang=lang)
    link = replace(link, scenario=link.scenario.with_values(dataset.registry, changes))
    zone = dataset.zone(link.zone)
    preset = dataset.scenario(link.zone, link.preset)
    outlook = assess(dataset, link.zone, link.scenario, link.jobs_goal)
    baseline = assess(dataset, link.zone, preset, link.jobs_goal)
    simulation = simulate(
        zone, link.scenario, dataset.registry, zone.goal("floor_area"), zone.goal("new_jobs", link.jobs_goal)
    )
    return Computed(link, outlook, baseline, simulation, summarise(dataset, outlook, simulation, preset))


@pytest.fixture(scope="module")
def computed(dataset: Dataset) -> Computed:
    return compute(dataset, "en", CHANGES)


def test_the_summary_holds_the_goals_the_odds_and_the_changes(computed: Computed) -> None:
    summary, outlook, simulation = computed.summary, computed.outlook, computed.simulation
    for goal, result in ((summary.area, outlook.area), (summary.jobs, outlook.jobs)):
        assert (goal.key, goal.target, goal.value, goal.met, goal.year_met) == (
            result.key,
            result.target,
            result.value,
            result.met,
            result.year_met,
        )
        assert goal.gap == pytest.approx(result.target - result.value)
        assert goal.last_year == 2035
        assert [(r.param.key, r.needed) for r in goal.requirements] == list(result.required)
    assert summary.area.attainment == "later" and summary.area.status("en") == "Reached only in 2031"
    assert summary.odds is not None
    assert (summary.odds.area, summary.odds.jobs, summary.odds.both) == (
        simulation.area.probability,
        simulation.jobs.probability,
        simulation.probability_both,
    )
    assert (summary.odds.draws, summary.odds.seed) == (1000, simulation.seed)
    assert [(c.param.key, c.scenario, c.preset) for c in summary.changes] == [
        ("growth", 20.0, 22.87),
        ("draws", 1000.0, 8000.0),
        ("horizon", 2035.0, 2030.0),
    ]


def test_the_workbook_summary_draws_from_the_summary(dataset: Dataset, computed: Computed) -> None:
    summary = computed.summary
    content = workbook_bytes(dataset, computed.outlook, "plan", "?growth=20", summary)
    rows = {row[0].value: (row[1].value, row[2].value) for row in load_workbook(io.BytesIO(content))["Summary"]}
    assert rows["area_multiple.target"][0] == summary.area.target
    assert rows["area_multiple.met"] == ("no", "Reached only in 2031")
    assert rows["new_jobs.gap"][0] == pytest.approx(summary.jobs.gap)
    growth = summary.area.requirement("growth")
    assert growth is not None
    assert rows["area_multiple.required_growth"][0] == pytest.approx(growth.needed)
    assert summary.odds is not None
    assert rows["probability.both"][0] == pytest.approx(summary.odds.both)
    assert rows["changed.growth"] == (20, "plan: 22.87 % a year")
    assert rows["changed.horizon"] == (2035, "plan: 2030 year")


def test_a_workbook_without_a_summary_keeps_its_rows_and_has_no_odds(dataset: Dataset, computed: Computed) -> None:
    content = workbook_bytes(dataset, computed.outlook, "plan", "?growth=20")
    items = [row[0].value for row in load_workbook(io.BytesIO(content))["Summary"]]
    for item in ("zone", "preset", "data_version", "jump_off_year", "link", "area_multiple.year_met", "new_jobs.met"):
        assert item in items
    assert "probability.both" not in items and "changed.growth" in items


# --- the brief draws what it is given --------------------------------------------------------


def _refuse(*_args: object, **_kwargs: object) -> object:
    raise AssertionError("the brief ran the model")


def test_the_brief_given_the_results_runs_no_model(
    dataset: Dataset, computed: Computed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every entry into the model, wherever a module imported it by name.
    for name in ("assess", "simulate", "sensitivity", "project", "evaluate", "solve_lever"):
        for module in [m for key, m in sys.modules.items() if key.startswith("planner")]:
            if hasattr(module, name):
                monkeypatch.setattr(module, name, _refuse)
    c = computed
    url = "https://planner.example/" + query_string(dataset, c.link)
    pdf = brief.brief_pdf(
        dataset, c.outlook, c.simulation, c.link, url, "en", GENERATED, summary=c.summary, baseline=c.baseline
    )
    assert pdf.startswith(b"%PDF")


def test_the_brief_draws_its_status_and_changes_from_the_summary(dataset: Dataset, computed: Computed) -> None:
    c = computed
    # A summary that disagrees with the outlook: the brief must show the summary's word.
    summary = replace(c.summary, changes=c.summary.changes[:1])
    pdf = brief.brief_pdf(dataset, c.outlook, c.simulation, c.link, "", "en", GENERATED, summary=summary)
    shown = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Floor area growth" in shown and "Horizon" not in shown
    assert c.summary.area.status("en") in shown


# --- the headline and the brief say the same ------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "changes"),
    [
        ("ru", {}),  # the plan: the area goal met, the jobs goal missed
        ("en", {"growth": "20", "horizon": "2035"}),  # both reached only later
        ("en", {"growth": "20", "horizon": "2035", "density": "40"}),  # the jobs goal met, the area later
    ],
)
def test_the_headline_and_the_brief_show_the_same_status(dataset: Dataset, lang: str, changes: dict[str, str]) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in changes.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    captions = [c.value for c in at.caption]

    c = compute(dataset, lang, {**changes, "draws": "1000"})
    pdf = brief.brief_pdf(
        dataset, c.outlook, c.simulation, c.link, "", lang, GENERATED, summary=c.summary, baseline=c.baseline
    )
    shown = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for goal in (c.summary.area, c.summary.jobs):
        assert status_caption(goal, lang) in captions
        assert goal.status(lang) in shown
