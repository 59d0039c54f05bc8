"""A one-page PDF brief of a scenario: the headline against the goals, the odds, the two
trajectory charts, what differs from the preset, the sources and the link back.

Everything is drawn server-side: the charts are the app's own Vega-Lite specs rendered to
PNG by vl-convert, and the page is laid out with fpdf2 in a bundled DejaVu font, so the brief
looks the same on any machine and Cyrillic needs no system fonts. No Streamlit.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import cast

import vl_convert
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from planner import pipeline
from planner.chartdata import chart_points, level_bands, series_labels
from planner.charts import GOAL_COLOR, SCENARIO_COLOR, Spec, fill, records, trajectory_chart
from planner.data import Dataset
from planner.i18n import million_m2, multiple, number, percent, probability_error, text
from planner.links import Link
from planner.metrics import METRICS
from planner.outlook import Outlook, assess
from planner.present import headline_levers, needed_value, value_with_unit, with_unit
from planner.risk import RiskResult
from planner.sources import source_text
from planner.summary import GoalSummary, Odds, Requirement, Summary, summarise

FONT_DIR = Path(__file__).with_name("fonts")
FONT = "DejaVu"
CHART_FONT = "DejaVu Sans"  # the same face in the charts, by its family name

# A4 portrait in millimetres.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 210.0, 297.0, 14.0
CONTENT = PAGE_WIDTH - 2 * MARGIN
BOTTOM = 18.0  # room for the footer; anything reaching it would start a second page
GAP = 4.0

# Chart size in CSS pixels; drawn at twice that for print sharpness.
CHART_PX = (340, 250)
CHART_SCALE = 2
# Two legend rows fit the half-page width, with room for a long preset name.
CHART_CONFIG = {"font": CHART_FONT, "legend": {"columns": 2, "labelLimit": 240}}

INK = "#1b2733"
MUTED = "#5f6b7a"
BAND = "#15375e"  # the header band: the scenario blue, darker
CARD = "#f2f5f9"
LINE = "#d5dbe3"
MET = "#2e7d32"
PARTLY = "#b26a00"

MAX_ROWS = 6  # differing assumptions listed; the rest are counted (the link restores them all)
MAX_LINK_LINES = 3
MAX_SOURCE_LINES = 4
SOURCE_LINE = 3.3
SOURCE_GAP = 0.6
SOURCE_LABEL = 42.0  # the label column of the sources
MET_MARK, MISSED_MARK = "✓", "✗"
SOFT_HYPHEN = "\u00ad"  # fpdf2 turns it into a visible hyphen at a line break
REPLACEMENT = "\ufffd"  # drawn for a character the font has no glyph for
LAYOUT_CHARACTERS = frozenset("\n\r\t")  # fpdf2 lays these out itself; the font has no glyph for them


class _Page(FPDF):
    """A4 page with the brief's fonts and a footer line."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.c_margin = 0  # text flush with the rules and cards; tables pad their own cells
        self.set_auto_page_break(auto=True, margin=BOTTOM)

    def lines(self, width: float, height: float, value: str) -> list[str]:
        """`value` wrapped to `width` as fpdf2 would print it, one string per line."""
        wrapped = self.multi_cell(width, height, value, dry_run=True, output="LINES")
        return cast("list[str]", wrapped)

    def footer(self) -> None:
        self.set_draw_color(LINE)
        self.set_line_width(0.2)
        self.line(MARGIN, PAGE_HEIGHT - 13, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 13)
        self.set_xy(MARGIN, PAGE_HEIGHT - 12)
        self.style(6.5, MUTED)
        self.multi_cell(CONTENT, 3, self.footer_text, align="L")

    def normalize_text(self, text: str) -> str:
        """Every character the current font cannot draw (an emoji, a private-use or
        unassigned code point from an uploaded name) becomes one visible replacement mark:
        fpdf2 would draw nothing in its place and only log a warning, so the reader would
        not know text is missing. Widths and wrapping are measured on the same text."""
        text = super().normalize_text(text)
        glyphs = getattr(self.current_font, "cmap", None)  # only an embedded TrueType font has one
        if glyphs is None:
            return text
        return "".join(ch if ord(ch) in glyphs or ch in LAYOUT_CHARACTERS else REPLACEMENT for ch in text)

    def style(self, size: float, color: str = INK, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(color)

    def fit(self, value: str, width: float) -> str:
        """`value` cut with an ellipsis to fit `width` in the current font."""
        if self.get_string_width(value) <= width:
            return value
        # Bisect on the prefix length: a pasted link may be thousands of characters long.
        fits, too_long = 0, len(value)
        while too_long - fits > 1:
            middle = (fits + too_long) // 2
            if self.get_string_width(value[:middle] + "…") <= width:
                fits = middle
            else:
                too_long = middle
        return value[:fits].rstrip(" ,;:(") + "…"

    def line_of(self, width: float, height: float, value: str, align: str = "L", link: str = "") -> None:
        """One line of text that never wraps, then the next line."""
        self.cell(width, height, self.fit(value, width), align=align, link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, value: str) -> None:
        self.ln(2.5)
        self.style(9.5, BAND, bold=True)
        self.line_of(CONTENT, 5, value.upper())
        self.set_draw_color(BAND)
        self.set_line_width(0.4)
        self.line(MARGIN, self.get_y() + 0.3, MARGIN + CONTENT, self.get_y() + 0.3)
        self.ln(1.8)


def brief_pdf(
    dataset: Dataset,
    outlook: Outlook,
    simulation: RiskResult,
    link: Link,
    url: str,
    lang: str,
    generated: datetime.date,
    *,
    summary: Summary | None = None,
    baseline: Outlook | None = None,
) -> bytes:
    """The scenario's one-page A4 brief in `lang`, as PDF bytes.

    The brief draws what the caller computed: `outlook` and `simulation` of `link`'s
    scenario, their `summary` and the preset's outlook as the `baseline`. The summary is
    made here when not given (it runs no model); the baseline is assessed only when missing."""
    preset_label = dataset.preset(link.preset).label(lang)
    if summary is None:
        summary = summarise(dataset, outlook, simulation, dataset.scenario(link.zone, link.preset))
    if baseline is None:
        baseline = assess(dataset, link.zone, dataset.scenario(link.zone, link.preset), link.jobs_goal)
    odds = _odds(summary)
    pdf = _Page(text("brief_footer", lang))
    pdf.set_lang(lang)
    pdf.set_title(f"{text('app_title', lang)} — {text('brief_title', lang)}")
    pdf.set_creator(text("app_title", lang))
    # The generation date, not the clock: the same inputs give the same file.
    pdf.set_creation_date(datetime.datetime.combine(generated, datetime.time(), datetime.UTC))
    pdf.add_page()
    _header(pdf, outlook, preset_label, dataset.version, lang, generated)
    _verdict(pdf, summary, odds, lang)
    _cards(pdf, outlook, summary, odds, lang)
    _charts(pdf, outlook, baseline, simulation, preset_label, lang)
    _differences(pdf, summary, preset_label, lang)
    _link(pdf, url, lang)
    _sources(pdf, outlook, link, lang)  # last: they take the room that is left
    return bytes(pdf.output())


# --- header and headline ---------------------------------------------------------------------


def _header(pdf: _Page, outlook: Outlook, preset_label: str, version: str, lang: str, generated: datetime.date) -> None:
    pdf.set_fill_color(BAND)
    pdf.rect(0, 0, PAGE_WIDTH, 30, style="F")
    date = text("brief_date", lang, day=f"{generated.day:02d}", month=f"{generated.month:02d}", year=generated.year)
    right = 52.0
    left = CONTENT - right - GAP
    pdf.set_xy(MARGIN, 6)
    pdf.style(7.5, "#b9c9dc", bold=True)
    pdf.line_of(left, 4, text("app_title", lang).upper())
    pdf.style(18, "#ffffff", bold=True)
    pdf.line_of(left, 9, text("brief_title", lang))
    pdf.style(10, "#ffffff")
    pdf.line_of(left, 6, text("brief_zone_preset", lang, zone=outlook.zone.name(lang), preset=preset_label))
    pdf.style(8, "#d8e2ee")
    for y, value in (
        (11, text("brief_generated", lang, date=date)),
        (15.5, text("brief_data_version", lang, version=version)),
    ):
        pdf.set_xy(MARGIN + CONTENT - right, y)
        pdf.line_of(right, 4, value, align="R")
    pdf.set_y(34)


def _odds(summary: Summary) -> Odds:
    if summary.odds is None:  # a summary made without the Monte Carlo cannot fill the odds card
        raise ValueError("the brief needs a summary with the Monte Carlo's odds")
    return summary.odds


def _verdict(pdf: _Page, summary: Summary, odds: Odds, lang: str) -> None:
    """One sentence that says where the scenario stands, coloured by how many goals it meets."""
    met = (summary.area.met, summary.jobs.met)
    key, color = {
        (True, True): ("brief_verdict_both", MET),
        (True, False): ("brief_verdict_area", PARTLY),
        (False, True): ("brief_verdict_jobs", PARTLY),
        (False, False): ("brief_verdict_none", GOAL_COLOR),
    }[met]
    sentence = text(key, lang, year=summary.area.year, p=percent(odds.both * 100, lang, 0))
    pdf.style(10.5, color, bold=True)
    lines = pdf.lines(CONTENT - 3.5, 5.2, sentence)[:2]
    pdf.set_fill_color(color)
    pdf.rect(MARGIN, pdf.get_y() + 0.3, 1.4, 5.2 * len(lines) - 0.6, style="F")
    for line in lines:
        pdf.set_x(MARGIN + 3.5)
        pdf.line_of(CONTENT - 3.5, 5.2, line)


# The status line's mark and colour, by how the goal stands.
STATUS_STYLE = {
    "met": (MET_MARK, MET),
    "later": (MISSED_MARK, PARTLY),
    "lost": (MISSED_MARK, PARTLY),
    "missed": (MISSED_MARK, GOAL_COLOR),
}


def _status(goal: GoalSummary, lang: str) -> tuple[str, str]:
    """The goal's status line — the headline's sentence, after a mark — and its colour."""
    mark, color = STATUS_STYLE[goal.attainment]
    return f"{mark} {goal.status(lang)}", color


def _lever(goal: GoalSummary, lever: str) -> Requirement:
    requirement = goal.requirement(lever)
    if requirement is None:
        raise ValueError(f"the {goal.key} goal has no requirement for {lever}")
    return requirement


def _needed(requirement: Requirement, lang: str) -> str:
    if requirement.needed is None:
        return text("brief_unreachable", lang)
    return with_unit(requirement.param, needed_value(requirement.param, requirement.needed, lang), lang)


def _area_lever_rows(outlook: Outlook, growth: Requirement, lever: str, lang: str) -> tuple[tuple[str, str], ...]:
    """What the area goal needs: on the projects' basis the new projects (no growth rate moves
    them), else the lever's value needed and the scenario's, as the headline shows."""
    if outlook.scenario["basis"] == "pipeline":
        needed, latest = pipeline.new_projects_needed(outlook.zone, outlook.scenario, outlook.zone.goal("floor_area"))
        return ((text("brief_row_new_projects", lang), f"{million_m2(needed, lang)} ({latest})"),)
    return (
        (text(f"brief_row_{lever}_needed", lang), _needed(growth, lang)),
        (text(f"brief_row_{lever}", lang), value_with_unit(growth.param, growth.current, lang)),
    )


def _cards(pdf: _Page, outlook: Outlook, summary: Summary, odds: Odds, lang: str) -> None:
    area, jobs = summary.area, summary.jobs
    p = outlook.projection
    index = p.year_index(area.year)
    area_lever, jobs_lever = headline_levers(outlook.zone)
    growth, density = _lever(area, area_lever), _lever(jobs, jobs_lever)
    top, height = pdf.get_y() + 2, 40.0
    widths = (60.0, 66.0, CONTENT - 126.0 - 2 * GAP)
    lefts = (MARGIN, MARGIN + widths[0] + GAP, MARGIN + widths[0] + widths[1] + 2 * GAP)
    _card(
        pdf,
        (lefts[0], top, widths[0], height),
        text("brief_area_head", lang, year=area.year, base=area.goal.base_year),
        multiple(area.value, lang),
        _status(area, lang),
        (
            (
                text("brief_row_goal", lang),
                f"{multiple(area.target, lang)} · {million_m2(area.goal.level, lang)}",
            ),
            (text("brief_row_area", lang), million_m2(float(p.floor_area_m2[index]), lang)),
            *_area_lever_rows(outlook, growth, area_lever, lang),
        ),
    )
    _card(
        pdf,
        (lefts[1], top, widths[1], height),
        text("card_jobs", lang, year=jobs.year),
        number(jobs.value, lang),
        _status(jobs, lang),
        (
            (text("brief_row_goal", lang), number(jobs.target, lang)),
            (text("brief_row_total_jobs", lang), number(float(p.jobs[index]), lang)),
            (text(f"brief_row_{jobs_lever}_needed", lang), _needed(density, lang)),
            (text(f"brief_row_{jobs_lever}", lang), value_with_unit(density.param, density.current, lang)),
        ),
    )
    _card(
        pdf,
        (lefts[2], top, widths[2], height),
        text("card_p_both", lang),
        percent(odds.both * 100, lang, 0),
        # The card's own number's standard error, beside it.
        (f"{probability_error(odds.both_error, lang)} · {text('brief_monte_carlo', lang)}", SCENARIO_COLOR),
        (
            (text("brief_row_p_area", lang), percent(odds.area * 100, lang, 0)),
            (text("brief_row_p_jobs", lang), percent(odds.jobs * 100, lang, 0)),
            (text("brief_row_draws", lang), number(odds.draws, lang)),
            (text("brief_row_seed", lang), str(odds.seed)),
        ),
    )
    pdf.set_y(top + height + 1)


def _card(
    pdf: _Page,
    box: tuple[float, float, float, float],
    title: str,
    value: str,
    note: tuple[str, str],
    rows: Sequence[tuple[str, str]],
) -> None:
    """A headline card: caption, big number, a note in its colour (also the top rule's), then
    label–value rows."""
    x, y, width, height = box
    pad = 3.5
    inner = width - 2 * pad
    pdf.set_fill_color(CARD)
    pdf.rect(x, y, width, height, style="F")
    pdf.set_fill_color(note[1])
    pdf.rect(x, y, width, 1.2, style="F")
    pdf.set_left_margin(x + pad)  # so each line starts inside the card
    pdf.set_xy(x + pad, y + 3.2)
    pdf.style(7, MUTED, bold=True)
    pdf.line_of(inner, 3.5, title.upper())
    pdf.style(20, INK, bold=True)
    pdf.line_of(inner, 9, value)
    pdf.style(7.5, note[1], bold=True)
    pdf.line_of(inner, 4.2, note[0])
    pdf.ln(0.8)
    for label, shown in rows:
        row_y = pdf.get_y()
        pdf.style(7.5, INK, bold=True)
        value_width = pdf.get_string_width(shown)
        pdf.line_of(inner, 4.2, shown, align="R")
        pdf.set_xy(x + pad, row_y)
        pdf.style(7.5, MUTED)
        pdf.cell(inner, 4.2, pdf.fit(label, inner - value_width - 1.5))  # the value wins: it is the number
        pdf.set_xy(x + pad, row_y + 4.2)
    pdf.set_left_margin(MARGIN)


# --- charts ----------------------------------------------------------------------------------


@cache
def _chart_fonts() -> None:
    # vl-convert keeps registered fonts for the whole process: register the bundled ones once.
    vl_convert.register_font_directory(str(FONT_DIR))


def _printable(spec: Spec) -> Spec:
    """The app's chart made static: vl-convert reads JSON records, not Arrow, and a
    printed chart needs a fixed size where the app fills its column ("container")."""
    return {
        **spec,
        "datasets": records(spec),
        "width": CHART_PX[0],
        "height": CHART_PX[1],
        "autosize": {"type": "fit", "contains": "padding"},  # legend and axes inside that size
    }


def chart_pngs(
    dataset: Dataset,
    outlook: Outlook,
    simulation: RiskResult,
    link: Link,
    preset_label: str,
    lang: str,
    baseline: Outlook | None = None,
) -> tuple[bytes, bytes]:
    """The floor-area and jobs trajectories exactly as the app draws them, as PNG; the
    preset's outlook (`baseline`) is assessed here only when not given."""
    if baseline is None:
        baseline = assess(dataset, link.zone, dataset.scenario(link.zone, link.preset), link.jobs_goal)
    return _chart_pngs(outlook, baseline, simulation, preset_label, lang)


def _chart_pngs(
    outlook: Outlook, baseline: Outlook, simulation: RiskResult, preset_label: str, lang: str
) -> tuple[bytes, bytes]:
    _chart_fonts()
    labels = series_labels(lang, preset_label)
    images = []
    for metric in METRICS:
        shape = trajectory_chart(labels, text(metric.title, lang), lang == "ru", bands=True)
        bands = level_bands(simulation, metric, metric.of(outlook).goal)
        spec = fill(shape, bands=bands, points=chart_points(outlook, baseline, lang, labels, metric))
        images.append(vl_convert.vegalite_to_png(_printable(spec), scale=CHART_SCALE, config=CHART_CONFIG))
    return images[0], images[1]


def _charts(
    pdf: _Page, outlook: Outlook, baseline: Outlook, simulation: RiskResult, preset_label: str, lang: str
) -> None:
    pdf.heading(text("brief_charts", lang, year=outlook.area.year))
    width = (CONTENT - GAP) / 2
    height = width * CHART_PX[1] / CHART_PX[0]
    top = pdf.get_y()
    for i, png in enumerate(_chart_pngs(outlook, baseline, simulation, preset_label, lang)):
        pdf.image(io.BytesIO(png), x=MARGIN + i * (width + GAP), y=top, w=width, h=height)
    pdf.set_y(top + height + 0.5)
    pdf.style(7, MUTED)
    pdf.line_of(CONTENT, 3.5, text("band_legend", lang))


# --- assumptions, sources, link --------------------------------------------------------------


def _differences(pdf: _Page, summary: Summary, preset_label: str, lang: str) -> None:
    """The parameters this scenario changes, with the preset's value beside each."""
    changed = summary.changes
    pdf.heading(text("brief_differences", lang, preset=preset_label))
    if not changed:
        pdf.style(8.5, INK)
        pdf.line_of(CONTENT, 5, text("brief_no_differences", lang, preset=preset_label))
        return
    columns = (CONTENT - 2 * 50.0, 50.0, 50.0)
    header = (
        text("col_parameter", lang),
        text("brief_col_scenario", lang),
        text("col_preset_value", lang, preset=preset_label),
    )
    _row(pdf, columns, header, bold=True, fill=True)
    for change in changed[:MAX_ROWS]:
        param = change.param
        # The label alone: both value columns carry the unit.
        shown = (value_with_unit(param, change.scenario, lang), value_with_unit(param, change.preset, lang))
        _row(pdf, columns, (param.label(lang), *shown))
    if len(changed) > MAX_ROWS:
        pdf.style(7.5, MUTED)
        pdf.line_of(CONTENT, 4.5, text("brief_more", lang, n=len(changed) - MAX_ROWS))


def _row(pdf: _Page, columns: Sequence[float], cells: Sequence[str], bold: bool = False, fill: bool = False) -> None:
    """One table row: the first cell left-aligned, the numbers right-aligned, a hairline under it."""
    pdf.set_fill_color(CARD)
    y = pdf.get_y()
    if fill:
        pdf.rect(MARGIN, y, CONTENT, 5, style="F")
    x = MARGIN
    for i, (width, value) in enumerate(zip(columns, cells, strict=True)):
        pdf.style(8, MUTED if bold else INK, bold=bold or i == 1)
        pdf.set_xy(x + 1.5, y)
        pdf.cell(width - 3, 5, pdf.fit(value, width - 3), align="L" if i == 0 else "R")
        x += width
    pdf.set_draw_color(LINE)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, y + 5, MARGIN + CONTENT, y + 5)
    pdf.set_xy(MARGIN, y + 5)


