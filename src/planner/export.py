"""Tidy tables and plain dictionaries of an Outlook, for the CLI, the app and downloads."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planner.data import Dataset
from planner.goals import GoalResult
from planner.i18n import number, text, year
from planner.metrics import AREA, JOBS, METRICS
from planner.outlook import Outlook, own_scenarios
from planner.present import value_with_unit
from planner.risk import RiskResult
from planner.sources import source_text
from planner.summary import Odds, Summary, summarise
from planner.vintages import Vintage
from planner.zone import Zone


def yearly_frame(outlook: Outlook) -> pd.DataFrame:
    """One row per year with the zone's totals."""
    p = outlook.projection
    return pd.DataFrame(
        {
            "year": p.years,
            "floor_area_m2": p.floor_area_m2,
            "commissioned_m2": p.commissioned_m2,
            "occupied_m2": p.occupied_m2,
            "area_multiple": AREA.series(p, outlook.area.goal),  # on the floor-area goal's base year
            "jobs": p.jobs,
            "new_jobs": JOBS.series(p, outlook.jobs.goal),  # over the jobs goal's base year
            "companies": p.companies,
            "investment_rub": p.investment_rub,
        }
    )


def cluster_frame(outlook: Outlook) -> pd.DataFrame:
    """One row per cluster and year (long format)."""
    p = outlook.projection
    n_clusters, n_years = p.floor_area_m2_by_cluster.shape
    return pd.DataFrame(
        {
            "year": np.tile(p.years, n_clusters),
            "cluster": np.repeat(p.cluster_keys, n_years),
            "floor_area_m2": p.floor_area_m2_by_cluster.ravel(),
            "commissioned_m2": p.commissioned_m2_by_cluster.ravel(),
            "occupied_m2": p.occupied_m2_by_cluster.ravel(),
            "jobs": p.jobs_by_cluster.ravel(),
        }
    )


def goal_dict(result: GoalResult) -> dict[str, Any]:
    goal = result.goal
    entry: dict[str, Any] = {
        "reading": result.reading,
        "words": goal.label_en,
        "basis": goal.basis,
        "stated": goal.value,
        "base_year": goal.base_year,
        "base_level": goal.base_level,
        "level": goal.level,  # floor area in m², or people working, in the target year
        "year": result.year,
        "target": result.target,
        "value": result.value,
        "met": result.met,
        "gap": result.gap,
        "year_met": result.year_met,
    }
    for lever, value in result.required:
        entry[f"required_{lever}"] = value
    return entry


def outlook_dict(outlook: Outlook, preset: str, data_version: str) -> dict[str, Any]:
    """Everything a script needs: totals per year, clusters, the scenario and both goals."""
    years = yearly_frame(outlook)
    clusters = cluster_frame(outlook)
    return {
        "zone": outlook.zone.key,
        "preset": preset,
        "data_version": data_version,
        "jump_off_year": outlook.zone.jump_off_year,
        "target_year": outlook.zone.target_year,
        "years": years["year"].tolist(),
        **{column: years[column].tolist() for column in years.columns if column != "year"},
        "clusters": {
            key: {column: group[column].tolist() for column in group.columns if column not in ("year", "cluster")}
            for key, group in clusters.groupby("cluster", sort=False)
        },
        "scenario": outlook.scenario.as_dict(),
        # Zones together: each zone's own scenario (its preset's values with the shared ones laid on).
        "parts": {name: part.as_dict() for name, part in outlook.scenario.parts},
        "goals": {metric.result_key: goal_dict(metric.of(outlook)) for metric in METRICS},
        "goal_history": [
            {
                "metric": goal.metric,
                "words": goal.label_en,
                "level": goal.level,
                "year": goal.year,
                "base_year": goal.base_year,
                "superseded": goal.superseded,
            }
            for metric in METRICS
            for goal in outlook.zone.goal_history(metric.key)
        ],
        "vintages": [vintage_dict(vintage) for vintage in outlook.vintages],
    }


