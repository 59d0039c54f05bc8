"""Export tab: the scenario as CSV, Excel and a JSON file, and importing such a file."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable

import streamlit as st

from planner.data import Dataset
from planner.export import clusters_csv, workbook_bytes, yearly_csv
from planner.i18n import text
from planner.links import MAX_FILE_BYTES, Link, ScenarioFileError, from_file, to_file
from planner.outlook import Outlook
from planner.risk import RiskResult
from planner.summary import Summary
from planner.ui import saved, sharing, state, uploads

UPLOAD = "scenario_upload"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FAILED = "export_failed"  # the labels of downloads whose file could not be built, for the next run

log = logging.getLogger(__name__)

FileData = str | bytes


class ExportFailed(RuntimeError):
    """A download's file could not be built; the cause is already logged."""


def _guarded(label: str, build: Callable[[], FileData], failed: set[str]) -> Callable[[], FileData]:
    """`build`, run when the button is clicked, with a failure logged here and noted in `failed`.

    A deferred build runs outside the script, where nothing can be drawn: Streamlit answers
    a failed one with a short note under the button, never a traceback, and the next run
    shows the sentence in the user's language. Raising (not returning a stand-in) keeps a
    broken .xlsx or .pdf from being saved under the real name."""

    def run() -> FileData:
        try:
            return build()
        except Exception:  # the UI boundary: whatever broke, the user is told
            log.exception("building the %s download failed", label)
            failed.add(label)
            raise ExportFailed(label) from None  # the cause is in the log above, once

    return run


def _failures(lang: str) -> set[str]:
    """This session's record of failed builds (shared with their callables), after saying
    which builds failed since the last run."""
    failed: set[str] = st.session_state.setdefault(FAILED, set())
    labels = []
    while failed:  # pop, not iterate: a build on another thread may add to the set meanwhile
        labels.append(failed.pop())
    for label in sorted(labels):
        st.error(text("export_failed", lang, file=text(label, lang)))
    return failed


def _import(dataset: Dataset) -> None:
    """Apply an uploaded scenario file, or keep the current scenario and say why not."""

    def apply(link: Link) -> str:
        state.apply_link(dataset, link)
        saved.remember_made("file", link.made, dataset)
        return text("import_done", state.lang(), name=sharing.plain(st.session_state[UPLOAD].name))

    uploads.accept(
        UPLOAD,
        MAX_FILE_BYTES,
        lambda content, _name: from_file(dataset, content, state.lang()),
        (ScenarioFileError,),
        apply,
        ("import_too_big", "import_failed"),
    )


def _brief(
    dataset: Dataset,
    outlook: Outlook,
    simulation: RiskResult,
    summary: Summary,
    baseline: Outlook,
    link: Link,
    url: str,
    lang: str,
) -> bytes:
    # Imported on click: the PDF and chart-rendering libraries stay out of every rerun.
    from planner.brief import brief_pdf

    # Everything the page already computed goes in: the brief runs no model of its own.
    today = datetime.date.today()
    return brief_pdf(dataset, outlook, simulation, link, url, lang, today, summary=summary, baseline=baseline)


MAX_STEM_CHANGES = 3
_UNSAFE = re.compile(r"[^\w.]+")


def file_stem(dataset: Dataset, link: Link, summary: Summary) -> str:
    """A download's name: the zone, then the scenario — its library name when it is a saved
    version, otherwise the preset and the first values changed from it ("plan-growth19.5")."""
    opened = saved.opened_name(link)
    if opened is not None:
        scenario = opened
    else:
        changes = [f"{c.param.key}{dataset.registry[c.param.key].format(c.scenario)}" for c in summary.changes]
        more = ["etc"] if len(changes) > MAX_STEM_CHANGES else []
        scenario = "-".join([link.preset, *changes[:MAX_STEM_CHANGES], *more])
    return _UNSAFE.sub("-", f"technopolis-{link.zone}-{scenario}").strip("-")[:120]


def render(
    dataset: Dataset,
    outlook: Outlook,
    simulation: RiskResult,
    summary: Summary,
    baseline: Outlook,
    link: Link,
    lang: str,
) -> None:
    """The download buttons, built from the results the page already has, and the import field;
    `baseline` is the preset's outlook, the brief's dashed line."""
    stem = file_stem(dataset, link, summary)
    url = sharing.full_link(dataset, link)
    st.subheader(text("export_title", lang))
    failed = _failures(lang)
    # Files are built only when clicked (deferred data), and a click does not rerun the app.
    downloads: tuple[tuple[str, Callable[[], FileData], str, str], ...] = (
        ("download_yearly_csv", lambda: yearly_csv(outlook, lang), "-yearly.csv", "text/csv"),
        ("download_clusters_csv", lambda: clusters_csv(outlook, lang), "-clusters.csv", "text/csv"),
        (
            "download_xlsx",
            lambda: workbook_bytes(dataset, outlook, link.preset, url, summary, lang, simulation),
            ".xlsx",
            XLSX,
        ),
        ("download_json", lambda: to_file(dataset, link), ".json", "application/json"),
        (
            "download_brief",
            lambda: _brief(dataset, outlook, simulation, summary, baseline, link, url, lang),
            "-brief.pdf",
            "application/pdf",
        ),
    )
    for column, (label, data, suffix, mime) in zip(st.columns(len(downloads)), downloads, strict=True):
        column.download_button(
            text(label, lang),
            _guarded(label, data, failed),
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
