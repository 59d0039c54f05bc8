"""Export tab: the scenario as CSV, Excel and a JSON file, and importing such a file."""

from __future__ import annotations

import datetime

import streamlit as st

from planner.data import Dataset
from planner.export import clusters_csv, workbook_bytes, yearly_csv
from planner.i18n import text
from planner.links import MAX_FILE_BYTES, Link, ScenarioFileError, from_file, to_file
from planner.outlook import Outlook
from planner.risk import RiskResult
from planner.ui import sharing, state, uploads

UPLOAD = "scenario_upload"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import(dataset: Dataset) -> None:
    """Apply an uploaded scenario file, or keep the current scenario and say why not."""

    def apply(link: Link) -> str:
        state.apply_link(dataset, link)
        return text("import_done", state.lang(), name=sharing.plain(st.session_state[UPLOAD].name))

    uploads.accept(
        UPLOAD,
        MAX_FILE_BYTES,
        lambda content, _name: from_file(dataset, content, state.lang()),
        (ScenarioFileError,),
        apply,
        ("import_too_big", "import_failed"),
    )


def _brief(dataset: Dataset, outlook: Outlook, simulation: RiskResult, link: Link, url: str, lang: str) -> bytes:
    # Imported on click: the PDF and chart-rendering libraries stay out of every rerun.
    from planner.brief import brief_pdf

    return brief_pdf(dataset, outlook, simulation, link, url, lang, datetime.date.today())


def render(dataset: Dataset, outlook: Outlook, simulation: RiskResult, link: Link, lang: str) -> None:
    stem = f"technopolis-{link.zone}-{link.preset}"
    url = sharing.full_link(dataset, link)
    st.subheader(text("export_title", lang))
    # Files are built only when clicked (deferred data), and a click does not rerun the app.
    downloads = (
        ("download_yearly_csv", lambda: yearly_csv(outlook), "-yearly.csv", "text/csv"),
        ("download_clusters_csv", lambda: clusters_csv(outlook), "-clusters.csv", "text/csv"),
        ("download_xlsx", lambda: workbook_bytes(dataset, outlook, link.preset, url), ".xlsx", XLSX),
        ("download_json", lambda: to_file(dataset, link), ".json", "application/json"),
        (
            "download_brief",
            lambda: _brief(dataset, outlook, simulation, link, url, lang),
            "-brief.pdf",
            "application/pdf",
        ),
    )
    for column, (label, data, suffix, mime) in zip(st.columns(len(downloads)), downloads, strict=True):
        column.download_button(
            text(label, lang),
            data,
            stem + suffix,
            mime,
            key=label,
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )
    st.caption(text("export_hint", lang))

    st.subheader(text("import_title", lang))
    uploads.field(text("import_label", lang, limit=MAX_FILE_BYTES // 1024), "json", UPLOAD, _import, (dataset,))