def vintage_dict(vintage: Vintage) -> dict[str, Any]:
    """An earlier jump-off's forecast under the same scenario, and its checks against actuals."""
    p = vintage.projection
    return {
        "jump_off_year": vintage.year,
        "years": p.years.tolist(),
        "floor_area_m2": np.asarray(p.floor_area_m2).tolist(),
        "jobs": np.asarray(p.jobs).tolist(),
        "checks": [asdict(check) | {"error": check.error, "relative": check.relative} for check in vintage.checks],
    }


# --- text a spreadsheet must not evaluate ------------------------------------------------------

# OWASP's CSV-injection list: a spreadsheet reads a cell starting with one of these as a
# formula (or, for tab and carriage return, strips them and then reads what follows), and
# the text exported here includes names, labels and sources from a user's uploaded zone.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767  # characters in one Excel cell


def formula_like(value: object) -> bool:
    """True for text a spreadsheet would evaluate; numbers (a negative one too) never are."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _csv_cell(value: object) -> object:
    # OWASP's recommendation for CSV: a leading single quote, which spreadsheets show as text.
    return "'" + value if formula_like(value) else value  # type: ignore[operator]


def csv_text(frame: pd.DataFrame, sep: str = ",", decimal: str = ".") -> str:
    """The frame as CSV with every formula-like text cell (the header too) quoted as text."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):  # numbers pass through untouched
            safe[column] = safe[column].map(_csv_cell)
    safe.columns = [_csv_cell(column) for column in safe.columns]
    return safe.to_csv(index=False, sep=sep, decimal=decimal)


# Each exported column rounded to what it means: a year is a year, floor area a whole m²,
# people and companies whole, money to the rouble, a multiple to a ten-thousandth.
DECIMALS = {
    "year": 0,
    "floor_area_m2": 0,
    "commissioned_m2": 0,
    "occupied_m2": 0,
    "area_multiple": 4,
    "jobs": 0,
    "new_jobs": 0,
    "companies": 0,
    "investment_rub": 0,
}


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each column rounded to its meaning (whole ones as whole numbers)."""
    shown = frame.copy()
    for column, decimals in DECIMALS.items():
        if column in shown.columns:
            values = shown[column].astype(float).round(decimals)
            shown[column] = values.astype("int64") if decimals == 0 else values
    return shown


def localized(frame: pd.DataFrame, lang: str, zone: Zone | None = None) -> pd.DataFrame:
    """Headers in `lang`; a cluster's key as its name in `lang` where the zone is known."""
    shown = frame.copy()
    if zone is not None and "cluster" in shown.columns:
        names = {c.key: c.name(lang) for c in zone.clusters}
        shown["cluster"] = shown["cluster"].map(lambda key: names.get(key, key))
    return shown.rename(columns={c: text(f"export_col_{c}", lang) for c in shown.columns})


def _csv(frame: pd.DataFrame, lang: str | None) -> str:
    """Machine CSV (English keys, comma, point) without `lang`; with it, what a spreadsheet of
    that language opens as it is: Russian with ';' between fields, a decimal comma and a BOM."""
    if lang is None:
        return csv_text(frame)
    if lang == "ru":
        return "\ufeff" + csv_text(frame, sep=";", decimal=",")
    return csv_text(frame)


def yearly_csv(outlook: Outlook, lang: str | None = None) -> str:
    frame = rounded(yearly_frame(outlook))
    return _csv(frame if lang is None else localized(frame, lang), lang)


def clusters_csv(outlook: Outlook, lang: str | None = None) -> str:
    frame = rounded(cluster_frame(outlook))
    return _csv(frame if lang is None else localized(frame, lang, outlook.zone), lang)


