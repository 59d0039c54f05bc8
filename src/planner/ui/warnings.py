"""Sanity warnings under the headline, each with its threshold's reasoning."""

from __future__ import annotations

import streamlit as st

from planner.i18n import number, text
from planner.outlook import Outlook
from planner.sanity import Finding
from planner.sources import source_text
from planner.ui.sharing import plain


def message(finding: Finding, outlook: Outlook, lang: str) -> str:
    decimals = 1 if finding.rule.key.startswith("density") else 0
    zone = finding.zone or outlook.zone
    sentence = text(
        f"warning_{finding.rule.key}",
        lang,
        value=number(finding.value, lang, decimals),
        limit=number(finding.limit, lang, decimals),
        year=finding.year or "",
        land=number(zone.land_ha or 0, lang),
        # The zone's own record behind a pace limit (limit = threshold × record): each zone is
        # measured against what it has built, not against another zone's best year.
        record=number(finding.limit / finding.rule.threshold if finding.rule.threshold else 0, lang),
    )
    return f"{plain(zone.name(lang))}: {sentence}" if finding.zone else sentence


def render(findings: tuple[Finding, ...], outlook: Outlook, lang: str) -> None:
    for finding in findings:
        st.warning(message(finding, outlook, lang), icon=":material/report:")
        st.caption(f"{text('warning_source', lang)}: {source_text(finding.rule.source, lang)}")