def _wrapped(pdf: _Page, value: str, width: float, max_lines: int) -> list[str]:
    """`value` wrapped to `width` in at most `max_lines` lines, the last cut with an ellipsis.
    Words longer than a line (links) are broken between characters."""
    # One plain space between words, and the characters the font cannot draw already
    # replaced: then every wrapped line is a piece of `value` as drawn.
    value = pdf.normalize_text(" ".join(value.replace(SOFT_HYPHEN, "").split()))
    lines = pdf.lines(width, 4, value)
    if len(lines) <= max_lines:
        return lines
    shown = lines[: max_lines - 1]
    end = 0
    for line in shown:  # where the shown lines end in `value`, so the rest keeps its own spacing
        end = value.index(line, end) + len(line)
    return [*shown, pdf.fit(value[end:].lstrip(), width)]


def _link(pdf: _Page, url: str, lang: str) -> None:
    """The link that reopens the scenario: clickable, and printed for paper readers."""
    pdf.heading(text("brief_link", lang))
    pdf.style(8, SCENARIO_COLOR)
    # A very long link is shown shortened so the page holds; the click target is the whole link.
    for line in _wrapped(pdf, url, CONTENT, MAX_LINK_LINES):
        pdf.line_of(CONTENT, 4, line, link=url)


def _sources(pdf: _Page, outlook: Outlook, link: Link, lang: str) -> None:
    """Where the zone's baseline and the two goals in use come from, each as long as the
    rest of the page allows (the full texts are in the app and in data/)."""
    zone = outlook.zone
    goals = (zone.goal("floor_area"), zone.goal("new_jobs", link.jobs_goal))
    items = [(text(f"field_{s.key}", lang), source_text(s.source, lang)) for s in zone.baseline_sources]
    items += [
        (text("brief_goal_source", lang, goal=goal.label(lang)), source_text(goal.source, lang)) for goal in goals
    ]
    pdf.heading(text("brief_sources", lang))
    for label, source in _source_rows(pdf, items, PAGE_HEIGHT - BOTTOM - pdf.get_y()):
        top = pdf.get_y()
        pdf.style(7, INK, bold=True)
        for i, line in enumerate(label):
            pdf.set_xy(MARGIN, top + i * SOURCE_LINE)
            pdf.cell(SOURCE_LABEL - 2, SOURCE_LINE, line)
        pdf.style(7, MUTED)
        for i, line in enumerate(source):
            pdf.set_xy(MARGIN + SOURCE_LABEL, top + i * SOURCE_LINE)
            pdf.cell(CONTENT - SOURCE_LABEL, SOURCE_LINE, line)
        pdf.set_xy(MARGIN, top + max(len(label), len(source)) * SOURCE_LINE + SOURCE_GAP)


def _source_rows(pdf: _Page, items: Sequence[tuple[str, str]], room: float) -> list[tuple[list[str], list[str]]]:
    """Each (label, source) wrapped to the most lines apiece that still fit in `room` mm."""
    for max_lines in range(MAX_SOURCE_LINES, 0, -1):
        rows = []
        for label, source in items:
            pdf.style(7, INK, bold=True)
            labels = _wrapped(pdf, label, SOURCE_LABEL - 2, max_lines)
            pdf.style(7, MUTED)
            rows.append((labels, _wrapped(pdf, source, CONTENT - SOURCE_LABEL, max_lines)))
        height = sum(max(len(a), len(b)) * SOURCE_LINE + SOURCE_GAP for a, b in rows)
        if height <= room:
            break
    return rows