def _excel_text(cell: Cell) -> None:
    """Store a formula-like text as text: openpyxl itself writes any str starting with "="
    as a formula. The quote prefix keeps it text when someone edits the cell in Excel; unlike
    CSV no quote is added, so the cell reads back exactly as given."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _excel_value(value: object) -> object:
    """Text cut to what a cell holds. openpyxl would cut it silently; the ellipsis shows the
    reader it was cut. Uploaded cells are refused above the limit, so only a text derived
    from several of them (a default's source quoting a goal's label) can get here."""
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        return value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value


# --- Excel ------------------------------------------------------------------------------------

# Display formats by column; other numbers show as whole numbers or with two decimals.
_FORMATS = {"year": "0", "area_multiple": "0.000"}


def _number_format(column: str, value: float) -> str:
    return _FORMATS.get(column, "#,##0" if float(value).is_integer() or abs(value) >= 1000 else "#,##0.00")


def _sheet(workbook: Workbook, title: str, header: list[str], rows: Sequence[Sequence[object]]) -> None:
    """A sheet with a bold, frozen header; numbers stay numbers with a display format, and
    text stays text."""
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_excel_value(value) for value in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            _excel_text(cell)
    for column, name in enumerate(header, start=1):
        letter = get_column_letter(column)
        width = max(len(str(name)), *(len(str(r[column - 1])) for r in rows)) if rows else len(name)
        sheet.column_dimensions[letter].width = min(max(10, width + 2), 80)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = _number_format(name, cell.value)
    sheet.freeze_panes = "A2"


def _item(key: str, lang: str) -> str:
    """A summary row's name: its key in English (scripts read it), its words in Russian."""
    return key if lang == "en" else text(f"xlsx_{key.rsplit('.', 1)[-1]}", lang)


