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
from planner.metrics import AREA, JOBS, METRICS
from planner.outlook import Outlook, own_scenarios
from planner.present import value_with_unit
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


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV with every formula-like text cell (the header too) quoted as text."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):  # numbers pass through untouched
            safe[column] = safe[column].map(_csv_cell)
    safe.columns = [_csv_cell(column) for column in safe.columns]
    return safe.to_csv(index=False)


def yearly_csv(outlook: Outlook) -> str:
    return csv_text(yearly_frame(outlook))


def clusters_csv(outlook: Outlook) -> str:
    return csv_text(cluster_frame(outlook))


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


def _goal_rows(summary: Summary, zone: Zone) -> list[list[object]]:
    rows: list[list[object]] = []
    for goal in (summary.area, summary.jobs):
        rows += [
            [f"{goal.key}.target", goal.target, zone.goal(goal.metric, goal.reading).label_en],
            [f"{goal.key}.value", goal.value, f"in {goal.year}"],
            [f"{goal.key}.gap", goal.gap, "target less value; positive when short"],
            [f"{goal.key}.met", "yes" if goal.met else "no", goal.status("en")],
            [f"{goal.key}.year_met", goal.year_met if goal.year_met is not None else "not reached", ""],
        ]
        for r in goal.requirements:
            needed: object = r.needed if r.needed is not None else "out of range"
            rows.append([f"{goal.key}.required_{r.param.key}", needed, ""])
    return rows


def _odds_rows(odds: Odds | None) -> list[list[object]]:
    if odds is None:  # a workbook of a projection alone: no Monte Carlo was run
        return []
    return [
        ["probability.area_multiple", odds.area, "share of draws meeting the floor-area goal"],
        ["probability.new_jobs", odds.jobs, "share of draws meeting the jobs goal"],
        ["probability.both", odds.both, "share of draws meeting both goals"],
        ["draws", odds.draws, ""],
        ["seed", odds.seed, ""],
    ]


def _change_rows(summary: Summary, preset: str) -> list[list[object]]:
    # The scenario's value as a value (a number stays a number); the preset's as the note.
    return [
        [f"changed.{c.param.key}", c.scenario, f"{preset}: {value_with_unit(c.param, c.preset, 'en')}"]
        for c in summary.changes
    ]


def workbook_bytes(dataset: Dataset, outlook: Outlook, preset: str, link: str, summary: Summary | None = None) -> bytes:
    """The scenario as an Excel workbook: summary with the goals (and the odds, when the
    summary has them), yearly results, clusters, and every assumption with its source.
    Without a `summary` one is made from `outlook` alone, which runs no model."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    zone = outlook.zone
    if summary is None:
        summary = summarise(dataset, outlook, None, dataset.scenario(zone.key, preset))
    summary_rows: list[Sequence[object]] = [
        ["zone", zone.key, zone.name_en],
        ["preset", preset, dataset.preset(preset).description_en],
        ["data_version", dataset.version, ""],
        ["jump_off_year", zone.jump_off_year, "the latest year of actuals the forecast starts from"],
        ["link", link, ""],
        *_goal_rows(summary, zone),
        *_odds_rows(summary.odds),
        *_change_rows(summary, preset),
    ]
    _sheet(workbook, "Summary", ["item", "value", "note"], summary_rows)
    yearly = yearly_frame(outlook)
    _sheet(workbook, "Yearly", list(yearly.columns), yearly.astype(object).values.tolist())
    clusters = cluster_frame(outlook)
    _sheet(workbook, "Clusters", list(clusters.columns), clusters.astype(object).values.tolist())
    assumptions: list[Sequence[object]] = []
    for own, scenario in own_scenarios(zone, outlook.scenario):  # zones together: each zone's own values
        prefix = f"{own.key}/" if zone.parts else ""
        sources = {item.key: item.source for item in own.defaults}
        assumptions += [
            [prefix + p.key, p.label_en, scenario[p.key], p.unit_en, sources[p.key]] for p in dataset.registry
        ]
    assumptions += [
        [f"baseline.{s.key}", s.key, float(s.value) if s.value else "", "", s.source] for s in zone.baseline_sources
    ]
    _sheet(workbook, "Assumptions", ["key", "parameter", "value", "unit", "source"], assumptions)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
