"""Russian first, English complete: no English sentence reaches a Russian reader outside a
citation, and no Russian one reaches an English reader."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner import i18n
from planner.data import DEFAULT_DATA_DIR, load
from planner.sources import TABLE, translations
from planner.ui.page import TABS
from tests.conftest import APP, open_groups

# What a reader may see in the other script: quoted words (citations, names as published),
# addresses, identifiers (keys, file and field names), placeholders and code.
_CITED = re.compile(
    r"«[^»]*»|\"[^\"]*\"|“[^”]*”|'[^']*'|`[^`]*`|\{[^}]*\}|https?://\S+|www\.\S+|\S+@\S+|\S*[_/\\0-9]\S*"
)
_ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,:;-]+[A-Za-z]{2,}){2,}\b")  # three English words in a row
_RUSSIAN = re.compile(r"[А-Яа-яЁё]{2,}(?:[ ,:;-]+[А-Яа-яЁё]{2,}){1,}")  # two Russian words in a row


def english_in(value: str) -> list[str]:
    return _ENGLISH.findall(_CITED.sub(" ", value.replace("\\", "")))


def russian_in(value: str) -> list[str]:
    return _RUSSIAN.findall(_CITED.sub(" ", value.replace("\\", "")))


def _entries() -> list[tuple[str, str, str]]:
    found = []
    for key, entry in i18n.strings().items():
        for form, value in entry.items():
            found.append((key, form.split("_")[0], value))
    return found


@pytest.mark.parametrize(
    ("key", "lang", "value"), _entries(), ids=lambda v: v if isinstance(v, str) and len(v) < 40 else ""
)
def test_every_catalogue_string_is_in_its_own_language(key: str, lang: str, value: str) -> None:
    if lang == "ru":
        assert not english_in(value), f"{key}: English in Russian: {english_in(value)}"
    else:
        assert not russian_in(value), f"{key}: Russian in English: {russian_in(value)}"


def _bundled_notes() -> set[str]:
    """Every source note and site name the bundled data shows, zones together included."""
    dataset = load()
    notes: set[str] = set()
    for zone in dataset.zones:
        notes |= {zone.source} | {item.source for item in zone.defaults} | {s.source for s in zone.baseline_sources}
        notes |= {g.source for g in zone.goals} | {a.source for a in zone.actuals} | {c.source for c in zone.clusters}
        notes |= {p.source for p in zone.projects} | {p.site for p in zone.projects}
    notes |= {p.source for p in dataset.presets} | {r.source for r in dataset.rules}
    return notes


def test_every_bundled_source_note_has_its_russian() -> None:
    table = translations(Path(DEFAULT_DATA_DIR))
    missing = sorted(_bundled_notes() - set(table))
    assert not missing, f"{len(missing)} source notes without Russian in {TABLE}, e.g. {missing[:3]}"
    unused = sorted(set(table) - _bundled_notes())
    assert not unused, f"rows of {TABLE} no data uses: {unused[:3]}"
    for english, russian in table.items():
        assert not english_in(russian), f"English in the Russian of {english[:60]!r}: {english_in(russian)}"
        for prefix in ("assumption:", "derived:"):  # the machine prefixes stay as they are
            assert english.startswith(prefix) == russian.startswith(prefix), english[:60]


def test_the_data_own_russian_words_are_russian() -> None:
    dataset = load()
    for zone in dataset.zones:
        texts = [zone.name("ru"), *(c.name("ru") for c in zone.clusters), *(g.label("ru") for g in zone.goals)]
        texts += [p.name("ru") for p in zone.projects]
        for value in texts:
            assert not english_in(value), value
    for preset in dataset.presets:
        assert not english_in(preset.label("ru")) and not english_in(preset.description("ru"))


def _shown(at: AppTest) -> list[str]:
    """Every text the page shows: Markdown, notices, captions, labels, cards, table headers."""
    shown = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success") for e in at.get(kind)]
    shown += [m.label for m in at.metric] + [str(m.value) for m in at.metric] + [m.delta or "" for m in at.metric]
    for kind in ("button", "slider", "selectbox", "radio", "toggle", "text_input", "text_area", "number_input", "tabs"):
        shown += [getattr(w, "label", "") or "" for w in at.get(kind)]
    shown += [
        w.help or "" for kind in ("slider", "selectbox", "toggle") for w in at.get(kind) if getattr(w, "help", None)
    ]
    for kind in ("selectbox", "radio"):
        for w in at.get(kind):
            shown += [str(o) for o in getattr(w, "options", [])]
    for frame in at.get("dataframe") + at.get("table"):
        value = getattr(frame, "value", None)
        if value is not None and {"name_ru", "name_en"} <= set(map(str, value.columns)):
            continue  # the projects' editor: the data's own fields, in both languages by design
        if value is not None and hasattr(value, "columns"):
            shown += [str(c) for c in value.columns]
            shown += [cell for column in value.columns for cell in value[column] if isinstance(cell, str)]
    return shown


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("zone", ["sez", "all"])
def test_every_tab_speaks_one_language(lang: str, zone: str) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"lang": lang, "zone": zone})
    at.run()
    open_groups(at)
    problems: list[str] = []
    seen: list[str] = []
    for name in TABS:
        at.session_state["tab"] = i18n.text(f"tab_{name}", lang)
        at.run()
        assert not at.exception
        shown = _shown(at)
        seen.extend(shown)
        for value in shown:
            if value.lstrip().startswith(("# Методика", "# Methodology")):  # a document: checked below
                continue
            found = english_in(value) if lang == "ru" else russian_in(value)
            if found:
                problems.append(f"{name}: {found[:2]} in {value[:90]!r}")
    assert len(seen) > 300  # the walk saw the page, not an empty shell
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_the_methodology_is_russian_outside_code_and_names() -> None:
    """The Russian methodology's prose and its formulas' comments; commands, keys and the
    zones' names in both languages stay as they are."""
    lines = (resources.files("planner.documents") / "methodology.ru.md").read_text(encoding="utf-8")
    found = [
        line
        for line in lines.split("\n")
        if english_in(line) and not line.lstrip().startswith(("planner ", "|", ".venv/"))
    ]
    assert not found, found[:5]