def _goal_rows(summary: Summary, zone: Zone, lang: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for goal in (summary.area, summary.jobs):
        label = zone.goal(goal.metric, goal.reading).label(lang)

        def named(part: str, goal_key: str = goal.key, goal_label: str = label) -> str:
            return f"{goal_key}.{part}" if lang == "en" else f"{goal_label}: {text(f'xlsx_{part}', lang)}"

        reached = int(year(goal.year_met, "en")) if goal.year_met is not None else text("never", lang)
        rows += [
            [named("target"), goal.target, label],
            [named("value"), goal.value, text("xlsx_in_year", lang, year=goal.year)],
            [named("gap"), goal.gap, text("xlsx_gap_note", lang)],
            [named("met"), text("xlsx_yes" if goal.met else "xlsx_no", lang), goal.status(lang)],
            [named("year_met"), reached, ""],
        ]
        for r in goal.requirements:
            needed: object = r.needed if r.needed is not None else text("xlsx_out_of_range", lang)
            rows.append(
                [
                    named(f"required_{r.param.key}")
                    if lang == "en"
                    else f"{label}: {text('xlsx_required', lang, lever=r.param.label(lang))}",
                    needed,
                    "",
                ]
            )
    return rows


def _error_note(key: str, error: float, lang: str) -> str:
    return text("xlsx_error_note", lang, note=text(key, lang), error=number(100 * error, lang, 1))


def _odds_rows(odds: Odds | None, simulation: RiskResult | None, zone: Zone, lang: str) -> list[list[object]]:
    if odds is None:  # a workbook of a projection alone: no Monte Carlo was run
        return []
    rows: list[list[object]] = [
        [_item("probability.area_multiple", lang), odds.area, _error_note("xlsx_p_area_note", odds.area_error, lang)],
        [_item("probability.new_jobs", lang), odds.jobs, _error_note("xlsx_p_jobs_note", odds.jobs_error, lang)],
        [_item("probability.both", lang), odds.both, _error_note("xlsx_p_both_note", odds.both_error, lang)],
        [_item("draws", lang), odds.draws, ""],
        [_item("seed", lang), odds.seed, ""],
    ]
    if simulation is not None:  # the spread of the target year's outcome across the draws
        for key, distribution in (("area_multiple", simulation.area), ("new_jobs", simulation.jobs)):
            at = int(np.searchsorted(simulation.years, zone.target_year))
            for q in (10, 50, 90):
                value = float(distribution.percentile(q)[at])
                name = f"{key}.p{q}" if lang == "en" else text(f"xlsx_{key}_quantile", lang, q=q)
                rows.append([name, value, text("xlsx_quantile_note", lang, q=q, year=zone.target_year)])
    return rows


def _change_rows(summary: Summary, preset: str, lang: str) -> list[list[object]]:
    # The scenario's value as a value (a number stays a number); the preset's as the note.
    return [
        [
            f"changed.{c.param.key}" if lang == "en" else text("xlsx_changed", lang, param=c.param.label(lang)),
            c.scenario,
            f"{preset}: {value_with_unit(c.param, c.preset, lang)}",
        ]
        for c in summary.changes
    ]


def workbook_bytes(
    dataset: Dataset,
    outlook: Outlook,
    preset: str,
    link: str,
    summary: Summary | None = None,
    lang: str = "en",
    simulation: RiskResult | None = None,
) -> bytes:
    """The scenario as an Excel workbook in `lang`: summary with the goals (and the odds and
    the target year's P10–P90, when given), yearly results, clusters, and every assumption
    with its source and whether it differs from the preset. Without a `summary` one is made
    from `outlook` alone, which runs no model."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    zone = outlook.zone
    preset_scenario = dataset.scenario(zone.key, preset)
    if summary is None:
        summary = summarise(dataset, outlook, None, preset_scenario)
    summary_rows: list[Sequence[object]] = [
        [_item("zone", lang), zone.key, zone.name(lang)],
        [_item("preset", lang), preset, dataset.preset(preset).description(lang)],
        [_item("data_version", lang), dataset.version, ""],
        [_item("jump_off_year", lang), zone.jump_off_year, text("xlsx_jump_off_note", lang)],
        [_item("link", lang), link, ""],
        *_goal_rows(summary, zone, lang),
        *_odds_rows(summary.odds, simulation, zone, lang),
        *_change_rows(summary, preset, lang),
    ]
    header = [text(f"xlsx_col_{c}", lang) for c in ("item", "value", "note")]
    _sheet(workbook, text("xlsx_sheet_summary", lang), header, summary_rows)
    yearly = rounded(yearly_frame(outlook))
    yearly_shown = yearly if lang == "en" else localized(yearly, lang)
    _sheet(workbook, text("xlsx_sheet_yearly", lang), list(yearly_shown.columns), yearly.astype(object).values.tolist())
    clusters = rounded(cluster_frame(outlook))
    clusters_shown = clusters if lang == "en" else localized(clusters, lang, zone)
    sheet = text("xlsx_sheet_clusters", lang)
    _sheet(workbook, sheet, list(clusters_shown.columns), clusters_shown.astype(object).values.tolist())
    assumptions: list[Sequence[object]] = []
    changed = text("xlsx_yes", lang)
    for own, scenario in own_scenarios(zone, outlook.scenario):  # zones together: each zone's own values
        prefix = f"{own.key}/" if zone.parts else ""
        sources = {item.key: item.source for item in own.defaults}
        before = dataset.scenario(own.key, preset) if zone.parts else preset_scenario
        assumptions += [
            [
                prefix + p.key,
                p.label(lang),
                scenario[p.key],
                p.unit(lang),
                source_text(sources[p.key], lang),
                before[p.key],
                changed if scenario[p.key] != before[p.key] else "",
            ]
            for p in dataset.registry
        ]
    assumptions += [
        [f"baseline.{s.key}", s.key, float(s.value) if s.value else "", "", source_text(s.source, lang), "", ""]
        for s in zone.baseline_sources
    ]
    columns = ("key", "parameter", "value", "unit", "source", "preset_value", "changed")
    _sheet(workbook, text("xlsx_sheet_assumptions", lang), [text(f"xlsx_col_{c}", lang) for c in columns], assumptions)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
