"""Exports in the session's language, rounded to their meaning, with the odds and what changed."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from planner.data import Dataset
from planner.export import clusters_csv, workbook_bytes, yearly_csv
from planner.outlook import assess
from planner.risk import simulate_goals
from planner.summary import summarise


def _outlook(dataset: Dataset, **values: object):
    scenario = dataset.scenario("sez").with_values(dataset.registry, values)
    return assess(dataset, "sez", scenario)


def test_the_russian_csv_opens_in_a_russian_spreadsheet(dataset: Dataset) -> None:
    content = yearly_csv(_outlook(dataset, growth=19.37), "ru")
    assert content.startswith("\ufeffГод;Площадь, м²;")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][0] == "2025" and "," in rows[1][4]  # a year as a year; a decimal comma
    assert all(len(cell) < 16 for row in rows[1:] for cell in row)  # no 16-digit floats
    clusters = clusters_csv(_outlook(dataset), "ru")
    assert "Микроэлектроника" in clusters


def test_the_machine_csv_keeps_its_keys_and_rounds(dataset: Dataset) -> None:
    rows = list(csv.reader(io.StringIO(yearly_csv(_outlook(dataset, growth=19.37)))))
    assert rows[0][:2] == ["year", "floor_area_m2"]
    assert "." not in rows[-1][1]  # whole square metres


def test_the_russian_workbook_has_odds_percentiles_and_changes(dataset: Dataset) -> None:
    outlook = _outlook(dataset, growth=19.37)
    preset = dataset.scenario("sez")
    simulation = simulate_goals(outlook.zone, outlook.scenario, dataset.registry)
    summary = summarise(dataset, outlook, simulation, preset)
    book = load_workbook(
        io.BytesIO(workbook_bytes(dataset, outlook, "plan", "?growth=19.37", summary, "ru", simulation))
    )
    assert book.sheetnames == ["Сводка", "По годам", "Кластеры", "Допущения"]
    items = {row[0].value: row[1].value for row in book["Сводка"].iter_rows(min_row=2)}
    assert 0 <= items["Вероятность цели по площади"] <= 1
    assert items["Площадь к базе цели, P10"] <= items["Площадь к базе цели, P50"] <= items["Площадь к базе цели, P90"]
    year_met = [v for k, v in items.items() if k.endswith("год достижения")]
    assert year_met and all(isinstance(v, int | str) for v in year_met)  # 2030, never 2029.9998
    assumptions = list(book["Допущения"].iter_rows(values_only=True))
    assert assumptions[0][-2:] == ("Значение в наборе допущений", "Изменено")
    growth = next(row for row in assumptions if row[0] == "growth")
    assert growth[-1] == "да" and growth[2] == 19.37
    density = next(row for row in assumptions if row[0] == "density")
    assert density[-1] in ("", None)
